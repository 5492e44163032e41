import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that take seconds each, left out by `npm run test:fast` (`vitest run --mode fast`), the
 * inner loop; `npm test` (and CI) runs them all. Each packs the package, runs the CLI or vitest in
 * child processes, opens Chromium, runs a bug catalogue or times code (speed-*: timings also want an
 * idle machine): every one took 3 s or more, its hooks included, in `vitest run` on 2 cores under load;
 * the files left in took under 2 s there. test/config/fast-tests.test.ts fails when an entry names no file.
 */
export const SLOW_TESTS = [
  'test/package/**',
  'test/cli/conventions.test.ts',
  'test/cli/check.test.ts',
  'test/cli/check-errors.test.ts',
  'test/cli/check-flags.test.ts',
  'test/cli/check-float32.test.ts',
  'test/cli/check-interrupt.test.ts',
  'test/cli/check-layout-hint.test.ts',
  'test/cli/check-recorder.test.ts',
  'test/cli/check-state-and-loss.test.ts',
  'test/cli/check-supports.test.ts',
  'test/cli/check-real-sizes.test.ts',
  'test/cli/init.test.ts',
  'test/cli/reporters.test.ts',
  'test/mutants/numpy-catalogue.test.ts',
  'test/mutants/numpy-end-to-end.test.ts',
  'test/docs/samples.test.ts',
  'test/check/speed-fast-mode.test.ts',
  'test/check/speed-incremental.test.ts',
  'test/check/speed-screen.test.ts',
  'test/diagnosis/catalogue-accuracy.test.ts',
  'test/regressions/no-false-alarm.test.ts',
  'test/regressions/verdicts.test.ts',
  'test/html/browser.test.ts',
  'test/fixtures/cli.test.ts',
  'test/adapters/subprocess-cleanup.test.ts',
  'test/functions/worker-functions.test.ts',
  'test/runner/case-history.test.ts',
  'test/vitest/unawaited.test.ts',
];

export default defineConfig(({ mode }) => ({
  // The examples import the package by name, as users do; tests run them against the source.
  resolve: {
    alias: [
      { find: /^gradcheck$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^gradcheck\/vitest$/, replacement: fileURLToPath(new URL('./src/vitest/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    exclude: mode === 'fast' ? [...configDefaults.exclude, ...SLOW_TESTS] : configDefaults.exclude,
    // The fast loop's test files share their worker's modules instead of each loading the library
    // afresh: that loading was most of its time (vitest's setup 28 s + import 16 s of a 155 s run, against
    // 1.4 s + 4.2 s without isolation, same 990 tests passing). `npm test` keeps every file isolated.
    isolate: mode !== 'fast',
    testTimeout: 60_000,
    // gradcheck's own matchers (toHaveCorrectGradients, toPassGradientCheck), as users register them.
    setupFiles: ['./src/vitest/index.ts'],
    // A directory for the one `npm pack` of a run, shared by the test files of test/package.
    globalSetup: ['./test/package/global-setup.ts'],
  },
}));
