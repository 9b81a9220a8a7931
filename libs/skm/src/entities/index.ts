/** The SKM's tables (listed in libs/persistence/src/platform-entities.ts). Entity modules import only typeorm. */
export const SKM_ENTITIES: readonly Function[] = [];
