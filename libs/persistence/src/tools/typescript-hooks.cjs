/**
 * Runs the repository's TypeScript entry points (tools, CLIs, test child processes) directly with Node 24:
 *
 *   node --require ./libs/persistence/src/tools/typescript-hooks.cjs <file.ts> [args]
 *
 * Node's own type stripping cannot run this code base (decorators and their metadata, `@smpki/*` aliases), so
 * this registers synchronous module hooks (module.registerHooks) that transpile .ts with @swc/core, the same
 * settings jest uses, and resolve the tsconfig `paths` aliases and extensionless relative imports.
 * Production runs the compiled output instead.
 */
'use strict';
const { registerHooks } = require('node:module');
const { existsSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { fileURLToPath, pathToFileURL } = require('node:url');
const swc = require('@swc/core');

const root = resolve(__dirname, '../../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
/** `@smpki/audit` -> absolute file URL of libs/audit/src/index.ts */
const aliases = new Map(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, pathToFileURL(resolve(root, target)).href]),
);

const SWC_OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

function typescriptFileFor(specifier, parentURL) {
  if (!parentURL || !parentURL.endsWith('.ts') || !/^(\.\.?)?\//.test(specifier)) return undefined;
  const base = fileURLToPath(new URL(specifier, parentURL));
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return pathToFileURL(candidate).href;
  }
  return undefined;
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const url = aliases.get(specifier) ?? typescriptFileFor(specifier, context.parentURL);
    return url ? { url, format: 'commonjs', shortCircuit: true } : nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
    const filename = fileURLToPath(url);
    const { code } = swc.transformSync(readFileSync(filename, 'utf8'), { ...SWC_OPTIONS, filename });
    return { format: 'commonjs', source: code, shortCircuit: true };
  },
});

// Stack traces through the inline source maps point at the .ts lines.
process.setSourceMapsEnabled(true);
