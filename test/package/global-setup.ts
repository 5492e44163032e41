// One directory per vitest run for the packed tarball (packed.ts), so test files in parallel workers
// share one `npm pack` instead of each rebuilding dist/ under the others. Creating it costs nothing;
// the tarball is made only when a test asks for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACK_DIR_ENV } from './packed.js';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'gradcheck-pack-'));
  // Workers are started after global setup and inherit this process's environment.
  process.env[PACK_DIR_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
