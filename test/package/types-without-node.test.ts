// A TypeScript project that does not install Node's types (a browser bundle, a Deno-style setup, or
// simply no @types/node) must still compile against gradcheck's declarations with skipLibCheck off:
// a public type that names `NodeJS.*` or `Buffer` breaks it. `types: []` keeps any @types package that
// happens to be installed out of the compilation, so the test holds whatever npm hoisted.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, installConsumer, type InstalledPackage } from './packed.js';

const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

const SOURCE = `import { checkNetwork, spawnWorker, type WorkerOptions } from 'gradcheck';
const options: WorkerOptions = { env: { PATH: '/usr/bin' }, cwd: '.' };
export const uses = [checkNetwork, spawnWorker, options];
`;

describe('declarations without @types/node', () => {
  let pkg: InstalledPackage;
  beforeAll(() => {
    pkg = installConsumer('no-node-types', [], 'module');
  }, 300_000);

  it('compile with skipLibCheck off and no ambient Node types', () => {
    writeFileSync(join(pkg.project, 'use.ts'), SOURCE);
    const compilerOptions = { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: [] };
    writeFileSync(join(pkg.project, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['use.ts'] }));
    const result = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: pkg.project, encoding: 'utf8', timeout: 120_000 });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 180_000);
});
