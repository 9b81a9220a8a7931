import { fieldErrorsFrom } from './validation-pipe';

describe('fieldErrorsFrom', () => {
  it('flattens nested class-validator errors into dotted and indexed field paths, one entry per rule', () => {
    const errors = fieldErrorsFrom([
      { property: 'name', constraints: { isString: 'name must be a string', isNotEmpty: 'name should not be empty' } },
      {
        property: 'subject',
        children: [{ property: 'commonName', constraints: { maxLength: 'commonName must be shorter than or equal to 64 characters' } }],
      },
      { property: 'items', children: [{ property: '2', children: [{ property: 'id', constraints: { isUUID: 'id must be a UUID' } }] }] },
      { property: 'extra', constraints: { whitelistValidation: 'property extra should not exist' } },
    ]);
    expect(errors).toEqual([
      { field: 'name', rule: 'isString', message: 'name must be a string' },
      { field: 'name', rule: 'isNotEmpty', message: 'name should not be empty' },
      { field: 'subject.commonName', rule: 'maxLength', message: 'commonName must be shorter than or equal to 64 characters' },
      { field: 'items[2].id', rule: 'isUUID', message: 'id must be a UUID' },
      { field: 'extra', rule: 'unknownProperty', message: 'property extra should not exist' },
    ]);
  });
});
