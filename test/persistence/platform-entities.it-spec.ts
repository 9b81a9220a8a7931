/**
 * @smpki/persistence lists @smpki/audit's entities and @smpki/audit imports @smpki/persistence: whichever a
 * service imports first, the entity list must be complete.
 */
describe('platform entity list', () => {
  const load = (first: string, second: string): { entities: readonly Function[]; auditEntities: readonly Function[] } => {
    let result!: { entities: readonly Function[]; auditEntities: readonly Function[] };
    jest.isolateModules(() => {
      const modules = { [first]: require(first), [second]: require(second) };
      result = { entities: modules['@smpki/persistence'].PLATFORM_ENTITIES, auditEntities: modules['@smpki/audit'].AUDIT_ENTITIES };
    });
    return result;
  };

  it.each([
    ['@smpki/audit', '@smpki/persistence'],
    ['@smpki/persistence', '@smpki/audit'],
  ])('is complete when %s is loaded first', (first, second) => {
    const { entities, auditEntities } = load(first, second);
    expect(auditEntities.map((entity) => entity.name)).toEqual(['AuditEvent', 'AuditCheckpoint', 'AuditHead']);
    expect(entities).toEqual(expect.arrayContaining([...auditEntities]));
    expect(entities.every((entity) => typeof entity === 'function')).toBe(true);
  });
});
