import { SetMetadata } from '@nestjs/common';
import { COMMAND_NAME_FORMAT, isCommandName } from '@smpki/policy';

export const COMMAND_METADATA = 'smpki:auth:command';

/**
 * Declares the command a handler runs; the access guard lets a request through only when the caller's roles
 * are allowed that command by the access rules. A malformed name fails when the controller module loads.
 */
export function Command(name: string): MethodDecorator {
  if (!isCommandName(name)) {
    throw new Error(`@Command(${JSON.stringify(name)}): malformed command name, expected ${COMMAND_NAME_FORMAT}`);
  }
  return SetMetadata(COMMAND_METADATA, name);
}
