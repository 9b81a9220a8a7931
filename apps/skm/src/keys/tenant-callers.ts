import { Injectable } from '@nestjs/common';
import type { Principal } from '@smpki/auth';
import { TenantService, type SkmTenant } from '@smpki/skm';

/**
 * The tenant a request acts for: the one its principal's subject (token `sub` or client-certificate DN) is bound to
 * by an administrator (POST /v1/tenants/{id}/members). Roles say what a caller may do; the binding says on whose
 * keys. A caller bound to no tenant is refused with 403 `tenant.member-required`.
 */
@Injectable()
export class TenantCallers {
  constructor(private readonly tenants: TenantService) {}

  tenantOf(principal: Principal): Promise<SkmTenant> {
    return this.tenants.tenantOf(principal.subject);
  }
}
