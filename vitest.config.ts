import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    testTimeout: 60_000,
    // gradcheck's own matchers (toHaveCorrectGradients, toPassGradientCheck), as users register them.
    setupFiles: ['./src/vitest/index.ts'],
  },
});
