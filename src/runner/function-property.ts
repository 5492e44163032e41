/**
 * The property runner for differentiable functions: draws input cases (arbitraries/function-inputs.ts),
 * checks each with the function's check (by default `checkVjp` with a random cotangent), shrinks a
 * failure to the smallest shapes and plainest values that still fail, and prints the seed and path
 * that replay it, as `runGradientProperty` does for networks.
 */
import fc from 'fast-check';
import { GradcheckError, rejectUnknownOptions } from '../errors.js';
import { functionInputs, type FunctionInputCase, type FunctionInputConstraints, type FunctionSignature } from '../arbitraries/function-inputs.js';
import { checkVjp, type VjpRule } from '../check/functions/check-vjp.js';
import { CheckInterrupted } from '../check/functions/drive.js';
import type { DifferentiableFunction } from '../check/functions/differentiable-function.js';
import type { FunctionReport } from '../check/functions/function-report.js';
import { describeLocated, renderFunctionReport } from '../check/functions/render-function-report.js';
import { CHECK_OPTION_KEYS, resolveCheckOptions, type CheckOptions } from '../check/strategies/check-options.js';
import { resolvePropertyParameters } from './property-parameters.js';
import { replayLine } from './property-message.js';

/** A function to check on drawn inputs: in process (`f` and `vjp`), or any `check` (a worker's, say). */
export interface FunctionPropertySpec {
  /** Its name in messages. Default `f`. */
  readonly name?: string;
  /** Its inputs' shapes and dimension ranges. */
  readonly signature: FunctionSignature;
  readonly f?: DifferentiableFunction;
  readonly vjp?: VjpRule;
  /** Checks one case instead of `checkVjp({ f, vjp })`; `seed` is the case's check seed. */
  readonly check?: (c: FunctionInputCase, options: CheckOptions) => FunctionReport | Promise<FunctionReport>;
}

/** Options of `runFunctionProperty`: the run's, the cases' constraints, and `CheckOptions` for each check. */
export interface FunctionPropertyOptions extends CheckOptions, FunctionInputConstraints {
  /** Cases to run. Default GRADCHECK_RUNS, else 50. */
  readonly runs?: number;
  /** fast-check seed. Default GRADCHECK_SEED, else random (always printed). */
  readonly seed?: number;
  /** fast-check path of a counterexample to replay (with its seed). Default GRADCHECK_PATH. */
  readonly path?: string;
}

const FUNCTION_PROPERTY_KEYS = [...CHECK_OPTION_KEYS.filter((k) => k !== 'seed'), 'runs', 'seed', 'path', 'dims', 'regimes'];

/** The outcome of a run: its verdict, the shrunk counterexample with its report, and how to replay it. */
export interface FunctionPropertyResult {
  readonly verdict: 'pass' | 'fail' | 'inconclusive';
  readonly runs: number;
  readonly seed: number;
  readonly path?: string;
  readonly counterexample?: { readonly case: FunctionInputCase; readonly report: FunctionReport };
  /** Cases whose check was inconclusive because an entry could not be settled (neither pass nor fail). */
  readonly inconclusive: number;
  /** Cases that checked nothing: every entry below its own uncertainty (a saturated function); counted as neither pass nor fail. */
  readonly checkedNothing: number;
  /** The first inconclusive case: its fast-check path (with `seed`, it replays the case) and its report. */
  readonly inconclusiveCase?: { readonly path: string; readonly case: FunctionInputCase; readonly report: FunctionReport };
  readonly replay: string;
  readonly message: string;
}

/**
 * Checks a function's backward rule on `runs` drawn input cases; a failure is shrunk to the smallest
 * shapes (each dimension towards its minimum), the `unit` regime and value seed 0 that still fail.
 *
 * Defaults: 50 cases (GRADCHECK_RUNS), a random fast-check seed (GRADCHECK_SEED), every regime.
 *
 * @example
 * ```ts
 * const result = await runFunctionProperty({ name: 'tanh', f: tanh, vjp: tanhVjp, signature: { inputs: { x: { shape: ['N'] } }, dims: { N: { min: 1, max: 8 } } } });
 * if (result.verdict !== 'pass') throw new Error(result.message);
 * ```
 */
export async function runFunctionProperty(spec: FunctionPropertySpec, options: FunctionPropertyOptions = {}): Promise<FunctionPropertyResult> {
  const where = 'runFunctionProperty';
  rejectUnknownOptions(where, options, FUNCTION_PROPERTY_KEYS);
  const { runs, seed, path, dims, regimes, ...checkOptions } = options;
  const name = spec.name ?? 'f';
  const check = spec.check ?? inProcessCheck(where, spec, name);
  resolveCheckOptions(checkOptions, where); // bad options are a usage error before any case
  const parameters = resolvePropertyParameters({ runs, seed, path }, 50, process.env, where);
  const arbitrary = functionInputs(spec.signature, { dims, regimes }, where);
  let inconclusive = 0;
  let checkedNothing = 0;
  let cases = 0;
  let first: FunctionPropertyResult['inconclusiveCase'];
  let interrupted: CheckInterrupted | undefined;
  const property = fc.asyncProperty(arbitrary, async (c) => {
    // An interrupted check ends the run: no case after it is checked, and the interrupt is rethrown below.
    if (interrupted !== undefined) return true;
    let report: FunctionReport;
    try {
      report = await check(c, checkOptions);
    } catch (error) {
      if (!(error instanceof CheckInterrupted)) throw error;
      interrupted = error;
      return true;
    }
    cases++;
    if (report.verdict !== 'inconclusive') return report.verdict !== 'fail';
    if (report.checksNothing === true) checkedNothing++;
    else {
      inconclusive++;
      // Runs are drawn in order: run k (0-based) is replayed by path "k" with the same seed.
      first ??= { path: String(cases - 1), case: c, report };
    }
    return true;
  });
  const details = await fc.check(property, { numRuns: parameters.runs, seed: parameters.seed, path: parameters.path });
  if (interrupted !== undefined) throw interrupted;
  const base = { runs: details.numRuns, seed: parameters.seed, inconclusive, checkedNothing, ...(first !== undefined ? { inconclusiveCase: first } : {}) };
  if (details.failed) {
    const shrunk = details.counterexample?.[0];
    if (shrunk === undefined) {
      const error = details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
      throw error instanceof GradcheckError ? error : new GradcheckError(where, `checking ${name} threw: ${error.message}`);
    }
    const report = await check(shrunk, checkOptions);
    const replay = replayLine(parameters.seed, details.counterexamplePath ?? undefined);
    const message = [
      `${name}: FAIL after ${details.numRuns} case${details.numRuns === 1 ? '' : 's'} (shrunk ${details.numShrinks} time${details.numShrinks === 1 ? '' : 's'}), seed ${parameters.seed}`,
      `counterexample: ${shrunk.description}`,
      '',
      renderFunctionReport(report),
      '',
      `replay: ${replay}`,
    ].join('\n');
    return { ...base, verdict: 'fail', path: details.counterexamplePath ?? undefined, counterexample: { case: shrunk, report }, replay, message };
  }
  const verdict = inconclusive > 0 || checkedNothing === cases ? 'inconclusive' : 'pass';
  const nothing = checkedNothing > 0 ? `; ${checkedNothing} of ${cases} cases checked nothing (every entry within its own uncertainty: a saturated function), not counted as passes` : '';
  const head = `${name}: ${verdict.toUpperCase()} on ${cases - checkedNothing} of ${details.numRuns} cases, seed ${parameters.seed}${nothing}`;
  if (first === undefined) return { ...base, verdict, replay: replayLine(parameters.seed), message: head };
  const replay = replayLine(parameters.seed, first.path);
  const message = [
    `${head}; ${inconclusive} of ${cases} cases inconclusive (finite differences could not settle an entry)`,
    `first inconclusive case: ${first.case.description}`,
    ...first.report.located.filter((l) => l.entry.status === 'unresolved').slice(0, 3).map((l) => `  ${describeLocated(l)}`),
    `replay: ${replay}`,
  ].join('\n');
  return { ...base, verdict, replay, message };
}

function inProcessCheck(where: string, spec: FunctionPropertySpec, name: string): NonNullable<FunctionPropertySpec['check']> {
  if (typeof spec.f !== 'function' || typeof spec.vjp !== 'function') {
    throw new GradcheckError(where, 'the spec has no check and no f and vjp functions; expected { signature, f, vjp } or { signature, check }');
  }
  const { f, vjp } = spec;
  return (c, options) => checkVjp({ f, vjp, inputs: c.inputs, wrt: c.wrt, name, ...options, seed: c.seed });
}
