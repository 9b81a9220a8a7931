import { DEFAULT_ACCESS_RULES } from './access-rules';
import { findGrant, isAllowed } from './is-allowed';

describe('isAllowed', () => {
  const rules = { 'ca-operator': ['ca.*'], auditor: ['audit.read'] } as const;

  it('allows a command covered by one of the roles', () => {
    expect(isAllowed({ roles: ['ca-operator'] }, 'ca.certificate.issue', rules)).toBe(true);
    expect(isAllowed({ roles: ['auditor', 'ca-operator'] }, 'ca.crl.publish', rules)).toBe(true);
    expect(isAllowed({ roles: ['auditor'] }, 'audit.read', rules)).toBe(true);
  });

  it('denies by default: no roles, a role absent from the rules, an uncovered command', () => {
    expect(isAllowed({ roles: [] }, 'audit.read', rules)).toBe(false);
    expect(isAllowed({ roles: ['administrator'] }, 'audit.read', rules)).toBe(false);
    expect(isAllowed({ roles: ['auditor'] }, 'ca.certificate.issue', rules)).toBe(false);
  });

  it('ignores roles it does not know, including prototype property names', () => {
    expect(isAllowed({ roles: ['root', 'constructor', '__proto__'] }, 'audit.read', rules)).toBe(false);
  });

  it('names the grant that allowed the command', () => {
    expect(findGrant({ roles: ['auditor', 'ca-operator'] }, 'ca.crl.publish', rules)).toEqual({ role: 'ca-operator', pattern: 'ca.*' });
    expect(findGrant({ roles: ['auditor'] }, 'ca.crl.publish', rules)).toBeUndefined();
  });

  it('keeps duties separate in the default rules', () => {
    expect(isAllowed({ roles: ['administrator'] }, 'auth.token.issue', DEFAULT_ACCESS_RULES)).toBe(true);
    expect(isAllowed({ roles: ['administrator'] }, 'ca.certificate.issue', DEFAULT_ACCESS_RULES)).toBe(false);
    expect(isAllowed({ roles: ['ca-operator'] }, 'ca.certificate.revoke', DEFAULT_ACCESS_RULES)).toBe(true);
    expect(isAllowed({ roles: ['ca-operator'] }, 'audit.read', DEFAULT_ACCESS_RULES)).toBe(false);
    expect(isAllowed({ roles: ['auditor'] }, 'audit.read', DEFAULT_ACCESS_RULES)).toBe(true);
    expect(isAllowed({ roles: ['auditor'] }, 'ca.crl.publish', DEFAULT_ACCESS_RULES)).toBe(false);
    expect(isAllowed({ roles: ['msp-security-manager'] }, 'skm.key.export', DEFAULT_ACCESS_RULES)).toBe(true);
  });
});
