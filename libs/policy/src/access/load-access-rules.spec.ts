import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ACCESS_RULES } from './access-rules';
import { isAllowed } from './is-allowed';
import { AccessRulesError, loadAccessRulesFile, parseAccessRules } from './load-access-rules';

function problemsOf(input: unknown): readonly string[] {
  try {
    parseAccessRules(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AccessRulesError);
    return (error as AccessRulesError).problems;
  }
  throw new Error('expected the rules to be refused');
}

describe('parseAccessRules', () => {
  it('round-trips the shipped rules through JSON', () => {
    const parsed = parseAccessRules(JSON.parse(JSON.stringify({ version: 1, roles: DEFAULT_ACCESS_RULES })));
    expect(parsed).toEqual(DEFAULT_ACCESS_RULES);
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed['ca-operator'])).toBe(true);
  });

  it('refuses an unknown role, naming it and the known roles', () => {
    const [problem] = problemsOf({ roles: { 'ca-opertor': ['ca.*'] } });
    expect(problem).toContain('unknown role "ca-opertor"');
    expect(problem).toContain('ca-operator');
  });

  it('refuses a malformed command pattern, naming where it is', () => {
    expect(problemsOf({ roles: { auditor: ['audit..read'] } })).toEqual([
      expect.stringMatching(/^roles\.auditor\[0\]: malformed command pattern "audit\.\.read": expected /),
    ]);
    expect(problemsOf({ roles: { auditor: ['*'] } })[0]).toContain('malformed command pattern "*"');
    expect(problemsOf({ roles: { auditor: [7] } })[0]).toContain('malformed command pattern 7');
  });

  it('refuses a well-formed command that no service declares (a typo would otherwise grant nothing)', () => {
    expect(problemsOf({ roles: { 'ca-operator': ['ca.certificate.isue'] } })[0]).toContain('unknown command "ca.certificate.isue"');
    expect(problemsOf({ roles: { 'ca-operator': ['cx.*'] } })[0]).toContain('pattern matching no known command "cx.*"');
  });

  it('accepts commands of a custom catalogue', () => {
    const rules = parseAccessRules({ roles: { 'directory-reader': ['directory.*'] } }, { catalogue: [{ name: 'directory.entry.read', description: '' }] });
    expect(isAllowed({ roles: ['directory-reader'] }, 'directory.entry.read', rules)).toBe(true);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ extra: true, version: 2, roles: { nobody: [], auditor: 'audit.read', administrator: ['auth.*', 'Auth.x'] } });
    expect(problems).toHaveLength(5);
  });

  it('refuses a document without a roles object', () => {
    expect(problemsOf([])).toEqual(['expected a JSON object with a "roles" object']);
    expect(problemsOf({ roles: [] })).toEqual(['"roles" must be an object mapping role names to arrays of command patterns']);
  });
});

describe('loadAccessRulesFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'smpki-rules-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a rules file an operator wrote', () => {
    const path = join(dir, 'rules.json');
    writeFileSync(path, JSON.stringify({ description: 'site policy', roles: { auditor: ['audit.read', 'platform.*'] } }));
    const rules = loadAccessRulesFile(path);
    expect(isAllowed({ roles: ['auditor'] }, 'platform.info.read', rules)).toBe(true);
    expect(isAllowed({ roles: ['ca-operator'] }, 'ca.crl.publish', rules)).toBe(false);
  });

  it('names the file in the error', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "roles": ');
    expect(() => loadAccessRulesFile(path)).toThrow(`invalid access rules (${path}):\n  - not valid JSON`);
    expect(() => loadAccessRulesFile(join(dir, 'missing.json'))).toThrow(/cannot read the file/);
  });
});
