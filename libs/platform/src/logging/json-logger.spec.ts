import { JsonLogger } from './json-logger';
import { runInRequestContext } from './request-context';

function capture(level: ConstructorParameters<typeof JsonLogger>[0]['level'] = 'trace', extra: Partial<ConstructorParameters<typeof JsonLogger>[0]> = {}) {
  const lines: string[] = [];
  const logger = new JsonLogger({ service: 'smpki-test', level, sink: (line) => lines.push(line), ...extra });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with time, level, service, msg, context and fields', () => {
    const { logger, lines, records } = capture();
    logger.child('Issuer').info('certificate issued', { serial: '01ab', profile: 'meter' });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(lines[0].trimEnd()).not.toContain('\n');
    expect(records()[0]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      service: 'smpki-test',
      msg: 'certificate issued',
      context: 'Issuer',
      serial: '01ab',
      profile: 'meter',
    });
  });

  it('adds the request id of the request being served', () => {
    const { logger, records } = capture();
    runInRequestContext({ requestId: 'req-42' }, () => logger.info('inside'));
    logger.info('outside');
    expect(records().map((r) => r.requestId)).toEqual(['req-42', undefined]);
  });

  it('drops lines below its level', () => {
    const { logger, records } = capture('warn');
    logger.debug('no');
    logger.info('no');
    logger.warn('yes');
    logger.error('yes');
    expect(records().map((r) => r.level)).toEqual(['warn', 'error']);
  });

  it('understands Nest calls: trailing context, error stack, verbose as trace, log as info', () => {
    const { logger, records } = capture();
    const stack = 'Error: boom\n    at Object.<anonymous> (/x.ts:1:1)';
    logger.log('mapped route', 'RoutesResolver');
    logger.error('failed', stack, 'ExceptionsHandler');
    logger.error('failed without context', stack);
    logger.warn('plain warning');
    logger.verbose('detail', 'Injector');
    expect(records()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'mapped route', context: 'RoutesResolver' }),
      expect.objectContaining({ level: 'error', msg: 'failed', context: 'ExceptionsHandler', stack }),
      expect.objectContaining({ level: 'error', msg: 'failed without context', stack }),
      expect.objectContaining({ level: 'warn', msg: 'plain warning' }),
      expect.objectContaining({ level: 'trace', msg: 'detail', context: 'Injector' }),
    ]);
    expect(records()[3]).not.toHaveProperty('context');
  });

  it('follows Nest setLogLevels', () => {
    const { logger, records } = capture('trace');
    logger.setLogLevels(['error', 'warn']);
    logger.info('dropped');
    logger.warn('kept');
    expect(records().map((r) => r.msg)).toEqual(['kept']);
  });

  it('demotes framework start-up chatter to debug', () => {
    const { logger, records } = capture('info', { demoteToDebug: ['InstanceLoader'] });
    logger.log('PlatformModule dependencies initialized', 'InstanceLoader');
    logger.log('listening', 'Bootstrap');
    expect(records().map((r) => r.msg)).toEqual(['listening']);
  });

  it('never prints the value of pin, password, secret, token or authorization keys, at any depth', () => {
    const { logger, lines } = capture();
    logger.info('opening token', {
      pin: '5738-pin',
      hsm: { userPin: '5738-user', SMPKI_HSM_PIN: '5738-env', tokenLabel: 'smpki' },
      headers: { authorization: 'Bearer eyJsecret', Cookie: 'sid=5738-cookie', 'x-request-id': 'abc' },
      credentials: [{ password: '5738-pw', clientSecret: '5738-cs', accessToken: '5738-at', token: '5738-t' }],
    });
    const line = lines[0];
    expect(line).not.toMatch(/5738|eyJsecret/);
    const record = JSON.parse(line);
    expect(record.pin).toBe('[REDACTED]');
    expect(record.hsm).toEqual({ userPin: '[REDACTED]', SMPKI_HSM_PIN: '[REDACTED]', tokenLabel: 'smpki' });
    expect(record.headers['x-request-id']).toBe('abc');
    expect(record.credentials[0]).toEqual({ password: '[REDACTED]', clientSecret: '[REDACTED]', accessToken: '[REDACTED]', token: '[REDACTED]' });
  });

  it('prints bytes as their length, never their content', () => {
    const { logger, records } = capture();
    logger.info('key loaded', { key: Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'), raw: new Uint8Array(32) });
    expect(records()[0]).toMatchObject({ key: '[16 bytes]', raw: '[32 bytes]' });
  });

  it('expands errors, survives cycles and bigints', () => {
    const { logger, records } = capture();
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const error = Object.assign(new Error('session closed'), { code: 'CKR_SESSION_CLOSED' });
    logger.error(error, { cyclic, serial: 2n ** 70n });
    const record = records()[0];
    expect(record).toMatchObject({ level: 'error', msg: 'session closed', err: { type: 'Error', message: 'session closed', code: 'CKR_SESSION_CLOSED' } });
    expect(record.cyclic).toEqual({ name: 'a', self: '[Circular]' });
    expect(record.serial).toBe('1180591620717411303424');
  });

  it('keeps its own keys when fields reuse their names', () => {
    const { logger, records } = capture();
    logger.info('real', { msg: 'fake', level: 'fatal' });
    expect(records()[0]).toMatchObject({ msg: 'real', level: 'info', 'field.msg': 'fake', 'field.level': 'fatal' });
  });

  it('does not throw when the sink does', () => {
    const logger = new JsonLogger({ service: 's', sink: () => { throw new Error('EPIPE'); } });
    expect(() => logger.info('x')).not.toThrow();
  });

  it('serves as the HsmLogger of @smpki/hsm: info/warn/error(msg, fields)', () => {
    const { logger, records } = capture();
    const hsmLogger: { info(msg: string, fields?: object): void; warn(msg: string, fields?: object): void; error(msg: string, fields?: object): void } = logger;
    hsmLogger.warn('slow call', { mechanism: 'CKM_ECDSA', ms: 12 });
    expect(records()[0]).toMatchObject({ level: 'warn', msg: 'slow call', mechanism: 'CKM_ECDSA', ms: 12 });
  });
});
