import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { serviceDisplayName, type ServiceName } from '../config/service-name';
import { readProjectVersion } from '../info/package-version';
import { PROBLEM_RESPONSE, PROBLEM_SCHEMA, PROBLEM_SCHEMA_NAME } from './problem-schema';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const SWAGGER_UI_PATH = '/docs';

export interface OpenApiOptions {
  description?: string;
  version?: string;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation answers errors as problem documents; saying so once here keeps the controllers short. */
function addProblemResponses(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, [PROBLEM_SCHEMA_NAME]: PROBLEM_SCHEMA as never };
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.responses ??= {};
      operation.responses.default ??= PROBLEM_RESPONSE as never;
    }
  }
}

/**
 * Builds the service's OpenAPI document from its controllers and serves it at /openapi.json, with Swagger UI
 * (from swagger-ui-dist, no CDN) at /docs. Call before `app.init()`/`listen()`: routes added after Nest's
 * catch-all 404 handler would never be reached.
 */
export function setupOpenApi(app: INestApplication, service: ServiceName, options: OpenApiOptions = {}): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(serviceDisplayName(service))
    .setDescription(options.description ?? `smpki ${service} service`)
    .setVersion(options.version ?? readProjectVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT (ES256)' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  addProblemResponses(document);
  SwaggerModule.setup(SWAGGER_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: `${serviceDisplayName(service)} API`,
  });
  return document;
}
