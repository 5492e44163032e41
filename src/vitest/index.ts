/**
 * `gradcheck/vitest`: importing it registers gradcheck's matchers with vitest's `expect`, so it is
 * the setup file itself:
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { setupFiles: ['gradcheck/vitest'] } });
 *
 *   // gradcheck-env.d.ts (any declaration file the tsconfig includes): types the matchers, since
 *   // vitest.config.ts is not part of the tests' type-check
 *   /// <reference types="gradcheck/vitest" />
 *
 *   // a test
 *   await expect(myBackprop).toHaveCorrectGradients({ runs: 50 });
 *   expect(checkNetwork(networkCase, { claimed })).toPassGradientCheck();
 *
 * A `toHaveCorrectGradients` its test never awaited fails that test, naming the call (unawaited.ts).
 * It also exports the matchers object, for `expect.extend` by hand (without that check).
 */
import { afterEach, expect, type TestContext } from 'vitest';
import type { PropertyOptions } from '../runner/assert-gradients.js';
import { gradcheckMatchers } from './matchers.js';
import { endOfTest, trackUnawaitedMatchers } from './unawaited.js';

export { gradcheckMatchers, type GradcheckMatchersObject, type MatcherResult } from './matchers.js';

/** The matchers gradcheck adds to vitest's `expect` (typed by `/// <reference types="gradcheck/vitest" />`). */
export interface GradcheckMatchers {
  /**
   * Checks the implementation on random networks (`runGradientProperty`): passes when every case
   * agrees with finite differences; a failure's message has the shrunk counterexample, the located
   * mismatch and the line that replays it. Async: `await` it. A worker or usage error throws.
   */
  toHaveCorrectGradients(options?: PropertyOptions): Promise<void>;
  /** Passes when a `GradientReport` or `ImplementationReport` has verdict `pass`; the message has the report. */
  toPassGradientCheck(): void;
}

declare module 'vitest' {
  // T must match vitest's own declaration; the matchers take any received value.
  interface Matchers<T = any> extends GradcheckMatchers {}
}

expect.extend(gradcheckMatchers);

// A setup file's hooks apply to every test of every test file it sets up.
trackUnawaitedMatchers();
afterEach((context) => {
  const { task } = context;
  const error = endOfTest({ task, fullName: fullNameOf(task), failed: task.result?.state === 'fail' });
  if (error) throw error;
});

/** The test's name as vitest 3.2's matcher state gives it: its suites' names and its own, joined by " > ". */
function fullNameOf(test: TestContext['task']): string {
  const names = [test.name];
  for (let suite = test.suite; suite && suite !== test.file; suite = suite.suite) if (suite.name) names.unshift(suite.name);
  return names.join(' > ');
}
