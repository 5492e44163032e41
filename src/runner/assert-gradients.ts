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
import { resolveCheckOptions } from '../check/strategies/check-options.js';
import { networkCase, type CaseConstraints } from '../arbitraries/network-case.js';
import { ReseedBudgets } from '../arbitraries/reseeded-recipes.js';
import type { GeneratedCase } from '../arbitraries/build-case.js';
import { checkGeneratedCase, failsOnlyAfterCompanion } from './check-generated-case.js';
import { IMPLEMENTATION_OPTION_KEYS, type ImplementationCheckOptions, type ImplementationReport } from '../adapters/check-implementation.js';
import { resolveConventions, type Conventions } from '../adapters/conventions.js';
import type { Implementation } from '../adapters/implementation.js';
import { constraintsForConventions } from './property-constraints.js';
import { errorMessage, failureMessage, inconclusiveMessage, passMessage, replayLine, usageMessage, type RunFacts } from './property-message.js';
import { envNumber, resolvePropertyParameters } from './property-parameters.js';
import { DeclinedCases, type DeclinedSummary } from './declined-cases.js';
import { UnsupportedCase } from './unsupported-case.js';
import { RunRecord, type ShrinkStep, type TensorRatios } from './run-record.js';
import { examineStateDependence, valueAt, type FreshImplementation, type StateDependence } from './state-dependence.js';
import { canLookAhead, LookAhead } from './look-ahead.js';
import { diagnoseImplementation } from '../diagnosis/diagnose-implementation.js';
import type { Diagnosis } from '../diagnosis/diagnosis.js';

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
  /**
   * Makes a new instance of the implementation (a new worker process, say; closed after use when it has
   * `close()`). On a counterexample the runner checks it on a fresh instance to tell whether the failure
   * depends on earlier calls, and finds the earlier cases that reproduce it (`prelude`). @default none
   */
  readonly fresh?: FreshImplementation;
  /** fast-check paths of cases checked before the replayed `path` (printed with a failure that depends on earlier calls). @default GRADCHECK_PRELUDE */
  readonly prelude?: readonly string[];
  /** Diagnose the counterexample (`diagnoseImplementation`, which asks the implementation about probe cases) and print it. @default true */
  readonly diagnose?: boolean;
  /** Called with the report of each random case checked (not during shrinking), before `onProgress`. */
  readonly onReport?: (report: ImplementationReport) => void;
  /**
   * Random cases whose gradient requests are sent ahead to a worker in one batch (look-ahead.ts), in
   * mode `reference`; 0 asks one case at a time. Verdicts do not depend on it. @default GRADCHECK_LOOK_AHEAD, else 32
   */
  readonly lookAhead?: number;
}

/**
 * Random cases per look-ahead batch: with companions about 40 cases (a quarter to a third of random cases
 * come with one), within the default 64 cases per message (worker-options.ts), so one message a window.
 * Not tuned: 8 and 32 measured alike at `--runs 1000` (BENCHMARKS.md, "Worker throughput profile").
 */
export const DEFAULT_LOOK_AHEAD = 32;

/**
 * The outcome of a property run: the verdict, how many cases ran, the seed and path to replay, the shrunk
 * counterexample with its diagnosis, and the message `assertGradients` throws.
 */
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
  /** Whether the counterexample depends on earlier calls (re-checked fresh, again, and after another case). */
  readonly state?: StateDependence;
  /** The diagnosis of the counterexample (unless `diagnose: false`). */
  readonly diagnosis?: Diagnosis;
  /** Why the counterexample has no diagnosis (the implementation failed on a probe, say). */
  readonly diagnosisError?: string;
  /** Per tensor name, each random case's worst |claimed − numeric| / tolerance and the entry counts (run-record.ts). */
  readonly tensorRatios?: Readonly<Record<string, TensorRatios>>;
  /** Every failing case in the order found: the first random failure, then each smaller one shrinking kept. */
  readonly shrinkPath?: readonly ShrinkStep[];
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
const PROPERTY_OPTION_KEYS = [...IMPLEMENTATION_OPTION_KEYS, 'runs', 'seed', 'path', 'constraints', 'onProgress', 'signal', 'fresh', 'prelude', 'diagnose', 'onReport', 'lookAhead'];

/**
 * Checks an implementation on random networks (fast-check): architectures, weights, batches and
 * reductions within `constraints`, shrinking a failure to the smallest network that still shows it and
 * diagnosing it. Never throws for a gradient mismatch: the result says what happened.
 *
 * @param impl - the implementation (in process or a worker).
 * @param options - runs (default GRADCHECK_RUNS, else 100), seed (default GRADCHECK_SEED, else random), path, constraints, and every `ImplementationCheckOptions` field; misspelt fields are rejected.
 * @example
 * ```ts
 * const result = await runGradientProperty(myImpl, { runs: 500, constraints: { maxDepth: 3 } });
 * if (result.verdict !== 'pass') console.log(result.message);
 * ```
 */
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
    const { runs, seed, path, constraints, onProgress, onReport, signal, fresh, prelude, diagnose, lookAhead, ...checkOptions } = options;
    if (fresh !== undefined && typeof fresh !== 'function') throw new GradcheckError(where, `options.fresh is ${typeof fresh}; expected a function returning a new instance of the implementation`);
    if (diagnose !== undefined && typeof diagnose !== 'boolean') throw new GradcheckError(where, `options.diagnose is ${JSON.stringify(diagnose)}; expected true or false`);
    resolveCheckOptions(checkOptions, where); // bad options are a usage error before any case, not after the first answer
    const parameters = resolvePropertyParameters({ runs, seed, path, prelude }, 100, process.env, where);
    const conventions = resolveConventions(impl.conventions, `${impl.name}: conventions`);
    // Shrinking tries smaller structures under more seeds the rarer the failure was in the search (reseeded-recipes.ts).
    const budgets = new ReseedBudgets();
    const arbitrary = networkCase(constraintsForConventions(constraints ?? {}, conventions, impl.name, where), budgets);
    const window = lookAhead ?? envNumber(where, process.env, 'GRADCHECK_LOOK_AHEAD', (v) => Number.isInteger(v) && v >= 0, 'an integer ≥ 0 (0: none)') ?? DEFAULT_LOOK_AHEAD;
    if (!(Number.isInteger(window) && window >= 0)) throw new GradcheckError(where, `options.lookAhead is ${JSON.stringify(lookAhead)}; expected an integer ≥ 0 (0: none)`);
    setup = { parameters, arbitrary, budgets, checkOptions, onProgress, onReport, signal, fresh, conventions, lookAhead: window, diagnose: diagnose ?? true };
  } catch (error) {
    const e = asError(error);
    return { verdict: 'fail', runs: 0, seed: options.seed ?? 0, error: e, message: usageMessage(name, e) };
  }
  const { parameters, arbitrary, budgets, checkOptions, onProgress, onReport, signal, fresh, diagnose, conventions, lookAhead } = setup;
  let idNow = 1; // the run's case ids (idCounter), readable without taking one for the look-ahead
  const nextId = () => idNow++;
  if (parameters.prelude) {
    // A replay of a failure that depends on earlier calls: those calls first, their verdicts unused.
    try {
      for (const q of parameters.prelude) {
        const c = await valueAt(arbitrary, parameters.seed, q);
        if (!c) throw new GradcheckError(where, `the prelude path "${q}" leads to no case with seed ${parameters.seed}; copy the replay line of the failure`);
        await checkGeneratedCase(impl, c, nextId, checkOptions);
      }
    } catch (error) {
      const e = asError(error);
      return { verdict: 'fail', runs: 0, seed: parameters.seed, error: e, replay: replayLine(parameters.seed, parameters.path, parameters.prelude), message: usageMessage(impl.name, e) };
    }
  }
  const failures = new WeakMap<GeneratedCase, Failure>();
  let lastFailure: Failure | undefined;
  let caught: CaughtError | undefined;
  let calls = 0;
  /** Random cases answered to the end (not interrupted, not while shrinking), declined ones included. */
  let completed = 0;
  const declined = new DeclinedCases();
  let inconclusiveCases = 0;
  const record = new RunRecord();
  let isolated = false;

  /** Once set, no case is checked any more: an error was caught, or the signal aborted. */
  const stopped = () => caught !== undefined || signal?.aborted === true;
  const predicate = fc.asyncProperty(arbitrary, async (c) => {
    const searching = lastFailure === undefined;
    // Failing the value ends the search at once (nothing is shrunk: see `property` below); while
    // shrinking, passing it keeps the smallest failure found so far.
    if (stopped()) return !searching;
    const index = calls++;
    // Shrinking a failure that needs its companion: every candidate on a new instance (see failsOnlyAfterCompanion).
    const instance = isolated && !searching ? await fresh!() : impl;
    try {
      const { report, checked } = await checkGeneratedCase(instance, c, nextId, checkOptions);
      if (signal?.aborted) return !searching; // the answer may be the worker's reaction to the interrupt
      if (searching) {
        record.addCase(report);
        onReport?.(report);
      }
      // An inconclusive case (an entry finite differences could not settle) is no failure: it is
      // counted and reported (docs/verdicts.md); only a failing entry or loss fails the property.
      if (report.verdict !== 'fail') {
        if (report.verdict === 'inconclusive' && searching) inconclusiveCases++;
        return true;
      }
      ahead?.stop();
      lastFailure = { description: checked.description, report };
      record.addFailure(c);
      failures.set(c, lastFailure);
      if (searching && fresh) isolated = await failsOnlyAfterCompanion(fresh, c, checked, nextId, checkOptions);
      return false;
    } catch (error) {
      if (error instanceof UnsupportedCase && !signal?.aborted) {
        // Declined: not checked, not an error; a shrunk candidate declined is simply not smaller.
        if (searching) declined.add(error.reason);
        return true;
      }
      ahead?.stop();
      if (!signal?.aborted) caught = { error: asError(error), description: c.description, path: pathOf(index, searching, parameters.path), whileShrinking: !searching };
      return !searching;
    } finally {
      if (instance !== impl) await instance.close?.();
      if (searching && !signal?.aborted) {
        completed++;
        onProgress?.(Math.min(completed, parameters.runs), parameters.runs);
      }
    }
  });
  const ahead: LookAhead | undefined = lookAheadFor(impl, { checkOptions, conventions, lookAhead }, parameters, (mrng, runId) => predicate.generate(mrng, runId), () => idNow);
  // The same property, except that a stopped run has nothing left to shrink, and values may come from the look-ahead.
  const property: fc.IAsyncProperty<[GeneratedCase]> = {
    isAsync: () => true,
    generate: (mrng, runId) => {
      const v = ahead && runId !== undefined ? ahead.generate(mrng, runId) : predicate.generate(mrng, runId);
      // A generated case is a root of shrinking: its run says how rare a failure it shows is.
      if (runId !== undefined) budgets.generated(v.value_[0].recipe, runId);
      return v;
    },
    shrink: (value) => (stopped() ? fc.Stream.nil() : predicate.shrink(value).takeWhile(() => !stopped())),
    run: (v) => predicate.run(v),
    runBeforeEach: () => predicate.runBeforeEach(),
    runAfterEach: () => predicate.runAfterEach(),
  };

  let details: fc.RunDetails<[GeneratedCase]>;
  try {
    details = await fc.check(property, { numRuns: parameters.runs, seed: parameters.seed, path: parameters.path });
  } catch (error) {
    ahead?.stop();
    // Only the generator can throw here (the predicate catches everything).
    const e = asError(error);
    return { verdict: 'fail', runs: calls, seed: parameters.seed, error: e, replay: replayLine(parameters.seed), message: usageMessage(impl.name, e) };
  }
  // Declined cases are not checked: `runs` counts the checked ones.
  const checked = details.numRuns - declined.size;
  const facts: RunFacts = { implementation: impl.name, seed: parameters.seed, seedSource: parameters.seedSource, runs: checked, declined: declined.size, inconclusive: inconclusiveCases };
  const base = { runs: checked, seed: parameters.seed, ...(declined.size > 0 && { unsupported: declined.summary() }), ...record.fields() };

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
    const extra = await afterFailure({ impl, fresh, diagnose, arbitrary, seed: parameters.seed, counterexample: shrunk, path, nextId, checkOptions, report: failure.report, prelude: parameters.prelude });
    const message = failureMessage(facts, path, details.numShrinks, failure.description, failure.report, extra);
    // An error while shrinking ends the shrinking: the counterexample is the smallest found before it.
    const interrupted = caught ? `\n\ngradcheck: an error while shrinking (the counterexample above is the smallest found before it): ${caught.error.message}\ncase: ${caught.description}` : '';
    return { ...base, verdict: 'fail', path, counterexample: failure, error: caught?.error, replay: replayLine(parameters.seed, path, extra.prelude), ...extra.fields, message: message + interrupted };
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

/**
 * The look-ahead of a run, when it can have one: a worker that takes requests ahead, mode `reference`
 * (its only requests are the gradients of each case, in order), a search rather than a replayed path.
 */
function lookAheadFor(
  impl: Implementation,
  setup: { readonly checkOptions: ImplementationCheckOptions; readonly conventions: Conventions; readonly lookAhead: number },
  parameters: { readonly runs: number; readonly path?: string },
  generate: (mrng: fc.Random, runId: number) => fc.Value<[GeneratedCase]>,
  nextIdNow: () => number,
): LookAhead | undefined {
  if (setup.lookAhead === 0 || !canLookAhead(impl) || (setup.checkOptions.mode ?? 'reference') !== 'reference' || parameters.path !== undefined) return undefined;
  return new LookAhead({ target: impl, conventions: setup.conventions, generate, nextIdNow, runs: parameters.runs, window: setup.lookAhead });
}

interface AfterFailureInput {
  readonly impl: Implementation;
  readonly fresh?: FreshImplementation;
  readonly diagnose: boolean;
  readonly arbitrary: fc.Arbitrary<GeneratedCase>;
  readonly seed: number;
  readonly counterexample?: GeneratedCase;
  readonly path: string;
  readonly nextId: () => number;
  readonly checkOptions: ImplementationCheckOptions;
  readonly report: ImplementationReport;
  /** The prelude this run replayed, if any: kept when no shorter one is found. */
  readonly prelude?: readonly string[];
}

/**
 * What a failure needs besides its report: whether it depends on earlier calls (and the prelude that
 * reproduces it), then the diagnosis. The state is examined first, while the implementation's state is
 * still that of the run (the diagnosis asks it more questions).
 */
async function afterFailure(a: AfterFailureInput): Promise<{ state?: StateDependence; prelude?: readonly string[]; diagnosis?: Diagnosis; diagnosisError?: string; fields: Partial<PropertyResult> }> {
  const state = a.counterexample ? await examineStateDependence({ ...a, counterexample: a.counterexample }) : undefined;
  const prelude = state?.prelude ?? (state?.dependsOnEarlierCalls ? a.prelude : undefined);
  let diagnosis: Diagnosis | undefined;
  let diagnosisError: string | undefined;
  if (a.diagnose) {
    try {
      diagnosis = await diagnoseImplementation(a.impl, a.report);
    } catch (error) {
      diagnosisError = asError(error).message;
    }
  }
  const fields: Partial<PropertyResult> = { ...(state && { state }), ...(diagnosis && { diagnosis }), ...(diagnosisError !== undefined && { diagnosisError }) };
  return { state, prelude, diagnosis, diagnosisError, fields };
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
