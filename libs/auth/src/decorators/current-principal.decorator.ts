import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../principal';
import { principalOf } from '../guard/request-principal';

/** The principal the access guard established (undefined on `@Public()` handlers). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal | undefined =>
  principalOf(context.switchToHttp().getRequest()),
);
