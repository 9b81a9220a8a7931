import { PROBLEM_CONTENT_TYPE } from '../problem/problem-document';

export const PROBLEM_SCHEMA_NAME = 'Problem';

/** JSON Schema of ProblemDocument, for the OpenAPI components. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'urn:smpki:problem:validation-failed' },
    title: { type: 'string', example: 'Validation Failed' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string' },
    instance: { type: 'string', example: '/v1/certificates' },
    requestId: { type: 'string', description: 'The X-Request-Id of the request; quote it when reporting a problem' },
    errors: {
      type: 'array',
      description: 'Validation failures, one per field and rule',
      items: {
        type: 'object',
        required: ['field', 'rule', 'message'],
        properties: {
          field: { type: 'string', example: 'subject.commonName' },
          rule: { type: 'string', example: 'isNotEmpty' },
          message: { type: 'string' },
        },
      },
    },
  },
  additionalProperties: true,
} as const;

/** The `default` response every operation gets: any error is a problem document. */
export const PROBLEM_RESPONSE = {
  description: 'Error: RFC 9457 problem document',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } } },
} as const;
