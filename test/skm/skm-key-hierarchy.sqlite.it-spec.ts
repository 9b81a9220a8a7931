import { skmKeyHierarchySuite } from './support/skm-key-hierarchy-suite';

describe('SKM key hierarchy on SQLite', () => {
  skmKeyHierarchySuite('sqlite');
});
