/**
 * gradcheck's version, read from its own package.json (one level above `dist/` and `src/`, two above
 * `src/cli/` under tsx). The CLI prints it (`--version`); the worker connection holds a worker's
 * `helperVersion` (gradcheck's Python package, docs/protocol.md) to it.
 */
import { createRequire } from 'node:module';

declare const require: NodeJS.Require | undefined;

/** A `require` that resolves from this module: derived from import.meta.url in ESM (and tsx), CommonJS's own otherwise. */
function moduleRequire(): NodeJS.Require | undefined {
  try {
    // In the CommonJS build import.meta is empty; in the ESM build a bare `require` is esbuild's shim, which throws.
    if (typeof import.meta.url === 'string') return createRequire(import.meta.url);
  } catch {
    // fall through to CommonJS's require
  }
  return typeof require === 'function' ? require : undefined;
}

function readVersion(): string {
  const load = moduleRequire();
  if (load === undefined) return 'unknown';
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
