import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding Cradle's package.json. Data files (migrations, ConceptMaps,
 * profiles, contracts) are read from here, so the same paths work from `src/` under
 * tsx/vitest and from `dist/` after a build.
 */
export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'cradle') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cradle package root not found');
    dir = parent;
  }
}

/** Reads and parses a JSON data file under the package root. */
export function readPackageJson<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(packageRoot, relativePath), 'utf8')) as T;
}
