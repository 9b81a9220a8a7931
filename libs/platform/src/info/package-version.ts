import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PROJECT_PACKAGE_NAME = 'smpki';

/**
 * The version in smpki's package.json, found by walking up from this file: the same from the TypeScript sources
 * (tests) and from dist/ (production), as long as package.json ships beside dist/.
 */
export function readProjectVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PROJECT_PACKAGE_NAME && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return '0.0.0-unknown';
  }
}
