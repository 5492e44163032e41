/**
 * The installed package's own directory (the one holding its package.json), found from this module's
 * file: `src/cli/` under tsx in a checkout, `dist/` (everything bundled into dist/cli.js) when
 * installed. Bundled files (fixtures/, examples/) are resolved from it, never from the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'gradcheck') return dir;
      } catch {
        // not ours: keep looking
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the gradcheck package directory above ${from}`);
  }
}

/** A file or directory shipped with the package: `bundled('fixtures')`. */
export function bundled(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
