// Packs this repository once per test run (npm pack runs the build through `prepack`) and installs
// the tarball into a fresh temporary project, exactly as a user gets gradcheck. Shared by the tests
// in this folder through a promise, so the package is packed and installed once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

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

let installed: InstalledPackage | undefined;

export function installPackedPackage(): InstalledPackage {
  if (installed) return installed;
  const work = mkdtempSync(join(tmpdir(), 'gradcheck-packed-'));
  const packOut = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(packOut.slice(packOut.indexOf('['))) as Array<{ filename: string }>;
  const tarball = join(work, filename);
  const project = join(work, 'consumer');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  installed = { project, tarball, bin: join(project, 'node_modules', '.bin', 'gradcheck'), root: join(project, 'node_modules', 'gradcheck') };
  return installed;
}
