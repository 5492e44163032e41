// Packs this repository once per test run (npm pack runs the build through `prepack`) and installs
// the tarball into fresh temporary projects, exactly as a user gets gradcheck. Shared by the tests in
// this folder: the package is packed once per run (across test files, see global-setup.ts), and each
// consumer project is installed once per test file.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

/** What `npm pack --json` says about the tarball. */
export interface PackReport {
  readonly filename: string;
  /** Bytes of the gzipped tarball. */
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: ReadonlyArray<{ readonly path: string; readonly size: number }>;
}

export interface PackedTarball {
  /** The temporary directory holding the tarball and the consumer projects. */
  readonly work: string;
  /** The tarball's path. */
  readonly tarball: string;
  readonly report: PackReport;
}

export interface InstalledPackage {
  /** The temporary project that depends on the tarball. */
  project: string;
  /** The tarball's path. */
  tarball: string;
  /** `<project>/node_modules/.bin/gradcheck`, the symlink npm makes. */
  bin: string;
  /** `<project>/node_modules/gradcheck`. */
  root: string;
}

/** Set by global-setup.ts for a whole vitest run: where the one tarball of the run is packed. */
export const PACK_DIR_ENV = 'GRADCHECK_TEST_PACK_DIR';

let packed: PackedTarball | undefined;
const projects = new Map<string, InstalledPackage>();

export function packTarball(): PackedTarball {
  if (packed) return packed;
  const work = mkdtempSync(join(tmpdir(), 'gradcheck-consumers-'));
  const shared = process.env[PACK_DIR_ENV];
  const { tarball, report } = shared ? packShared(shared) : packInto(work);
  packed = { work, tarball, report };
  return packed;
}

/** npm pack into `dir`; prepack's build output may precede the JSON, which starts with a line holding only `[`. */
function packInto(dir: string): { tarball: string; report: PackReport } {
  const packOut = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [report] = JSON.parse(packOut.slice(packOut.search(/^\[\s*$/m))) as PackReport[];
  return { tarball: join(dir, report.filename), report };
}

/**
 * Test files run in parallel workers, and two builds at once would delete each other's dist/: the
 * first worker to take the lock (an atomic mkdir) packs, the others wait for its result.
 */
function packShared(dir: string): { tarball: string; report: PackReport } {
  const result = join(dir, 'pack.json');
  const failed = join(dir, 'pack-failed.txt');
  try {
    mkdirSync(join(dir, 'lock'));
  } catch {
    const deadline = Date.now() + 300_000;
    while (!existsSync(result)) {
      if (existsSync(failed)) throw new Error(`npm pack failed in another test file: ${readFileSync(failed, 'utf8')}`);
      if (Date.now() > deadline) throw new Error(`npm pack by another test file did not finish within 300 s (${dir})`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
    return JSON.parse(readFileSync(result, 'utf8')) as { tarball: string; report: PackReport };
  }
  try {
    const packedHere = packInto(dir);
    writeFileSync(`${result}.tmp`, JSON.stringify(packedHere));
    renameSync(`${result}.tmp`, result);
    return packedHere;
  } catch (error) {
    writeFileSync(failed, String(error));
    throw error;
  }
}

/**
 * A temporary project named `name` with the tarball and `packages` (name@range, as npm takes them)
 * installed; `type` is its package.json "type". Installed once per name.
 */
export function installConsumer(name: string, packages: readonly string[] = [], type?: 'module' | 'commonjs'): InstalledPackage {
  const existing = projects.get(name);
  if (existing) return existing;
  const { work, tarball } = packTarball();
  const project = join(work, name);
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, ...(type ? { type } : {}) }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball, ...packages], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  const installed = { project, tarball, bin: join(project, 'node_modules', '.bin', 'gradcheck'), root: join(project, 'node_modules', 'gradcheck') };
  projects.set(name, installed);
  return installed;
}

/** The project with only gradcheck installed (and what it depends on). */
export function installPackedPackage(): InstalledPackage {
  return installConsumer('consumer');
}

/** `name@version` of a package as this repository has it installed, so npm finds it in its cache. */
export function repoVersionOf(name: string): string {
  const { version } = JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return `${name}@${version}`;
}

/** These tests run inside vitest: keep its variables (and the runner's) out of the child processes. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(VITEST|GRADCHECK_)|^NODE_OPTIONS$|^CI$/.test(name)) delete env[name];
  return env;
}

/** Runs `command` in `cwd` (a consumer project) with a clean environment: exit code, stdout and stderr. */
export function runIn(cwd: string, command: string, args: string[]): { code: number | null; out: string; err: string } {
  const result = spawnSync(command, args, { cwd, env: childEnv(), encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}
