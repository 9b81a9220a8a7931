import { commandMatches, isCommandName, isCommandPattern } from './command-name';

describe('command names', () => {
  it.each(['ca.certificate.issue', 'audit.read', 'skm.key.export', 'ca.attribute-certificate.issue', 'v2.x1'])(
    'accepts %s',
    (name) => expect(isCommandName(name)).toBe(true),
  );

  it.each(['ca', 'Ca.certificate.issue', 'ca..issue', '.ca.issue', 'ca.issue.', 'ca.-x', 'ca.x-', 'ca.1x', 'ca.*', 'ca issue', '', 'ca.x'.padEnd(101, 'x')])(
    'refuses %j',
    (name) => expect(isCommandName(name)).toBe(false),
  );

  it('refuses non-strings', () => {
    expect(isCommandName(42)).toBe(false);
    expect(isCommandPattern(undefined)).toBe(false);
  });

  it('accepts namespace wildcards but not a bare or inner star', () => {
    expect(isCommandPattern('ca.*')).toBe(true);
    expect(isCommandPattern('ca.certificate.*')).toBe(true);
    expect(isCommandPattern('*')).toBe(false);
    expect(isCommandPattern('ca.*.issue')).toBe(false);
    expect(isCommandPattern('ca*')).toBe(false);
  });
});

describe('commandMatches', () => {
  it('matches exact names only when equal', () => {
    expect(commandMatches('ca.crl.publish', 'ca.crl.publish')).toBe(true);
    expect(commandMatches('ca.crl.publish', 'ca.crl.publish-delta')).toBe(false);
  });

  it('matches a wildcard on whole segments only', () => {
    expect(commandMatches('ca.*', 'ca.certificate.issue')).toBe(true);
    expect(commandMatches('ca.certificate.*', 'ca.certificate.revoke')).toBe(true);
    expect(commandMatches('ca.certificate.*', 'ca.crl.publish')).toBe(false);
    expect(commandMatches('ca.*', 'cabinet.open')).toBe(false);
    expect(commandMatches('ca.*', 'rootca.ceremony.run')).toBe(false);
  });

  it('never matches a malformed command, even against a wildcard', () => {
    expect(commandMatches('ca.*', 'ca.*')).toBe(false);
    expect(commandMatches('ca.*', 'ca.Certificate.issue')).toBe(false);
  });
});
