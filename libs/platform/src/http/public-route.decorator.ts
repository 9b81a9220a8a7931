import { SetMetadata, type CustomDecorator } from '@nestjs/common';

/**
 * Metadata key of routes that answer without credentials (health probes, service info). The deny-by-default
 * guard of @smpki/auth lets these through and refuses everything else that lacks a valid caller.
 */
export const PUBLIC_ROUTE = 'smpki:public-route';

export function PublicRoute(): CustomDecorator<string> {
  return SetMetadata(PUBLIC_ROUTE, true);
}
