import { ValidationPipe, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import * as classTransformer from 'class-transformer';
import * as classValidator from 'class-validator';
import { ProblemException } from './problem.exception';
import type { FieldError } from './problem-document';

/** class-validator's name for "property not declared on the DTO"; clients read `unknownProperty` instead. */
const RULE_RENAMES: Readonly<Record<string, string>> = { whitelistValidation: 'unknownProperty' };

function joinPath(parent: string, property: string): string {
  if (parent === '') return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}

/** Flattens class-validator's tree of errors into one entry per (field, rule), with dotted/indexed field paths. */
export function fieldErrorsFrom(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = joinPath(parent, error.property);
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule: RULE_RENAMES[rule] ?? rule, message }));
    return [...own, ...fieldErrorsFrom(error.children ?? [], field)];
  });
}

/**
 * The ValidationPipe every service uses (PlatformModule registers it globally): DTOs are transformed to their
 * classes, undeclared properties are refused (not silently dropped: a misspelt field should not pass unnoticed),
 * and failures become a 400 problem with `errors: [{ field, rule, message }]`.
 */
export function createValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    // Passed in rather than loaded by Nest with a dynamic import(), which needs --experimental-vm-modules under jest.
    validatorPackage: classValidator,
    transformerPackage: classTransformer,
    exceptionFactory: (errors: ValidationError[]) => ProblemException.validation(fieldErrorsFrom(errors)),
    ...options,
  });
}
