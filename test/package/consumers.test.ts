// The installed tarball as its users consume it: an ES module and a CommonJS script run; TypeScript
// compiles against its declarations under each module resolution a project may use, with the matchers
// typed by README.md's setup; a vitest test file using the matchers runs under vitest 4 and 3.2 (the
// lowest version the peer range admits).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSource, cjsScript, esmScript, matcherTypesLine, matchersTestSource, unawaitedTestSource, vitestConfig, vitestEntrySource } from './consumer-sources.js';
import { REPO, installConsumer, installPackedPackage, repoVersionOf, runIn as run, type InstalledPackage } from './packed.js';

const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const LOWEST_VITEST = 'vitest@3.2';

function writeFiles(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A folder of a typed project with its own module format and compiler options. */
function typedFolder(project: string, name: string, type: 'module' | 'commonjs', options: Record<string, unknown>, withSetupLine = true): string {
  const compilerOptions = { target: 'es2022', strict: true, noEmit: true, ...options };
  const tsconfig = (include: string[]) => JSON.stringify({ compilerOptions, include }, null, 2);
  return writeFiles(join(project, name), {
    'package.json': JSON.stringify({ type }),
    'tsconfig.json': tsconfig(['api.ts', 'matchers.test.ts', 'gradcheck-env.d.ts']),
    'tsconfig.entry.json': tsconfig(['vitest-entry.ts']),
    'vitest-entry.ts': vitestEntrySource,
    'api.ts': apiSource,
    'matchers.test.ts': matchersTestSource,
    ...(withSetupLine ? { 'gradcheck-env.d.ts': matcherTypesLine } : {}),
  });
}

function tsc(dir: string, project = 'tsconfig.json') {
  return run(dir, process.execPath, [TSC, '-p', project]);
}

interface VitestSummary {
  numPassedTests: number;
  numFailedTests: number;
  success: boolean;
  testResults: Array<{ assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }>;
}

/** Runs vitest in `project` on its test files (by `config`); the JSON reporter's results, and the output on failure. */
function runVitest(project: string, config = 'vitest.config.mjs') {
  const result = run(project, join(project, 'node_modules/.bin/vitest'), ['run', '--config', config, '--reporter=json', '--outputFile=results.json']);
  const summary = JSON.parse(readFileSync(join(project, 'results.json'), 'utf8')) as VitestSummary;
  return { ...result, summary };
}

describe('scripts using the installed package', () => {
  let pkg: InstalledPackage;
  beforeAll(() => {
    pkg = installPackedPackage();
  }, 300_000);

  for (const [kind, file, source] of [['an ES module', 'example.mjs', esmScript], ['a CommonJS script', 'example.cjs', cjsScript]] as const) {
    it(`runs as ${kind} and prints the README's verdicts`, () => {
      writeFileSync(join(pkg.project, file), source);
      const result = run(pkg.project, process.execPath, [file]);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/^clean: pass\n/);
      // The README's output of its API example.
      expect(result.out).toContain('FAIL: 1 entry disagrees (first: W2[0,0])\n');
    });
  }
});

describe('TypeScript projects using the installed package', () => {
  let project: string;
  beforeAll(() => {
    project = installConsumer('typed', [repoVersionOf('vitest'), repoVersionOf('@types/node')], 'module').project;
  }, 300_000);

  // skipLibCheck is off where it can be, so gradcheck's own declarations are checked too; under
  // node10, vitest's and fast-check's declarations do not resolve their own subpath imports.
  const settings = [
    ['nodenext, an ES module project', 'module', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }],
    ['nodenext, a CommonJS project', 'commonjs', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }],
    ['bundler', 'module', { module: 'esnext', moduleResolution: 'bundler', skipLibCheck: false }],
    ['node10', 'commonjs', { module: 'commonjs', moduleResolution: 'node10', skipLibCheck: true, esModuleInterop: true }],
  ] as const;

  for (const [label, type, options] of settings) {
    it(`compiles under ${label}, the matchers typed by the one documented line`, () => {
      const dir = typedFolder(project, label.replace(/\W+/g, '-'), type, options);
      const result = tsc(dir);
      expect(result.out + result.err).toBe('');
      expect(result.code).toBe(0);
    }, 120_000);

    it(`resolves gradcheck/vitest's exports and types under ${label}`, () => {
      const result = tsc(join(project, label.replace(/\W+/g, '-')), 'tsconfig.entry.json');
      expect(result.out + result.err).toBe('');
      expect(result.code).toBe(0);
    }, 120_000);
  }

  it('does not type the matchers without that line (so the line is what does it)', () => {
    const dir = typedFolder(project, 'without-line', 'module', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }, false);
    const result = tsc(dir);
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/matchers\.test\.ts\(\d+,\d+\): error TS2339: Property 'toHaveCorrectGradients' does not exist/);
    expect(result.out).toMatch(/error TS2339: Property 'toPassGradientCheck' does not exist/);
  }, 120_000);

  it("runs the test file under vitest with the README's setupFiles", () => {
    writeFiles(join(project, 'run'), { 'matchers.test.ts': matchersTestSource });
    writeFileSync(join(project, 'vitest.config.mjs'), vitestConfig('run/matchers.test.ts'));
    const result = runVitest(project);
    expect(result.summary, result.out + result.err).toMatchObject({ success: true, numPassedTests: 3, numFailedTests: 0 });
  }, 180_000);
});

describe(`the matchers under the lowest vitest the peer range admits (${LOWEST_VITEST})`, () => {
  let project: string;
  beforeAll(() => {
    project = installConsumer('vitest-lowest', [LOWEST_VITEST], 'module').project;
  }, 300_000);

  it('install without a peer conflict, run and pass the same test file', () => {
    const { version } = JSON.parse(readFileSync(join(project, 'node_modules/vitest/package.json'), 'utf8')) as { version: string };
    expect(version).toMatch(/^3\.2\./);
    writeFiles(project, { 'matchers.test.ts': matchersTestSource, 'vitest.config.mjs': vitestConfig('matchers.test.ts') });
    const result = runVitest(project);
    expect(result.summary, result.out + result.err).toMatchObject({ success: true, numPassedTests: 3, numFailedTests: 0 });
  }, 180_000);

  it("fail a test that forgets the await, in that test's words (vitest 3.2 gives the matcher the test's name, not the test)", () => {
    writeFiles(project, { 'unawaited.test.ts': unawaitedTestSource, 'vitest.unawaited.config.mjs': vitestConfig('unawaited.test.ts') });
    const { summary, out, err } = runVitest(project, 'vitest.unawaited.config.mjs');
    const tests = summary.testResults.flatMap((file) => file.assertionResults);
    expect(tests.map(({ title, status }) => [title, status]), out + err).toEqual([['awaits', 'passed'], ['forgets the await', 'failed']]);
    expect(tests[1].failureMessages[0]).toMatch(/^Error: expect\(…\)\.toHaveCorrectGradients\(\) on engine was not awaited: the test ended before the check finished/);
  }, 180_000);

  it('type the matchers there too, with the same line', () => {
    const dir = typedFolder(project, 'typed', 'module', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true });
    const result = tsc(dir);
    expect(result.out + result.err).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);
});
