/** The package's version, read from its own package.json (one level above `dist/` and `src/cli/`). */
import { createRequire } from 'node:module';

function readVersion(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'gradcheck' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not at this depth: try the next.
    }
  }
  return 'unknown';
}

export const VERSION = readVersion();
