import { DEFAULT_ACCESS_RULES } from './access-rules';
import { catalogueHas, COMMAND_CATALOGUE } from './command-catalogue';
import { isAllowed } from './is-allowed';

const SKM_KEY_COMMANDS = ['skm.key.generate', 'skm.key.import', 'skm.key.export', 'skm.key.rotate', 'skm.key.confirm', 'skm.key.destroy', 'skm.key.read'];
const SKM_COMMANDS = [...SKM_KEY_COMMANDS, 'skm.tenant.create', 'skm.tenant.read', 'skm.tenant.member.add', 'skm.master.rotate', 'skm.transport-key.create', 'skm.transport-key.read', 'skm.provider-change.run'];

describe('SKM access rules', () => {
  const allowed = (role: string, command: string) => isAllowed({ roles: [role] }, command, DEFAULT_ACCESS_RULES);

  it('lists every SKM command in the catalogue', () => {
    for (const command of SKM_COMMANDS) expect(catalogueHas(COMMAND_CATALOGUE, command)).toBe(true);
  });

  it("lets the MSP's security manager run its tenant's key commands, not create tenants", () => {
    for (const command of [...SKM_KEY_COMMANDS, 'skm.master.rotate', 'skm.transport-key.create', 'skm.provider-change.run']) expect(allowed('msp-security-manager', command)).toBe(true);
    expect(allowed('msp-security-manager', 'skm.tenant.create')).toBe(false);
    expect(allowed('msp-security-manager', 'skm.tenant.member.add')).toBe(false);
  });

  it('lets the MSP operator read key states and record confirmations, never take a key out', () => {
    expect(allowed('msp-operator', 'skm.key.read')).toBe(true);
    expect(allowed('msp-operator', 'skm.key.confirm')).toBe(true);
    for (const command of ['skm.key.export', 'skm.key.import', 'skm.key.generate', 'skm.key.destroy', 'skm.provider-change.run']) expect(allowed('msp-operator', command)).toBe(false);
  });

  it('lets the administrator manage tenants but touch no key', () => {
    for (const command of ['skm.tenant.create', 'skm.tenant.read', 'skm.tenant.member.add']) expect(allowed('administrator', command)).toBe(true);
    for (const command of [...SKM_KEY_COMMANDS, 'skm.master.rotate', 'skm.provider-change.run']) expect(allowed('administrator', command)).toBe(false);
  });
});
