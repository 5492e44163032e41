/**
 * Property-based checking of an implementation: random cases (honouring its declared conventions)
 * through `checkImplementationCase`, a gradient failure shrunk by fast-check to the smallest network
 * and batch that still show it, printed with the seed, path and the line that replays it.
 *
 * An error thrown while checking (a worker crash, a wrong shape, NaN) is not a gradient failure and
 * is never shrunk: the run stops checking and reports it with the case and seed it happened on.
 */
import fc from 'fast-check';
import { GradcheckError } from '../errors.js';
import { networkCase, type CaseConstraints } from '../arbitraries/network-case.js';
import type { GeneratedCase } from '../arbitraries/build-case.js';
import { checkImplementationCase, idCounter, type ImplementationCheckOptions, type ImplementationReport } from '../adapters/check-implementation.js';
import { resolveConventions } from '../adapters/conventions.js';
import type { Implementation } from '../adapters/implementation.js';
import { constraintsForConventions } from './property-constraints.js';
import { errorMessage, failureMessage, passMessage, replayLine, usageMessage, type RunFacts } from './property-message.js';
import { resolvePropertyParameters } from './property-parameters.js';

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
}

export interface PropertyResult {
  readonly verdict: 'pass' | 'fail';
  /** Random cases checked before the verdict (excluding shrinking). */
  readonly runs: number;
  /** The fast-check seed in use. */
  readonly seed: number;
  /** fast-check path of the counterexample (or of the case that threw). */
  readonly path?: string;
  readonly counterexample?: { readonly description: string; readonly report: ImplementationReport };
  /** A worker or usage error, not a gradient failure (the CLI exits 2 on it). */
  readonly error?: Error;
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
    const { runs, seed, path, constraints, onProgress, ...checkOptions } = options;
    const parameters = resolvePropertyParameters({ runs, seed, path }, 100, process.env, where);
    const conventions = resolveConventions(impl.conventions, `${impl.name}: conventions`);
    const arbitrary = networkCase(constraintsForConventions(constraints ?? {}, conventions, impl.name, where));
    setup = { parameters, arbitrary, checkOptions, onProgress };
  } catch (error) {
    const e = asError(error);
    return { verdict: 'fail', runs: 0, seed: options.seed ?? 0, error: e, message: usageMessage(name, e) };
  }
  const { parameters, arbitrary, checkOptions, onProgress } = setup;
  const nextId = idCounter();
  const failures = new WeakMap<GeneratedCase, Failure>();
  let lastFailure: Failure | undefined;
  let caught: CaughtError | undefined;
  let calls = 0;

  const property = fc.asyncProperty(arbitrary, async (c) => {
    if (caught) return true; // stop checking: every remaining value passes at once
    const searching = lastFailure === undefined;
    const index = calls++;
    try {
      const report = await checkImplementationCase(impl, c, { seed: c.seed, nextId }, checkOptions);
      if (report.verdict === 'pass') return true;
      lastFailure = { description: c.description, report };
      failures.set(c, lastFailure);
      return false;
    } catch (error) {
      caught = { error: asError(error), description: c.description, path: pathOf(index, searching, parameters.path), whileShrinking: !searching };
      return true;
    } finally {
      if (searching && onProgress) onProgress(Math.min(calls, parameters.runs), parameters.runs);
    }
  });

  let details: fc.RunDetails<[GeneratedCase]>;
  try {
    details = await fc.check(property, { numRuns: parameters.runs, seed: parameters.seed, path: parameters.path });
  } catch (error) {
    // Only the generator can throw here (the predicate catches everything).
    const e = asError(error);
    return { verdict: 'fail', runs: calls, seed: parameters.seed, error: e, replay: replayLine(parameters.seed), message: usageMessage(impl.name, e) };
  }
  const facts: RunFacts = { implementation: impl.name, seed: parameters.seed, seedSource: parameters.seedSource, runs: details.numRuns };
  const base = { runs: details.numRuns, seed: parameters.seed };

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
    const interrupted = caught ? `\n\nERROR while shrinking (the counterexample above is the smallest found before it): ${caught.error.message}\ncase: ${caught.description}` : '';
    return { ...base, verdict: 'fail', path, counterexample: failure, error: caught?.error, replay: replayLine(parameters.seed, path), message: message + interrupted };
  }
  return { ...base, verdict: 'pass', path: parameters.path, message: passMessage(facts) };
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
