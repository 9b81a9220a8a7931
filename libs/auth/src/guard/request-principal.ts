import type { Principal } from '../principal';

// A symbol, not a property name: nothing a client sends (body, headers, query) can ever set it.
const PRINCIPAL = Symbol('smpki.principal');

interface WithPrincipal {
  [PRINCIPAL]?: Principal;
}

export function attachPrincipal(request: object, principal: Principal): void {
  (request as WithPrincipal)[PRINCIPAL] = principal;
}

export function principalOf(request: object): Principal | undefined {
  return (request as WithPrincipal)[PRINCIPAL];
}
