/**
 * The app shells compiled the way scripts/build.sh compiles them (tsc with tsconfig.build.json's options, then
 * tsc-alias rewriting the @smpki/* paths), into a private temporary directory. Not the repository's dist/: build.sh
 * starts with `rm -rf dist`, and a build running at the same time (the quick-start e2e test runs start.sh, another
 * developer runs npm run build) would delete the mains under a running test. Only the four mains, what they import,
 * and the HSM worker entry (loaded by file name at run time, imported by nothing) are compiled, without the type
 * check (`--noCheck`: the same JavaScript, a few seconds sooner; type errors are the build's and `tsc --noEmit`'s
 * business), so other libraries' work in progress does not get in the way. node_modules and package.json are
 * linked in, so node finds the dependencies and the service reads smpki's version by walking up, as from dist/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { ServiceName } from '@smpki/platform';

const ROOT = resolve(__dirname, '../../..');
const APPS: ServiceName[] = ['root-ca', 'sub-ca', 'skm', 'directory'];
/** Started as a worker thread by libs/hsm/src/pkcs11/worker-loader.ts, from the .js file beside the loader. */
const HSM_WORKER_ENTRY = join(ROOT, 'libs/hsm/src/pkcs11/worker/worker-entry.ts');

export interface CompiledApps {
  mainOf(app: ServiceName): string;
  remove(): void;
}

/** tsc reports type errors on stdout, tsc-alias and node failures on stderr: the message carries both. */
function failureOutput(error: unknown): string {
  const { stdout, stderr, message } = error as { stdout?: Buffer; stderr?: Buffer; message?: string };
  const output = [stdout?.toString() ?? '', stderr?.toString() ?? ''].join('\n').trim();
  return output === '' ? String(message) : output;
}

export function compileApps(): CompiledApps {
  const outDir = mkdtempSync(join(tmpdir(), 'smpki-apps-'));
  symlinkSync(join(ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  symlinkSync(join(ROOT, 'package.json'), join(outDir, 'package.json'));
  const tsconfig = join(outDir, 'tsconfig.json');
  // Paths relative to the tsconfig: tsc-alias misreads an absolute outDir as one relative to the config's directory.
  const fromOut = (path: string): string => relative(outDir, path);
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: fromOut(join(ROOT, 'tsconfig.build.json')),
      compilerOptions: { outDir: '.', rootDir: fromOut(ROOT), sourceMap: false },
      include: [],
      files: [...APPS.map((app) => join(ROOT, 'apps', app, 'src', 'main.ts')), HSM_WORKER_ENTRY].map(fromOut),
    }),
  );
  const run = (script: string, ...options: string[]): void => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', script), '-p', tsconfig, ...options], { cwd: ROOT, stdio: 'pipe' });
  };
  try {
    run('typescript/bin/tsc', '--noCheck');
    run('tsc-alias/dist/bin/index.js');
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(`compiling the app mains failed:\n${failureOutput(error)}`);
  }
  return {
    mainOf: (app) => join(outDir, 'apps', app, 'src', 'main.js'),
    // rmSync does not follow the links: node_modules and package.json stay.
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
