import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `gradcheck` and `gradcheck/vitest` (the matchers' setup file) in one build, so ESM shares one copy of the code.
    entry: { index: 'src/index.ts', vitest: 'src/vitest/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps: they pointed into src/, which is not shipped, and were 63% of the tarball.
    sourcemap: false,
    clean: true,
    target: 'node20',
    // vitest is the user's own (a devDependency here), never bundled.
    external: ['vitest'],
  },
  {
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: false,
    target: 'node20',
  },
]);
