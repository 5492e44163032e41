#!/usr/bin/env node
/**
 * Builds gradcheck's Python package as a wheel, in pure Node (no Python, no build backend, nothing
 * downloaded): `pip install --no-index <wheel>` then works offline in any virtual environment, where
 * `pip install python/` would first try to download a build backend for its isolated build.
 *
 *   node scripts/build-wheel.mjs [--out DIR]      (default DIR: dist/python; run by `npm run build`)
 *
 * The wheel (PEP 427) is a zip of python/src/gradcheck/ plus its .dist-info: METADATA (core metadata
 * 2.1), WHEEL, entry_points.txt (the pytest11 entry point that registers gradcheck.pytest_plugin),
 * top_level.txt and RECORD (each file's sha256, urlsafe base64 without padding, and size). Its
 * version is package.json's, written into gradcheck/_version.py. Entries are sorted and dated
 * 1980-01-01 (the zip epoch), so the same sources give the same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = join(ROOT, 'python', 'src', 'gradcheck');

/** npm's semver as PEP 440 (1.2.3, 1.2.3-beta.1 → 1.2.3b1); anything else is refused by name. */
function pep440(version) {
  const m = /^(\d+\.\d+\.\d+)(?:-(alpha|beta|rc)\.(\d+))?$/.exec(version);
  if (m === null) throw new Error(`build-wheel: package.json version ${JSON.stringify(version)} has no PEP 440 form here; expected x.y.z or x.y.z-alpha|beta|rc.N`);
  return m[2] === undefined ? m[1] : `${m[1]}${{ alpha: 'a', beta: 'b', rc: 'rc' }[m[2]]}${m[3]}`;
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === '__pycache__' ? [] : sourceFiles(path);
      return entry.name.endsWith('.py') || entry.name === 'py.typed' ? [path] : [];
    })
    .sort();
}

function metadata(version, readme) {
  return [
    'Metadata-Version: 2.1',
    'Name: gradcheck',
    `Version: ${version}`,
    "Summary: gradcheck's Python side: a worker helper for NumPy backward passes, torch adapters and a pytest plugin",
    'License: MIT',
    'Requires-Python: >=3.8',
    'Requires-Dist: numpy',
    'Classifier: Framework :: Pytest',
    'Classifier: License :: OSI Approved :: MIT License',
    'Classifier: Typing :: Typed',
    'Description-Content-Type: text/markdown',
    '',
    readme,
  ].join('\n');
}

/** The wheel's entries, path → bytes, RECORD last. */
function wheelEntries(npmVersion) {
  const version = pep440(npmVersion);
  const info = `gradcheck-${version}.dist-info`;
  const files = new Map();
  for (const path of sourceFiles(SOURCES)) {
    const name = `gradcheck/${relative(SOURCES, path).split('\\').join('/')}`;
    files.set(name, name === 'gradcheck/_version.py' ? Buffer.from(versionModule(npmVersion)) : readFileSync(path));
  }
  files.set(`${info}/METADATA`, Buffer.from(metadata(version, readFileSync(join(ROOT, 'python', 'README.md'), 'utf8'))));
  files.set(`${info}/WHEEL`, Buffer.from('Wheel-Version: 1.0\nGenerator: gradcheck scripts/build-wheel.mjs\nRoot-Is-Purelib: true\nTag: py3-none-any\n'));
  files.set(`${info}/entry_points.txt`, Buffer.from('[pytest11]\ngradcheck = gradcheck.pytest_plugin\n'));
  files.set(`${info}/top_level.txt`, Buffer.from('gradcheck\n'));
  const record = [...files].map(([name, bytes]) => `${name},sha256=${createHash('sha256').update(bytes).digest('base64url')},${bytes.length}`);
  files.set(`${info}/RECORD`, Buffer.from([...record, `${info}/RECORD,,`, ''].join('\n')));
  return { name: `gradcheck-${version}-py3-none-any.whl`, files };
}

function versionModule(npmVersion) {
  const source = readFileSync(join(SOURCES, '_version.py'), 'utf8');
  if (!/^__version__ = ".*"$/m.test(source)) throw new Error('build-wheel: python/src/gradcheck/_version.py has no line __version__ = "…"');
  return source.replace(/^__version__ = ".*"$/m, `__version__ = ${JSON.stringify(npmVersion)}`);
}

/** A zip archive (deflated entries, no extras), as PKWARE's APPNOTE 4.3 describes it. */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01, the earliest date a zip entry can carry
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const header = (signature, size) => {
      const b = Buffer.alloc(size);
      b.writeUInt32LE(signature, 0);
      return b;
    };
    const local = header(0x04034b50, 30);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, packed);
    const central = header(0x02014b50, 46);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.size, 8);
  end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function main(argv) {
  const at = argv.indexOf('--out');
  const out = at >= 0 ? resolve(argv[at + 1] ?? '') : join(ROOT, 'dist', 'python');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const wheel = wheelEntries(version);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const path = join(out, wheel.name);
  writeFileSync(path, zip(wheel.files));
  process.stdout.write(`build-wheel: ${relative(process.cwd(), path) || path} (${wheel.files.size} files)\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
