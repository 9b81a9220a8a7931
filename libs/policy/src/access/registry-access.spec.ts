import { DEFAULT_ACCESS_RULES } from './access-rules';
import { catalogueHas, COMMAND_CATALOGUE } from './command-catalogue';
import { isAllowed } from './is-allowed';

const REGISTRY_COMMANDS = [
  'registry.manufacturer.create',
  'registry.manufacturer.read',
  'registry.manufacturer.credential.issue',
  'registry.meter.register',
  'registry.meter.read',
  'registry.meter.replace',
  'registry.meter.retire',
];

describe('meter registry access rules', () => {
  const allowed = (role: string, command: string) => isAllowed({ roles: [role] }, command, DEFAULT_ACCESS_RULES);

  it('lists every registry command in the catalogue', () => {
    for (const command of REGISTRY_COMMANDS) expect(catalogueHas(COMMAND_CATALOGUE, command)).toBe(true);
  });

  it('lets manufacturers run the meter commands and nothing about manufacturer accounts', () => {
    for (const command of ['registry.meter.register', 'registry.meter.read', 'registry.meter.replace', 'registry.meter.retire']) expect(allowed('manufacturer', command)).toBe(true);
    expect(allowed('manufacturer', 'registry.manufacturer.create')).toBe(false);
    expect(allowed('manufacturer', 'registry.manufacturer.credential.issue')).toBe(false);
    expect(allowed('manufacturer', 'ca.certificate.issue')).toBe(false);
  });

  it('lets the administrator onboard manufacturers but not register or read meters', () => {
    expect(allowed('administrator', 'registry.manufacturer.create')).toBe(true);
    expect(allowed('administrator', 'registry.manufacturer.credential.issue')).toBe(true);
    expect(allowed('administrator', 'registry.meter.register')).toBe(false);
    expect(allowed('administrator', 'registry.meter.read')).toBe(false);
  });

  it('lets CA operators and auditors read, not change, the registry', () => {
    for (const role of ['ca-operator', 'auditor']) {
      expect(allowed(role, 'registry.meter.read')).toBe(true);
      expect(allowed(role, 'registry.manufacturer.read')).toBe(true);
      expect(allowed(role, 'registry.meter.register')).toBe(false);
      expect(allowed(role, 'registry.manufacturer.create')).toBe(false);
    }
  });
});
