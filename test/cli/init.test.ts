// Installed defaults: `gradcheck init python [dir]` writes a template worker that imports gradcheck's
// Python package (which passes as written once the package is importable, declares what it supports,
// and says how to install the package when it is not) without overwriting anything unless --force; `gradcheck fixtures` without --dir checks the fixtures shipped with the package, from any
// working directory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PYTHON, ROOT, clearRunnerEnv, lineOf, runCli } from './check-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

const bundledFile = (name: string) => readFileSync(join(ROOT, 'examples', 'python', name), 'utf8');

/**
 * The CLI as its own process in `cwd` (tsx loaded by absolute path, so any directory works). With
 * `withPackage`, its workers import gradcheck's Python package from its sources, as they would once
 * the wheel is installed (test/python/ installs the wheel itself into a virtual environment).
 */
function cliIn(cwd: string, args: readonly string[], withPackage = false) {
  const loader = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  const env = withPackage ? { ...process.env, PYTHONPATH: join(ROOT, 'python', 'src') } : { ...process.env, PYTHONPATH: '' };
  return spawnSync(process.execPath, ['--import', loader, join(ROOT, 'src', 'cli', 'bin.ts'), ...args], { cwd, encoding: 'utf8', env });
}

describe('gradcheck init python [dir]', () => {
  it('writes the template worker only, and says how to install the package it imports and what to run next', async () => {
    const target = join(dir, 'new', 'worker');
    const { code, out, err } = await runCli(['init', 'python', target]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(readdirSync(target)).toEqual(['template_worker.py']);
    expect(readFileSync(join(target, 'template_worker.py'), 'utf8')).toBe(bundledFile('template_worker.py'));
    expect(bundledFile('template_worker.py')).toContain('from gradcheck import Unsupported, run_worker');
    expect(out).toBe(
      [
        'gradcheck init: wrote',
        `  ${join(target, 'template_worker.py')}  a correct NumPy worker to start from: edit its TODOs`,
        '',
        "It imports gradcheck's Python package; install it (offline, from this npm package) into the Python that runs it:",
        '  pip install "$(npx gradcheck python-path)"',
        'It passes as written; check it, then put your own code where the TODOs say:',
        `  npx gradcheck check python3 ${join(target, 'template_worker.py')} --runs 20 --seed 1`,
        '',
      ].join('\n'),
    );
  });

  it('the written template passes `gradcheck check python3 template_worker.py --runs 20 --seed 1`, declaring what it supports', async () => {
    const target = join(dir, 'passes');
    expect((await runCli(['init', 'python', target])).code).toBe(0);
    // Run from the directory it was written to, as the user would.
    const r = cliIn(target, ['check', PYTHON, 'template_worker.py', '--runs', '20', '--seed', '1'], true);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(lineOf(r.stdout, 'cases')).toBe('--activations sigmoid,relu,identity --output-activations identity,sigmoid --reductions mean,sum,half-sum --bias mixed --max-depth 4');
    expect(r.stdout).toContain('PASS: my-network: 20 random cases agree with finite differences; fast-check seed 1 (from --seed)');
  });

  it('without the package installed, the template exits with the line that installs it, which gradcheck quotes', async () => {
    const target = join(dir, 'no-package');
    expect((await runCli(['init', 'python', target])).code).toBe(0);
    const r = cliIn(target, ['check', PYTHON, 'template_worker.py', '--runs', '1', '--seed', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`exited with code 1 before sending its handshake; last stderr lines:`);
    expect(r.stderr).toContain(`template_worker.py: gradcheck's Python package is not installed in ${PYTHON}; install it (offline, from the npm package) with: pip install "$(npx gradcheck python-path)"`);
  });

  it('refuses to overwrite an existing template (writing nothing) unless --force', async () => {
    const target = join(dir, 'existing');
    expect((await runCli(['init', 'python', target])).code).toBe(0);
    writeFileSync(join(target, 'template_worker.py'), '# my own work\n');
    const refused = await runCli(['init', 'python', target]);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toBe(`gradcheck: init: ${join(target, 'template_worker.py')} already exists; nothing was written (use --force to overwrite)\n`);
    expect(readFileSync(join(target, 'template_worker.py'), 'utf8')).toBe('# my own work\n');
    const forced = await runCli(['init', 'python', target, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(target, 'template_worker.py'), 'utf8')).toBe(bundledFile('template_worker.py'));
  });

  it('a language it has no template for is a usage error', async () => {
    const { code, err } = await runCli(['init', 'ruby']);
    expect(code).toBe(2);
    expect(err).toContain("gradcheck: command-argument value 'ruby' is invalid for argument 'lang'. Allowed choices are python.");
  });
});

describe('gradcheck fixtures without --dir', () => {
  it('checks the fixtures bundled with the package, from any working directory', () => {
    const elsewhere = mkdtempSync(join(dir, 'cwd-'));
    const r = cliIn(elsewhere, ['fixtures']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`gradcheck fixtures: 5 fixtures in ${join(ROOT, 'fixtures').replace(/\/$/, '')}`);
  });
});
