import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server', 'migrations'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the Kaca project folder above ${from}`);
  }
}

/**
 * The project folder, found from wherever this code runs: the TypeScript sources, or the
 * compiled bundle in dist/ (whose files sit at another depth). Data files are found from here.
 */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
