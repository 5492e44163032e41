/**
 * Property-based checking of an implementation: random cases (honouring its declared conventions)
 * through `checkImplementationCase`, a gradient failure shrunk by fast-check to the smallest network
 * and batch that still show it, printed with the seed, path and the line that replays it.
 *
 * An error thrown while checking (a worker crash, a wrong shape, NaN) is not a gradient failure and
 * is never shrunk: the run stops checking and reports it with the case and seed it happened on.
 * It stops at once, whatever `runs` is: fast-check is told the case failed and is given nothing to
 * shrink, so it neither generates the remaining cases nor shrinks this one. An aborted `signal`
 * (Ctrl-C in the CLI) stops the run the same way.
 */
import fc from 'fast-check';
import { GradcheckError, rejectUnknownOptions } from '../errors.js';
import { networkCase, type CaseConstraints } from '../arbitraries/network-case.js';
import type { GeneratedCase } from '../arbitraries/build-case.js';
import { checkImplementationCase, idCounter, IMPLEMENTATION_OPTION_KEYS, type ImplementationCheckOptions, type ImplementationReport } from '../adapters/check-implementation.js';
import { resolveConventions } from '../adapters/conventions.js';
import type { Implementation } from '../adapters/implementation.js';
import { constraintsForConventions } from './property-constraints.js';
import { errorMessage, failureMessage, inconclusiveMessage, passMessage, replayLine, usageMessage, type RunFacts } from './property-message.js';
import { resolvePropertyParameters } from './property-parameters.js';
import { DeclinedCases, type DeclinedSummary } from './declined-cases.js';
import { UnsupportedCase } from './unsupported-case.js';

export interface PropertyOptions extends ImplementationCheckOptions {
  /** Random cases to check (scaled by GRADCHECK_RUNS_SCALE). @default GRADCHECK_RUNS, else 100 */
  readonly runs?: number;
  /** fast-check seed; always printed. @default GRADCHECK_SEED, else random */
  readonly seed?: number;
  /** fast-check path of a counterexample to replay (with its seed). @default GRADCHECK_PATH */
  readonly path?: string;
  /** Limits on the generated cases (see `networkCase`). @default {} */
  readonly constraints?: CaseConstraints;
  /** Called after each random case (not during shrinking). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the run before the next case (or shrink) when aborted; the result then has `interrupted`. */
  readonly signal?: AbortSignal;
}

export interface PropertyResult {
  /**
   * docs/verdicts.md: `fail` when a case fails (or the run could not be completed); `inconclusive`
   * when no case failed but none could be settled either (every checked case inconclusive); `pass`
   * otherwise, with `inconclusive` counting the cases that had unresolved entries.
   */
  readonly verdict: 'pass' | 'fail' | 'inconclusive';
  /** Of `runs`, the cases with entries finite differences could not settle (none of them failing). */
  readonly inconclusive?: number;
  /** Random cases checked before the verdict (excluding shrinking). */
  readonly runs: number;
  /** The fast-check seed in use. */
  readonly seed: number;
  /** fast-check path of the counterexample (or of the case that threw). */
  readonly path?: string;
  readonly counterexample?: { readonly description: string; readonly report: ImplementationReport };
  /** A worker or usage error, not a gradient failure (the CLI exits 2 on it). */
  readonly error?: Error;
  /** The run was stopped by `options.signal` (its reason, as a string) before it could finish. */
  readonly interrupted?: string;
  /** Random cases the implementation declined as unsupported (not counted in `runs`). */
  readonly unsupported?: DeclinedSummary;
  /** How to replay: environment variables and the option form. */
  readonly replay?: string;
  /** The full printed outcome (pass line, failure, or error). */
  readonly message: string;
}

/** Thrown by `assertGradients`; carries the whole result. */
export class GradientPropertyError extends Error {
  override readonly name = 'GradientPropertyError';
  constructor(readonly result: PropertyResult) {
    super(result.message);
  }
}

interface Failure {
  readonly description: string;
  readonly report: ImplementationReport;
}

interface CaughtError {
  readonly error: Error;
  readonly description: string;
  readonly path?: string;
  /** Thrown while shrinking a gradient failure already found. */
  readonly whileShrinking: boolean;
}

/** The fields of `PropertyOptions`. */
const PROPERTY_OPTION_KEYS = [...IMPLEMENTATION_OPTION_KEYS, 'runs', 'seed', 'path', 'constraints', 'onProgress', 'signal'];

export async function runGradientProperty(impl: Implementation, options: PropertyOptions = {}): Promise<PropertyResult> {
  const where = 'runGradientProperty';
  const name = typeof impl?.name === 'string' ? impl.name : 'implementation';
  let setup;
  try {
    if (impl === null || typeof impl !== 'object') {
      throw new GradcheckError(where, `implementation is ${impl === null ? 'null' : typeof impl}; expected { name, gradients(case) }`);
    }
    if (typeof impl.gradients !== 'function') {
      throw new GradcheckError(where, `implementation.gradients is ${typeof impl.gradients}; expected a function gradients(case)`);
    }
    rejectUnknownOptions(where, options, PROPERTY_OPTION_KEYS);
    const { runs, seed, path, constraints, onProgress, signal, ...checkOptions } = options;
    const parameters = resolvePropertyParameters({ runs, seed, path }, 100, process.env, where);
    const conventions = resolveConventions(impl.conventions, `${impl.name}: conventions`);
    const arbitrary = networkCase(constraintsForConventions(constraints ?? {}, conventions, impl.name, where));
    setup = { parameters, arbitrary, checkOptions, onProgress, signal };
  } catch (error) {
    const e = asError(error);
    return { verdict: 'fail', runs: 0, seed: options.seed ?? 0, error: e, message: usageMessage(name, e) };
  }
  const { parameters, arbitrary, checkOptions, onProgress, signal } = setup;
  const nextId = idCounter();
  const failures = new WeakMap<GeneratedCase, Failure>();
  let lastFailure: Failure | undefined;
  let caught: CaughtError | undefined;
  let calls = 0;
  /** Random cases answered to the end (not interrupted, not while shrinking), declined ones included. */
  let completed = 0;
  const declined = new DeclinedCases();
  let inconclusiveCases = 0;

  /** Once set, no case is checked any more: an error was caught, or the signal aborted. */
  const stopped = () => caught !== undefined || signal?.aborted === true;
  const predicate = fc.asyncProperty(arbitrary, async (c) => {
    const searching = lastFailure === undefined;
    // Failing the value ends the search at once (nothing is shrunk: see `property` below); while
    // shrinking, passing it keeps the smallest failure found so far.
    if (stopped()) return !searching;
    const index = calls++;
    try {
      const report = await checkImplementationCase(impl, c, { seed: c.seed, nextId }, checkOptions);
      if (signal?.aborted) return !searching; // the answer may be the worker's reaction to the interrupt
      // An inconclusive case (an entry finite differences could not settle) is no failure: it is
      // counted and reported (docs/verdicts.md); only a failing entry or loss fails the property.
      if (report.verdict !== 'fail') {
        if (report.verdict === 'inconclusive' && searching) inconclusiveCases++;
        return true;
      }
      lastFailure = { description: c.description, report };
      failures.set(c, lastFailure);
      return false;
    } catch (error) {
      if (error instanceof UnsupportedCase && !signal?.aborted) {
        // Declined: not checked, not an error; a shrunk candidate declined is simply not smaller.
        if (searching) declined.add(error.reason);
        return true;
      }
      if (!signal?.aborted) caught = { error: asError(error), description: c.description, path: pathOf(index, searching, parameters.path), whileShrinking: !searching };
      return !searching;
    } finally {
      if (searching && !signal?.aborted) {
        completed++;
        onProgress?.(Math.min(completed, parameters.runs), parameters.runs);
      }
    }
  });
  // The same property, except that a stopped run has nothing left to shrink.
  const property: fc.IAsyncProperty<[GeneratedCase]> = {
    isAsync: () => true,
    generate: (mrng, runId) => predicate.generate(mrng, runId),
    shrink: (value) => (stopped() ? fc.Stream.nil() : predicate.shrink(value).takeWhile(() => !stopped())),
    run: (v) => predicate.run(v),
    runBeforeEach: () => predicate.runBeforeEach(),
    runAfterEach: () => predicate.runAfterEach(),
  };

  let details: fc.RunDetails<[GeneratedCase]>;
  try {
    details = await fc.check(property, { numRuns: parameters.runs, seed: parameters.seed, path: parameters.path });
  } catch (error) {
    // Only the generator can throw here (the predicate catches everything).
    const e = asError(error);
    return { verdict: 'fail', runs: calls, seed: parameters.seed, error: e, replay: replayLine(parameters.seed), message: usageMessage(impl.name, e) };
  }
  // Declined cases are not checked: `runs` counts the checked ones.
  const checked = details.numRuns - declined.size;
  const facts: RunFacts = { implementation: impl.name, seed: parameters.seed, seedSource: parameters.seedSource, runs: checked, declined: declined.size, inconclusive: inconclusiveCases };
  const base = { runs: checked, seed: parameters.seed, ...(declined.size > 0 && { unsupported: declined.summary() }) };

  if (signal?.aborted) {
    const done = Math.min(completed, parameters.runs) - declined.size;
    const reason = String(signal.reason ?? 'aborted');
    const error = new GradcheckError(impl.name, `the run was interrupted (${reason}) after ${done} random case${done === 1 ? '' : 's'}; nothing after that was checked`);
    const counterexample = lastFailure ? { counterexample: lastFailure } : {};
    return { ...base, runs: done, verdict: 'fail', interrupted: reason, error, ...counterexample, replay: replayLine(parameters.seed), message: usageMessage(impl.name, error) };
  }

  if (caught && !(caught.whileShrinking && lastFailure && details.counterexamplePath)) {
    const replay = replayLine(parameters.seed, caught.path);
    return { ...base, verdict: 'fail', path: caught.path, error: caught.error, replay, message: errorMessage(facts, caught.path, caught.description, caught.error) };
  }
  if (details.failed) {
    const shrunk = details.counterexample?.[0];
    const failure = (shrunk && failures.get(shrunk)) ?? lastFailure;
    if (!failure || details.counterexamplePath === null) {
      // Not a gradient failure: the generator threw, or fast-check gave up.
      const error = asError(details.errorInstance ?? new Error(fc.defaultReportMessage(details) ?? 'fast-check failed without a counterexample'));
      return { ...base, verdict: 'fail', error, replay: replayLine(parameters.seed), message: errorMessage(facts, undefined, shrunk?.description ?? 'unknown', error) };
    }
    const path = details.counterexamplePath;
    const message = failureMessage(facts, path, details.numShrinks, failure.description, failure.report);
    // An error while shrinking ends the shrinking: the counterexample is the smallest found before it.
    const interrupted = caught ? `\n\ngradcheck: an error while shrinking (the counterexample above is the smallest found before it): ${caught.error.message}\ncase: ${caught.description}` : '';
    return { ...base, verdict: 'fail', path, counterexample: failure, error: caught?.error, replay: replayLine(parameters.seed, path), message: message + interrupted };
  }
  if (checked === 0 && declined.size > 0) {
    const error = new GradcheckError(impl.name, `declined every one of the ${declined.size} random case${declined.size === 1 ? '' : 's'} as unsupported (${describeReasons(declined.summary())}); nothing was checked, so this is not a pass. Narrow the generated cases to what it supports (a worker: "supports" in its handshake, or gradcheck check's --activations, --bias, --min-width, … flags; the API: options.constraints)`);
    return { ...base, verdict: 'fail', error, replay: replayLine(parameters.seed), message: usageMessage(impl.name, error) };
  }
  if (checked > 0 && inconclusiveCases >= checked) {
    return { ...base, verdict: 'inconclusive', inconclusive: inconclusiveCases, path: parameters.path, message: inconclusiveMessage(facts) };
  }
  return { ...base, verdict: 'pass', inconclusive: inconclusiveCases, path: parameters.path, message: passMessage(facts) };
}

/** `"no ReLU" (12), "width 1" (3)`. */
export function describeReasons(d: DeclinedSummary): string {
  const listed = d.reasons.reduce((n, r) => n + r.count, 0);
  const more = d.count > listed ? `, ${d.count - listed} more with other reasons` : '';
  return d.reasons.map((r) => `${JSON.stringify(r.reason)} (${r.count})`).join(', ') + more;
}

/** Like `runGradientProperty`, but throws a `GradientPropertyError` (whose message is the printed failure) unless it passes. */
export async function assertGradients(impl: Implementation, options: PropertyOptions = {}): Promise<PropertyResult> {
  const result = await runGradientProperty(impl, options);
  if (result.verdict !== 'pass') throw new GradientPropertyError(result);
  return result;
}

/**
 * The fast-check path of the value being checked, when it is known: run i of a search is path "i";
 * a replay starts with the replayed path. Values tried while shrinking have paths fast-check does not expose.
 */
function pathOf(index: number, searching: boolean, replayed: string | undefined): string | undefined {
  if (!searching) return undefined;
  if (replayed === undefined) return String(index);
  return index === 0 ? replayed : undefined;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
