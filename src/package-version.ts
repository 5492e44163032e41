/**
 * gradcheck's version, read from its own package.json (one level above `dist/` and `src/`, two above
 * `src/cli/` under tsx). The CLI prints it (`--version`); the worker connection holds a worker's
 * `helperVersion` (gradcheck's Python package, docs/protocol.md) to it.
 */
import { createRequire } from 'node:module';

declare const require: NodeJS.Require | undefined;

function readVersion(): string {
  let load: NodeJS.Require;
  try {
    // The CommonJS build has its own `require`; the ESM build (and tsx) derives one from this module.
    load = typeof require === 'function' ? require : createRequire(import.meta.url);
  } catch {
    return 'unknown';
  }
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = load(candidate) as { name?: string; version?: string };
      if (pkg.name === 'gradcheck' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not at this depth: try the next.
    }
  }
  return 'unknown';
}

export const VERSION = readVersion();
