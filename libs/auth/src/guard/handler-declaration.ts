import type { Reflector } from '@nestjs/core';
import { COMMAND_METADATA } from '../decorators/command.decorator';
import { PUBLIC_METADATA } from '../decorators/public.decorator';

/** What a handler declares about its access: exactly one of `@Public()` or `@Command()`, else it is refused. */
export type HandlerDeclaration =
  | { readonly kind: 'public' }
  | { readonly kind: 'command'; readonly command: string }
  | { readonly kind: 'undeclared' }
  | { readonly kind: 'conflicting'; readonly command: string };

export function handlerDeclaration(reflector: Reflector, handler: Function, controller: Function): HandlerDeclaration {
  const command = reflector.get<string | undefined>(COMMAND_METADATA, handler);
  const isPublic = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, [handler, controller]) === true;
  if (command !== undefined && isPublic) return { kind: 'conflicting', command };
  if (command !== undefined) return { kind: 'command', command };
  return isPublic ? { kind: 'public' } : { kind: 'undeclared' };
}

export function handlerName(handler: Function, controller: Function): string {
  return `${controller.name}.${handler.name}`;
}
