// What the npm tarball holds, as `npm pack` reports it: the built package, its licence and docs, and
// nothing of the repository's own (sources, tests, source maps that point at unshipped sources).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, packTarball, type PackReport } from './packed.js';

// Measured with `npm pack --dry-run --json`: before source maps were dropped 856,519 bytes packed and
// 3,350,804 unpacked (63% maps); without them 322,305 and 1,234,847 (31 files), then 364,928 and
// 1,413,168 (35 files) on 2026-12-01 as the CLI grew; then 574,639 and 1,932,015 (49 files) with the
// HTML report, the function checks, the diagnosis's hypothesis space and the README screenshot, after
// the bin moved into the ESM build to share its chunks. The budgets leave about 20% for growth and still
// fail if the maps came back (they were 1.7× the size of the code they mapped: over +1 MB packed now).
const PACKED_BUDGET = 700_000;
const UNPACKED_BUDGET = 2_400_000;

let report: PackReport;
let paths: string[];

beforeAll(() => {
  report = packTarball().report;
  paths = report.files.map((f) => f.path);
}, 300_000);

const pkg = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as {
  license: string;
  keywords?: string[];
  sideEffects: string[] | boolean;
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
  bin: Record<string, string>;
};

/** Every file path named anywhere in a nested exports value. */
function targetsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(targetsOf);
  return [];
}

const inTarball = (target: string) => paths.includes(target.replace(/^\.\//, ''));

describe('the npm tarball', () => {
  it('has the licence, the readme, both module formats, their types, the matchers entry and the JSON Schemas', () => {
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/cli.js', 'dist/vitest.js', 'dist/vitest.d.ts', 'schemas/check-result.schema.json', 'schemas/protocol.schema.json']) {
      expect(paths, file).toContain(file);
    }
  });

  it('has no sources, tests, source maps or repository-only folders', () => {
    const unwanted = paths.filter((p) => /^(src|test|properties|bench|mutants|coverage|\.ci)\//.test(p) || /\.(test|spec)\.[cm]?[jt]s$/.test(p) || p.endsWith('.map'));
    expect(unwanted).toEqual([]);
  });

  it(`stays within its size budget (${PACKED_BUDGET} bytes packed, ${UNPACKED_BUDGET} unpacked)`, () => {
    expect(report.size).toBeLessThan(PACKED_BUDGET);
    expect(report.unpackedSize).toBeLessThan(UNPACKED_BUDGET);
  });

  it('ships every file package.json points at (exports, typesVersions, bin, sideEffects)', () => {
    const targets = [
      ...targetsOf(pkg.exports).filter((t) => t !== './package.json'),
      ...Object.values(pkg.typesVersions).flatMap((map) => Object.values(map).flat()),
      ...Object.values(pkg.bin),
      ...(Array.isArray(pkg.sideEffects) ? pkg.sideEffects : []),
    ];
    expect(targets.length).toBeGreaterThan(10);
    expect(targets.filter((t) => !inTarball(t))).toEqual([]);
  });

  it('is MIT-licensed, in package.json and in the LICENSE file, and has keywords', () => {
    expect(pkg.license).toBe('MIT');
    const licence = readFileSync(`${REPO}/LICENSE`, 'utf8');
    expect(licence).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the gradcheck authors\n/);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['gradient-check', 'backpropagation', 'finite-differences']));
  });

  it('ships TypeScript examples that import the package by name, not the unshipped sources', () => {
    const examples = paths.filter((p) => p.startsWith('examples/') && p.endsWith('.ts'));
    expect(examples.length).toBeGreaterThan(1);
    for (const file of examples) {
      const text = readFileSync(`${REPO}/${file}`, 'utf8');
      expect(text, file).not.toMatch(/from '\.\.?\//);
      expect(text, file).toMatch(/from 'gradcheck'/);
    }
  });

  it('has no relative link in its Markdown that leads out of the package', () => {
    const dead: string[] = [];
    for (const file of paths.filter((p) => p.endsWith('.md'))) {
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
      for (const [, target] of readFileSync(`${REPO}/${file}`, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:|^#/.test(target)) continue;
        const path = new URL(target.split('#')[0], `file:///${dir}`).pathname.slice(1).replace(/\/$/, '');
        if (!paths.some((p) => p === path || p.startsWith(`${path}/`))) dead.push(`${file}: ${target}`);
      }
    }
    expect(dead).toEqual([]);
  });
});
