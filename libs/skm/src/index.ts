// Entities first: libs/persistence imports this index for PLATFORM_ENTITIES (see platform-entities.ts).
export * from './entities';
export * from './protocol';
export * from './keys';
export * from './shipments';
export * from './services';
