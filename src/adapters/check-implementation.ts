/**
 * Checks one case of a third-party implementation:
 * - `reference`: its gradients against finite differences of the reference engine's loss (and its
 *   loss value, when returned, against the engine's forward pass);
 * - `self`: its gradients against finite differences of its own loss, for networks the reference
 *   engine does not model.
 */
import { GradcheckError, rejectUnknownOptions } from '../errors.js';
import { checkGradients } from '../check/strategies/check-gradients.js';
import { CHECK_OPTION_KEYS, resolveCheckOptions, type CheckOptions } from '../check/strategies/check-options.js';
import { checkNetwork, describeCase } from '../check/strategies/check-network.js';
import { networkObjective, type NetworkCase } from '../check/objective/network-objective.js';
import type { GradientReport, Verdict } from '../check/report/report.js';
import { compareLoss, type LossComparison } from '../check/objective/loss-comparison.js';
import { roundToPrecision, type Precision } from '../check/numerics/precision.js';
import { networkLossRounding } from '../check/objective/claimed-rounding.js';
import { networkClaimedRounding } from '../check/objective/claimed-rounding.js';
import { validateNetworkCase } from '../check/objective/validate-case.js';
import { networkConventionIntervals, type ConventionIntervals } from '../check/objective/convention-intervals.js';
import { CachedObjective } from './cached-objective.js';
import { caseLabel, gradientsOf, lossesOf } from './call-implementation.js';
import { resolveConventions, type Conventions } from './conventions.js';
import { claimedFromResult, perSampleCases, toGradientCase, type ClaimedGradients } from './gradient-case.js';
import type { GradientCase, GradientResult, Implementation } from './implementation.js';

/** `reference`: against finite differences of the reference engine's loss; `self`: of the implementation's own loss. */
export type ImplementationMode = 'reference' | 'self';

/** Options of `checkImplementationCase`: every `CheckOptions` field and `mode`. */
export interface ImplementationCheckOptions extends Omit<CheckOptions, 'mode'> {
  /** Against what: the reference engine, or the implementation's own loss. Default `reference`. */
  readonly mode?: ImplementationMode;
  /** The checker's strategy (`full`, `directions` or `fast`, see CheckOptions.strategy). Default `full`. */
  readonly strategy?: CheckOptions['strategy'];
}

export type { LossComparison } from '../check/objective/loss-comparison.js';

/**
 * The result of checking one case of an implementation: the gradient report, the conventions it was
 * read with, the loss comparison, the claimed gradients and the verdict.
 */
export interface ImplementationReport {
  readonly implementation: string;
  readonly case: GradientCase;
  readonly conventions: Conventions;
  readonly mode: ImplementationMode;
  readonly report: GradientReport;
  /** Present when the implementation returned its loss (reference mode). */
  readonly loss?: LossComparison;
  /** The claimed gradients mapped to dL/dθ of the case's loss (for diagnosis). */
  readonly claimed: ClaimedGradients;
  /** The gradient report's verdict, and `fail` when the returned loss disagrees too. */
  readonly verdict: Verdict;
}

/** Ids for the cases of one run. */
export function idCounter(start = 1): () => number {
  let next = start;
  return () => next++;
}

/** The fields of `ImplementationCheckOptions`. */
export const IMPLEMENTATION_OPTION_KEYS = [...CHECK_OPTION_KEYS, 'mode'] as const;

/** Where a case sits in a run: its replay seed and the ids its requests get. */
export interface CaseMeta {
  /** The seed printed in the case's label and replay line. Default 1. */
  readonly seed?: number;
  /** The id of each request sent to the implementation. Default: 1, 2, 3, … for this call. */
  readonly nextId?: () => number;
}

/**
 * Checks an implementation's gradients on one network case, entry by entry, and its loss value when it
 * returns one.
 *
 * @param impl - the implementation (from `defineImplementation`, `spawnWorker` or your own object).
 * @param nc - the case: network, flat parameters, inputs, targets and reduction.
 * @param caseMeta - the case's replay seed and request ids (defaults: seed 1, ids from 1).
 * @param options - the check's options (`CheckOptions`) and `mode` (`reference`, the default, or `self`).
 * @returns the report, the conventions it was read with, the loss comparison and the verdict.
 * @example
 * ```ts
 * const result = await checkImplementationCase(myImpl, { network, params, inputs, targets, reduction: 'mean' });
 * if (result.verdict !== 'pass') console.log(renderReport(result.report));
 * ```
 */
export async function checkImplementationCase(
  impl: Implementation,
  nc: NetworkCase,
  caseMeta: CaseMeta = {},
  options: ImplementationCheckOptions = {},
): Promise<ImplementationReport> {
  rejectUnknownOptions('checkImplementation', options, IMPLEMENTATION_OPTION_KEYS);
  validateNetworkCase(nc, 'checkImplementation');
  const meta = { seed: caseMeta.seed ?? 1, nextId: caseMeta.nextId ?? idCounter() };
  const conventions = resolveConventions(impl.conventions, `${impl.name}: conventions`);
  const mode = options.mode ?? 'reference';
  if (mode !== 'reference' && mode !== 'self') {
    throw new GradcheckError('checkImplementation', `options.mode is ${JSON.stringify(mode)}; expected 'reference' or 'self'`);
  }
  // An implementation in a narrower format sees the case rounded to it: check it at that point, so the
  // reference gradient and every stencil point are the ones it actually computes at.
  nc = onPrecisionGrid(nc, conventions.precision);
  const gc = toGradientCase(nc, conventions, meta.nextId(), meta.seed);
  const { claimed, loss } = await claimedOf(impl, gc, nc, conventions, meta.nextId);
  // The seed replays the case; the id is only the protocol's request key, so it comes second (a shrunk
  // counterexample's id counts every request before it, not random cases).
  const label = `${describeCase(nc)}, seed ${gc.seed} (case id ${gc.id})`;
  const { mode: _mode, strategy, ...rest } = options;
  const checkOptions: CheckOptions = { label, seed: meta.seed, precision: conventions.precision, ...rest, strategy };
  let report: GradientReport;
  let lossComparison: LossComparison | undefined;
  if (mode === 'reference') {
    report = checkNetwork(nc, { ...checkOptions, claimed, includeInputs: claimed.inputs !== undefined });
    if (loss !== undefined) lossComparison = compareLoss(loss, nc, conventions.precision, resolveCheckOptions(checkOptions, 'checkImplementation').tolerances);
  } else {
    report = await checkSelf(impl, gc, nc, conventions, claimed, meta.nextId, checkOptions);
  }
  const verdict: Verdict = lossComparison !== undefined && !lossComparison.agrees ? 'fail' : report.verdict;
  return { implementation: impl.name, case: gc, conventions, mode, report, loss: lossComparison, claimed, verdict };
}

/** The case as an implementation in `precision` receives it: parameters, inputs and targets rounded to that format. */
export function onPrecisionGrid(nc: NetworkCase, precision: Precision): NetworkCase {
  if (precision === 'float64') return nc;
  const round = (v: Float64Array): Float64Array => v.map((x) => roundToPrecision(x, precision));
  return {
    ...nc,
    params: round(nc.params),
    inputs: { ...nc.inputs, data: round(nc.inputs.data) },
    targets: { ...nc.targets, data: round(nc.targets.data) },
  };
}

async function claimedOf(impl: Implementation, gc: GradientCase, nc: NetworkCase, conventions: Conventions, nextId: () => number): Promise<{ claimed: ClaimedGradients; loss?: number }> {
  const where = caseLabel(impl, gc);
  if (conventions.batch === 'batch') {
    const [result] = await gradientsOf(impl, [gc]);
    return { claimed: claimedFromResult(result, nc.network, conventions, nc.inputs.rows, where), loss: lossValue(result, where) };
  }
  // Per sample: dL/dθ = Σ_n dL_n/dθ, divided by N for `mean` (L = (1/N) Σ_n L_n).
  const samples = perSampleCases(gc, nextId);
  const results = await gradientsOf(impl, samples);
  const n = samples.length;
  const weight = nc.reduction === 'mean' ? 1 / n : 1;
  const parameters = new Float64Array(nc.network.parameterCount);
  let inputs: Float64Array | undefined = new Float64Array(nc.inputs.data.length);
  let loss: number | undefined = 0;
  results.forEach((r, k) => {
    const one = claimedFromResult(r, nc.network, conventions, 1, caseLabel(impl, samples[k]));
    for (let i = 0; i < parameters.length; i++) parameters[i] += weight * one.parameters[i];
    if (one.inputs && inputs) for (let j = 0; j < one.inputs.length; j++) inputs[k * one.inputs.length + j] = weight * one.inputs[j];
    else inputs = undefined;
    const l = lossValue(r, caseLabel(impl, samples[k]));
    loss = l === undefined || loss === undefined ? undefined : loss + weight * l;
  });
  return { claimed: { parameters, inputs }, loss };
}

function lossValue(result: GradientResult, where: string): number | undefined {
  if (result.loss === undefined || result.loss === null) return undefined;
  if (typeof result.loss !== 'number' || !Number.isFinite(result.loss)) {
    throw new GradcheckError(where, `loss is ${String(result.loss)}; expected a finite number or no loss`);
  }
  return result.loss;
}

const MAX_ROUNDS = 6;

async function checkSelf(
  impl: Implementation,
  gc: GradientCase,
  nc: NetworkCase,
  conventions: Conventions,
  claimed: ClaimedGradients,
  nextId: () => number,
  options: CheckOptions,
): Promise<GradientReport> {
  const p = nc.network.parameterCount;
  const withInputs = claimed.inputs !== undefined;
  const point = new Float64Array(p + (withInputs ? nc.inputs.data.length : 0));
  point.set(nc.params);
  if (withInputs) point.set(nc.inputs.data, p);
  const lossAt = async (thetas: readonly Float64Array[]): Promise<number[]> => {
    const cases = thetas.map((theta) => toGradientCase(nc, conventions, nextId(), gc.seed, theta.subarray(0, p), withInputs ? theta.subarray(p) : nc.inputs.data));
    return combinedLosses(impl, cases, conventions, nc.reduction, nextId);
  };
  const [base] = await lossAt([point]);
  // The case's network is the reference engine's, so the engine tells where the loss has kinks.
  const objective = new CachedObjective(point, base, networkObjective(nc, withInputs));
  const tensors = [...nc.network.tensors];
  if (withInputs) tensors.push({ name: 'x', layer: 0, kind: 'x', rows: nc.inputs.rows, cols: nc.inputs.cols, offset: p });
  const claimedVector = new Float64Array(point.length);
  claimedVector.set(claimed.parameters);
  if (claimed.inputs) claimedVector.set(claimed.inputs, p);
  // The claimed values' own rounding, from the case's gradient envelope; the loss is the
  // implementation's own, so its rounding and steps follow the declared precision.
  const claimedRounding = networkClaimedRounding(nc, withInputs, conventions.precision);
  const lossRounding = networkLossRounding(nc, conventions.precision);
  // The loss is the implementation's, of the engine's network: its kinks' valid conventions are the
  // engine's (objective/convention-intervals.ts), computed when an entry first needs them.
  let intervals: { value: ConventionIntervals | undefined } | undefined;
  const problem = {
    objective,
    claimed: claimedVector,
    tensors,
    claimedRounding,
    lossRounding,
    lossPrecision: conventions.precision,
    get conventions() {
      return (intervals ??= { value: networkConventionIntervals(nc, withInputs) }).value;
    },
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const report = checkGradients(problem, options);
    const pending = objective.pending();
    if (pending.length === 0) return report;
    objective.fill(pending, await lossAt(pending.map((q) => q.theta)));
  }
  throw new GradcheckError(caseLabel(impl, gc), `the self check still needed new loss values after ${MAX_ROUNDS} rounds; the implementation's loss may not be deterministic`);
}

/** Loss of each case; per-sample implementations are asked per row and combined like the batch loss. */
async function combinedLosses(impl: Implementation, cases: GradientCase[], conventions: Conventions, reduction: NetworkCase['reduction'], nextId: () => number): Promise<number[]> {
  if (conventions.batch === 'batch') return lossesOf(impl, cases);
  const split = cases.map((c) => perSampleCases(c, nextId));
  const losses = await lossesOf(impl, split.flat());
  let k = 0;
  return split.map((rows) => {
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += losses[k++];
    return reduction === 'mean' ? s / rows.length : s;
  });
}
