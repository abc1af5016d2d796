/**
 * Where the installed package lives, found from this module's own location. Source files (run
 * through tsx) and the compiled bundle (dist/, whose chunks sit at another depth) both need to
 * reach files shipped beside the code: SQL schemas, package.json, the built web UI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'episodic') return dir;
    if (dirname(dir) === dir) throw new Error(`episodic: cannot find the package folder above ${from}`);
  }
}

/** The package's folder (the one holding its package.json). */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. `packagePath('indexer/store/schema.sql')`. */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

/** True when running the compiled bundle in dist/ rather than the TypeScript sources. */
export const COMPILED = !import.meta.url.endsWith('.ts');
