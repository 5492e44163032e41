// The `gradcheck` bin as npm installs it: a symlink in node_modules/.bin, run through npx and through
// npm scripts. It once printed nothing and exited 0 whatever it was asked (the entry point guessed from
// process.argv[1] whether it was run directly), so a CI job passed on any worker.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, installPackedPackage, type InstalledPackage } from './packed.js';

const PYTHON = process.env.GRADCHECK_PYTHON ?? 'python3';
let pkg: InstalledPackage;

beforeAll(() => {
  pkg = installPackedPackage();
}, 300_000);

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: pkg.project, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('the installed gradcheck bin', () => {
  it('prints its version, the one in package.json', () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const result = run(pkg.bin, ['--version']);
    expect(result).toMatchObject({ code: 0, out: `${version}\n` });
  });

  it('prints its help through the .bin symlink and through npx', () => {
    for (const [command, args] of [[pkg.bin, ['--help']], ['npx', ['--no-install', 'gradcheck', '--help']]] as const) {
      const result = run(command, [...args]);
      expect(result.code).toBe(0);
      expect(result.out).toContain('Usage: gradcheck [options] [command]');
    }
  });

  it('exits 0 on the bundled correct NumPy worker', () => {
    const result = run(pkg.bin, ['check', PYTHON, join(pkg.root, 'examples/python/numpy_mlp.py'), '--runs', '20', '--seed', '1']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('PASS');
  });

  it('exits 1 on the bundled buggy NumPy worker', () => {
    const result = run(pkg.bin, ['check', PYTHON, join(pkg.root, 'examples/python/numpy_buggy.py'), '--runs', '20', '--seed', '1']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('FAIL');
  });

  it('exits 2 on a worker that crashes', () => {
    const result = run(pkg.bin, ['check', PYTHON, join(REPO, 'test/workers/fault_worker.py'), 'crash-second', '--runs', '5', '--seed', '1']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/worker/i);
  });

  it('prints a usage error as "gradcheck: …" and exits 2', () => {
    const result = run(pkg.bin, ['check', '--bogus', 'python3', 'x.py']);
    expect(result.code).toBe(2);
    expect(result.err.split('\n')[0]).toBe("gradcheck: unknown option '--bogus'");
  });

  it('ends quietly with its own exit code when the reader of stdout goes away (`gradcheck --help | head -1`)', async () => {
    const child = spawn(pkg.bin, ['check', '--help'], { cwd: pkg.project, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('colours its help only when asked to on a pipe', () => {
    const env = { ...process.env };
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'CLICOLOR_FORCE']) delete env[name];
    const help = (args: string[]) => spawnSync(pkg.bin, args, { cwd: pkg.project, env, encoding: 'utf8' }).stdout;
    expect(help(['--help'])).not.toContain('\x1b[');
    expect(help(['--color', '--help'])).toContain('\x1b[1mUsage:\x1b[22m gradcheck');
  });

  it('checks the bundled notebook fixtures without a checkout (no ./fixtures)', () => {
    const result = run(pkg.bin, ['fixtures']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('000');
    expect(result.out).toContain('004');
  });

  it('writes a Python worker to start from with init, which passes as written once the shipped wheel is installed offline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-init-'));
    expect(run(pkg.bin, ['init', 'python', dir]).code).toBe(0);
    const wheel = run(pkg.bin, ['python-path']);
    expect(wheel.out).toMatch(/\/dist\/python\/gradcheck-.+-py3-none-any\.whl\n$/);
    // pip --target: the user's `pip install "$(npx gradcheck python-path)"` without touching this Python.
    const site = join(dir, 'site');
    const pip = spawnSync(PYTHON, ['-m', 'pip', 'install', '--no-index', '--no-deps', '--target', site, wheel.out.trim()], { encoding: 'utf8' });
    expect(pip.status, pip.stderr).toBe(0);
    const result = spawnSync(pkg.bin, ['check', PYTHON, join(dir, 'template_worker.py'), '--runs', '10', '--seed', '1'], { cwd: pkg.project, encoding: 'utf8', env: { ...process.env, PYTHONPATH: site } });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^PASS: /m);
  });
});
