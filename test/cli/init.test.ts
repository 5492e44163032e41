// Installed defaults: `gradcheck init python [dir]` writes the protocol helper and a template worker
// (which passes as written, and declares what it supports) without overwriting anything unless
// --force; `gradcheck fixtures` without --dir checks the fixtures shipped with the package, from any
// working directory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PYTHON, ROOT, clearRunnerEnv, lineOf, runCli } from './check-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

const bundledFile = (name: string) => readFileSync(join(ROOT, 'examples', 'python', name), 'utf8');

/** The CLI as its own process in `cwd` (tsx loaded by absolute path, so any directory works). */
function cliIn(cwd: string, args: readonly string[]) {
  const loader = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  return spawnSync(process.execPath, ['--import', loader, join(ROOT, 'src', 'cli', 'bin.ts'), ...args], { cwd, encoding: 'utf8' });
}

describe('gradcheck init python [dir]', () => {
  it('writes the helper and the template worker, and says what to run next', async () => {
    const target = join(dir, 'new', 'worker');
    const { code, out, err } = await runCli(['init', 'python', target]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(join(target, 'gradcheck_worker.py'), 'utf8')).toBe(bundledFile('gradcheck_worker.py'));
    expect(readFileSync(join(target, 'template_worker.py'), 'utf8')).toBe(bundledFile('template_worker.py'));
    expect(out).toBe(
      [
        'gradcheck init: wrote',
        `  ${join(target, 'gradcheck_worker.py')}  the protocol helper (keep it next to your worker)`,
        `  ${join(target, 'template_worker.py').padEnd(join(target, 'gradcheck_worker.py').length)}  a correct NumPy worker to start from: edit its TODOs`,
        '',
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
    const r = cliIn(target, ['check', PYTHON, 'template_worker.py', '--runs', '20', '--seed', '1']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(lineOf(r.stdout, 'cases')).toBe('--activations sigmoid,relu,identity --output-activations identity,sigmoid --reductions mean,sum,half-sum --bias mixed --max-depth 4');
    expect(r.stdout).toContain('PASS: my-network: 20 random cases agree with finite differences; fast-check seed 1 (from --seed)');
  });

  it('refuses to overwrite an existing file (writing nothing) unless --force', async () => {
    const target = join(dir, 'existing');
    expect((await runCli(['init', 'python', target])).code).toBe(0);
    writeFileSync(join(target, 'template_worker.py'), '# my own work\n');
    const refused = await runCli(['init', 'python', target]);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toBe(`gradcheck: init: ${join(target, 'gradcheck_worker.py')} and ${join(target, 'template_worker.py')} already exist; nothing was written (use --force to overwrite)\n`);
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
