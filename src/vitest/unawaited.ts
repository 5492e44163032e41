/**
 * Async matcher calls whose test never awaited them. vitest does not wait for a custom matcher's
 * promise: `expect(impl).toHaveCorrectGradients()` without `await` let the test pass, and a failure
 * surfaced later as an unhandled rejection attributed to no test. A call still unsettled when its
 * test ends cannot have been awaited (an awaited or returned one settles before the test function
 * does), so gradcheck/vitest's afterEach hook fails that test with `unawaitedError`, and the check
 * is stopped through its `signal` and settled quietly, leaving no rejection behind.
 *
 * Nothing here imports vitest: `gradcheck/vitest` turns the tracking on and calls `endOfTest`.
 */
import type { MatcherResult } from './matchers.js';

/** What a matcher reads from vitest's matcher state (`this`): vitest 4 gives the test, 3.2 its full name. */
export interface MatcherContext {
  readonly isNot?: boolean;
  readonly task?: object;
  readonly currentTestName?: string;
}

/** A test as an afterEach hook sees it: the task, and its full name (the suites' and its own, joined by " > "). */
export interface EndedTest {
  readonly task: object;
  readonly fullName: string;
  /** The test already failed (a thrown assertion, a timeout): an unsettled call is then no news. */
  readonly failed: boolean;
}

interface PendingCall {
  /** The call as written, e.g. `expect(…).not.toHaveCorrectGradients()`. */
  readonly label: string;
  /** The implementation's name. */
  readonly subject: string;
  readonly task?: object;
  readonly testName?: string;
  /** Where the matcher was called, for the stack of the error. */
  readonly callSite: Error;
  /** Stops the check and settles the matcher's promise with a result vitest does not throw on. */
  readonly abandon: () => void;
}

const pending = new Set<PendingCall>();
let tracking = false;

/** Turned on by gradcheck/vitest, which registers the afterEach hook that ends the calls. */
export function trackUnawaitedMatchers(): void {
  tracking = true;
}

/**
 * Runs `check` with `options` given a signal that stops it when its test ends unawaited. Calls made
 * outside a test, without the hook, or with options that cannot take a signal are run as they are.
 */
export function watchAsyncMatcher<O extends { readonly signal?: AbortSignal }>(
  context: MatcherContext | undefined,
  call: { readonly matcher: string; readonly subject: string; readonly callSite: Error },
  options: O,
  check: (options: O) => Promise<MatcherResult>,
): Promise<MatcherResult> {
  const inTest = context !== undefined && (context.task !== undefined || !!context.currentTestName);
  const controller = new AbortController();
  const signalled = inTest && tracking ? withSignal(options, controller.signal) : undefined;
  if (!signalled) return check(options);
  const label = `expect(…)${context?.isNot ? '.not' : ''}.${call.matcher}()`;
  return new Promise<MatcherResult>((resolve, reject) => {
    const watched: PendingCall = {
      label,
      subject: call.subject,
      task: context?.task,
      testName: context?.currentTestName,
      callSite: call.callSite,
      abandon: () => {
        controller.abort(new Error(`${label} was not awaited by its test`));
        // vitest throws when pass differs from !isNot; this neither passes nor fails anything.
        resolve({ pass: !context?.isNot, message: () => `${label} was not awaited` });
      },
    };
    pending.add(watched);
    const settle = () => pending.delete(watched);
    check(signalled).then(
      (result) => (settle(), resolve(result)),
      (error: unknown) => (settle(), reject(error)),
    );
  });
}

/** The stack of a call of `matcher`, from the caller's frame on (the matcher's own frames left out). */
export function callSiteOf(matcher: (...args: never[]) => unknown): Error {
  const callSite = new Error('matcher call');
  Error.captureStackTrace(callSite, matcher);
  return callSite;
}

/**
 * Ends the calls `test` left unsettled: each is stopped; unless the test already failed, the error
 * to fail it with (naming the first such call) is returned.
 */
export function endOfTest(test: EndedTest): Error | undefined {
  const left = [...pending].filter((call) => (call.task !== undefined ? call.task === test.task : call.testName === test.fullName));
  for (const call of left) {
    pending.delete(call);
    call.abandon();
  }
  return left.length === 0 || test.failed ? undefined : unawaitedError(left[0], left.length);
}

function unawaitedError(call: PendingCall, count: number): Error {
  const more = count > 1 ? ` (and ${count - 1} more unawaited call${count > 2 ? 's' : ''} in this test)` : '';
  const error = new Error(
    `${call.label} on ${call.subject} was not awaited${more}: the test ended before the check finished, so its verdict could not fail the test (the check was stopped). ` +
      `Write \`await ${call.label.replace(/\(\)$/, '(…)')}\`, or return it from the test. ` +
      'A lint rule catches this: @typescript-eslint/no-floating-promises, or vitest/valid-expect with asyncMatchers: ["toHaveCorrectGradients"] (docs/vitest.md).',
  );
  // The stack of the call, so the error points at the line that forgot the await.
  error.stack = `${error.name}: ${error.message}\n${(call.callSite.stack ?? '').split('\n').slice(1).join('\n')}`;
  return error;
}

/**
 * `options` with `signal` (combined with the user's own), or undefined when they are no object or
 * their signal is no AbortSignal: the check itself then refuses them with its own message.
 */
function withSignal<O extends { readonly signal?: AbortSignal }>(options: O, signal: AbortSignal): O | undefined {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return undefined;
  const own: unknown = options.signal;
  if (own === undefined) return { ...options, signal };
  return own instanceof AbortSignal ? { ...options, signal: AbortSignal.any([own, signal]) } : undefined;
}
