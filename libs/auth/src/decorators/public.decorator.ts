import { SetMetadata } from '@nestjs/common';
import { PUBLIC_ROUTE } from '@smpki/platform';

/** The platform's key: its `@PublicRoute()` (health probes, service info) and this `@Public()` mean the same. */
export const PUBLIC_METADATA = PUBLIC_ROUTE;

/**
 * Marks a handler (or every handler of a controller) as open to anyone, without authentication. Everything
 * else needs a `@Command`: the access guard refuses handlers that declare neither.
 */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_METADATA, true);
}
