// A TypeScript project without @types/node (a bundler or browser-minded one, or a test project that
// never needed it) compiles against gradcheck's declarations with skipLibCheck off. The public
// WorkerOptions once typed `env` as NodeJS.ProcessEnv, and such a project failed with
// "Cannot find namespace 'NodeJS'" in node_modules/gradcheck/dist/index.d.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSource, matcherTypesLine, matchersTestSource, vitestEntrySource } from './consumer-sources.js';
import { REPO, installConsumer, repoVersionOf, runIn } from './packed.js';

const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

/** Uses the options whose types once came from @types/node: a worker's environment and an AbortSignal. */
const workerOptionsSource = `
import { spawnWorker, type WorkerOptions } from 'gradcheck';

export const options: WorkerOptions = { env: { PATH: '/usr/bin', HOME: undefined }, signal: new AbortController().signal };
export const start = () => spawnWorker(['python3', 'worker.py'], options);
// @ts-expect-error: environment values are strings
export const wrong: WorkerOptions = { env: { PORT: 8080 } };
`;

const SOURCES = {
  'api.ts': apiSource,
  'worker-options.ts': workerOptionsSource,
  'vitest-entry.ts': vitestEntrySource,
  'matchers.test.ts': matchersTestSource,
  'gradcheck-env.d.ts': matcherTypesLine,
};

describe('a TypeScript project without @types/node', () => {
  let project: string;
  beforeAll(() => {
    // vitest for gradcheck/vitest's types; nothing here brings @types/node (vite's is an optional peer).
    project = installConsumer('no-node-types', [repoVersionOf('vitest')], 'module').project;
  }, 300_000);

  for (const resolution of ['nodenext', 'bundler'] as const) {
    it(`compiles gradcheck and gradcheck/vitest with skipLibCheck off (${resolution})`, () => {
      expect(existsSync(join(project, 'node_modules/@types/node'))).toBe(false);
      const dir = writeProject(resolution, resolution);
      const result = runIn(dir, process.execPath, [TSC, '-p', '.', '--listFilesOnly']);
      // No declaration of Node's own is read, from this project or a folder above it.
      expect(result.out).not.toMatch(/@types\/node/);
      expect(result.out).toMatch(/node_modules\/gradcheck\/dist\/index\.d\.ts/);
      const compile = runIn(dir, process.execPath, [TSC, '-p', '.']);
      expect(compile.out + compile.err).toBe('');
      expect(compile.code).toBe(0);
    }, 120_000);
  }

  /** A folder of the project with its tsconfig; the default `lib` of es2022 (which includes the DOM's AbortSignal). */
  function writeProject(name: string, resolution: 'nodenext' | 'bundler'): string {
    const dir = join(project, name);
    mkdirSync(dir, { recursive: true });
    const module = resolution === 'nodenext' ? 'nodenext' : 'esnext';
    const compilerOptions = { target: 'es2022', module, moduleResolution: resolution, strict: true, noEmit: true, skipLibCheck: false };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: Object.keys(SOURCES) }, null, 2));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    for (const [file, text] of Object.entries(SOURCES)) writeFileSync(join(dir, file), text);
    return dir;
  }
});
