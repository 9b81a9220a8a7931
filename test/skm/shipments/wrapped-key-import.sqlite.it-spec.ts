import { wrappedKeyImportSuite } from './wrapped-key-import-suite';

describe('SKM bulk import of transport-key-wrapped keys on SQLite', () => {
  wrappedKeyImportSuite('sqlite');
});
