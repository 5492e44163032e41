// gradcheck's Python package as a user gets it: the wheel built by scripts/build-wheel.mjs (what
// `npm run build` ships in dist/python/), installed with pip --no-index into a fresh virtual
// environment (offline: nothing from a registry), then python/tests run by pytest in it — the worker
// helper, the torch adapters and the pytest plugin (found through the wheel's pytest11 entry point)
// against real torch on correct and planted-bug Functions and Modules, through the real gradcheck command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../workers/processes.js';
import { cliFromSources, torchPython } from './python-env.js';

const work = mkdtempSync(join(tmpdir(), 'gradcheck-python-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

let python: string;
let wheel: string;
let venvPython: string;

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env, timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  python = torchPython();
  const built = run(process.execPath, [join(ROOT, 'scripts', 'build-wheel.mjs'), '--out', join(work, 'dist')]);
  expect(built.err).toBe('');
  wheel = join(work, 'dist', readdirSync(join(work, 'dist'))[0]!);
  expect(run(python, ['-m', 'venv', '--system-site-packages', join(work, 'venv')]).code).toBe(0);
  venvPython = join(work, 'venv', 'bin', 'python');
  const pip = run(venvPython, ['-m', 'pip', 'install', '--no-index', '--disable-pip-version-check', wheel]);
  expect(pip.err.replace(/^.*WARNING.*$/gm, '').trim()).toBe('');
  expect(pip.out).toContain(`Successfully installed gradcheck-${pkg.version}`);
}, 600_000);

describe("the wheel of gradcheck's Python package", () => {
  it("is named, versioned and described as PEP 427 and core metadata say, with package.json's version, and builds to the same bytes twice", () => {
    expect(wheel.endsWith(`/gradcheck-${pkg.version}-py3-none-any.whl`)).toBe(true);
    const again = run(process.execPath, [join(ROOT, 'scripts', 'build-wheel.mjs'), '--out', join(work, 'again')]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(work, 'again', `gradcheck-${pkg.version}-py3-none-any.whl`)).equals(readFileSync(wheel))).toBe(true);
    // Read back by Python's own zipfile, each RECORD hash recomputed with hashlib (PEP 376/427's format).
    const info = run(python, ['-c', `
import base64, hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
d = "gradcheck-${pkg.version}.dist-info/"
rows = [line.split(",") for line in z.read(d + "RECORD").decode().splitlines()]
bad = [p for p, h, n in rows if h and (h != "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(z.read(p)).digest()).rstrip(b"=").decode() or int(n) != len(z.read(p)))]
print(json.dumps({"names": sorted(z.namelist()), "bad": bad, "entry": z.read(d + "entry_points.txt").decode(), "wheel": z.read(d + "WHEEL").decode(),
  "meta": z.read(d + "METADATA").decode().split("\\n\\n")[0], "version": z.read("gradcheck/_version.py").decode()}))
`, wheel]);
    expect(info.err).toBe('');
    const got = JSON.parse(info.out) as { names: string[]; bad: string[]; entry: string; wheel: string; meta: string; version: string };
    expect(got.bad).toEqual([]);
    expect(got.names).toEqual(expect.arrayContaining(['gradcheck/__init__.py', 'gradcheck/worker.py', 'gradcheck/torch.py', 'gradcheck/pytest_plugin.py', 'gradcheck/relay.py', 'gradcheck/runner.py', 'gradcheck/py.typed', `gradcheck-${pkg.version}.dist-info/RECORD`]));
    expect(got.names.filter((n) => n.includes('__pycache__') || n.startsWith('tests/'))).toEqual([]);
    expect(got.entry).toBe('[pytest11]\ngradcheck = gradcheck.pytest_plugin\n');
    expect(got.wheel).toContain('Root-Is-Purelib: true\nTag: py3-none-any\n');
    expect(got.meta).toContain(`Name: gradcheck\nVersion: ${pkg.version}\n`);
    expect(got.meta).toContain('Requires-Dist: numpy');
    expect(got.version).toContain(`__version__ = "${pkg.version}"`);
  });

  it('installs offline into a fresh venv, registering the pytest plugin', () => {
    const r = run(venvPython, ['-c', 'import gradcheck, importlib.metadata as m; print(gradcheck.__version__, [e.value for e in m.entry_points(group="pytest11") if e.name == "gradcheck"])']);
    expect(r.err).toBe('');
    expect(r.out).toBe(`${pkg.version} ['gradcheck.pytest_plugin']\n`);
  });

  it('passes python/tests: the worker, the torch adapters, and the plugin on correct and buggy Functions and Modules', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, GRADCHECK_CLI: cliFromSources(ROOT), PYTHONDONTWRITEBYTECODE: '1' };
    delete env.PYTHONPATH;
    const r = run(venvPython, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', join(ROOT, 'python', 'tests')], env);
    expect(r.out).toMatch(/^\d+ passed in /m);
    expect(r.out).not.toMatch(/skipped|failed|error/);
    expect(r.code).toBe(0);
  }, 600_000);
});
