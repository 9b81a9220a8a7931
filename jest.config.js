// One jest run for the whole repository. Unit tests sit beside the code (*.spec.ts); integration and end-to-end
// tests that need SoftHSM2, PostgreSQL, openssl or running services live in test/ (*.e2e-spec.ts / *.it-spec.ts).
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target.replace('./', '')}`]),
);

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/bench', '<rootDir>/tools'],
  testMatch: ['**/*.spec.ts', '**/*.it-spec.ts', '**/*.e2e-spec.ts'],
  moduleNameMapper,
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  testTimeout: 60000,
  // SoftHSM2 tokens and database files are per test file, so files can run in parallel on both cores.
  maxWorkers: 2,
};
