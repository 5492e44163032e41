import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The examples import the package by name, as users do; tests run them against the source.
  resolve: {
    alias: [
      { find: /^gradcheck$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^gradcheck\/vitest$/, replacement: fileURLToPath(new URL('./src/vitest/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    testTimeout: 60_000,
    // gradcheck's own matchers (toHaveCorrectGradients, toPassGradientCheck), as users register them.
    setupFiles: ['./src/vitest/index.ts'],
    // A directory for the one `npm pack` of a run, shared by the test files of test/package.
    globalSetup: ['./test/package/global-setup.ts'],
  },
});
