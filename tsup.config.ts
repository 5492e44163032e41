import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  // No source maps: they pointed into src/, which is not shipped, and were 63% of the tarball.
  sourcemap: false,
  target: 'node20',
  // vitest is the user's own (a devDependency here), never bundled.
  external: ['vitest'],
  // The HTML report's colour map: d3-scale-chromatic is ESM-only, so the CJS build could not require()
  // it; bundled, it is a devDependency and both builds carry the few kB they use.
  // seedrandom (ARC4, the seeded values of every case): its package installs 512 kB (docs, tests,
  // seven generators) for the one 9 kB file used; bundled, it is a devDependency too. Same generator, same
  // values: the seeded cases do not change. Its require('crypto') only seeds an unseeded call, which
  // gradcheck never makes (and is guarded by seedrandom's own try/catch where require is missing).
  noExternal: ['d3-scale-chromatic', 'seedrandom'],
  // seedrandom's index.js is its ARC4 function (seedrandom.js) with six other generators attached:
  // gradcheck calls only the function, so only that file is bundled.
  esbuildOptions(options) {
    options.alias = { ...options.alias, seedrandom: 'seedrandom/seedrandom.js' };
  },
  // One copy of the code per module format: the entries are small files over shared chunks. esbuild
  // splits only ESM; for CJS tsup's (experimental) splitting builds ESM chunks and converts them, so
  // require('gradcheck') and require('gradcheck/vitest') share one CJS chunk set instead of each
  // carrying the whole library (index.cjs was 446 kB and vitest.cjs 319 kB, mostly the same code).
  splitting: true,
  // import.meta.url in the CommonJS build (src/package-version.ts reads package.json beside the bundle).
  shims: true,
};

export default defineConfig([
  {
    // `gradcheck`, `gradcheck/vitest` (the matchers' setup file) and the `gradcheck` bin in one ESM build,
    // so they share one copy of the code (the bin keeps the hashbang that starts src/cli/bin.ts).
    ...shared,
    entry: { index: 'src/index.ts', vitest: 'src/vitest/index.ts', cli: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts', vitest: 'src/vitest/index.ts' } },
  },
  {
    // require('gradcheck') and require('gradcheck/vitest'), with their own .d.cts declarations (the
    // `require` condition's types: a CommonJS file typed by ESM declarations is "masquerading as ESM").
    ...shared,
    entry: { index: 'src/index.ts', vitest: 'src/vitest/index.ts' },
    format: ['cjs'],
    dts: true,
  },
]);
