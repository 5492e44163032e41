/**
 * Why an entry came back unresolved: its estimate recomputed as the entry-by-entry check computes it
 * (the same problem from `prepareNetworkCheck`, the same per-layer loss rounding as `checkGradients`,
 * the same `estimateAtBestStep`), and named by the judge's branch that left it unsettled
 * (numerics/judge.ts). A benchmark diagnostic only: it decides nothing.
 */
import { prepareNetworkCheck } from '../src/check/strategies/check-network.js';
import { resolveCheckOptions } from '../src/check/strategies/check-options.js';
import { CoordinateLine } from '../src/check/strategies/coordinate-line.js';
import { estimateAtBestStep, EstimateWorkspace, type Estimate } from '../src/check/numerics/estimator.js';
import { allowance } from '../src/check/numerics/judge.js';
import type { NetworkCase } from '../src/check/objective/network-objective.js';
import type { Precision } from '../src/check/numerics/precision.js';
import type { EntryCheck } from '../src/check/report/report.js';

/** The causes, in the words of docs/verdicts.md. */
export type Cause =
  | 'at a kink: neither side converged'
  | 'at a kink: one side only, claim not that side'
  | 'at a kink: several units, no engine interval (limits)'
  | 'at a kink: engine interval contradicted by a side'
  | 'at a kink: claim outside the measured hull'
  | 'kinks on both sides within the smallest step (θ not on one): rounding at a smaller step would exceed what the kinks change'
  | 'kinks on both sides within the smallest step (θ not on one): grid floor'
  | 'unconverged, no band (span or crossing)'
  | 'band: estimates neither all agree nor all disagree'
  | 'band: irregular differences (no truncation bound), estimates not all agreeing'
  | 'band: all agree, but the band value disagrees'
  | 'other';

export interface Explained {
  readonly cause: Cause;
  readonly estimate: Estimate;
  readonly units: number;
}

/** Explains each unresolved entry of a reference-mode check of `nc` (already on its precision grid) with `claimed`. */
export function explainUnresolved(nc: NetworkCase, claimed: { parameters: Float64Array; inputs?: Float64Array }, precision: Precision, entries: readonly EntryCheck[]): Explained[] {
  if (entries.length === 0) return [];
  const prepared = prepareNetworkCheck(nc, { claimed, includeInputs: claimed.inputs !== undefined, precision, screen: false });
  const { problem } = prepared;
  const resolved = resolveCheckOptions(prepared.options, 'explainUnresolved');
  const line = new CoordinateLine(problem.objective);
  const w = new EstimateWorkspace();
  const spare = new EstimateWorkspace();
  const f0 = problem.objective.value();
  const t = resolved.tolerances;
  return entries.map((entry) => {
    const tensor = problem.tensors.find((x) => x.name === entry.tensor)!;
    const lossRounding = problem.lossRoundingByLayer?.[tensor.layer] ?? problem.lossRounding;
    const settings = { levels: resolved.levels, precision: problem.lossPrecision ?? resolved.precision, lossRounding };
    line.index = entry.index;
    line.tensor = tensor;
    estimateAtBestStep(w, spare, line, f0, problem.objective.point[entry.index], settings, problem.objective.gains?.[entry.index] ?? 1);
    const e = w.snapshot();
    const c = problem.claimed[entry.index];
    const rounding = problem.claimedRounding?.[entry.index] ?? 0;
    let cause = causeOf(e, c, t, rounding, entry.index, problem.conventions);
    if (e.kink === 'near') {
      // The estimator's descent stops when the next stencil's rounding (4× this one's) exceeds what the kinks change (estimator.ts, belowKinkStep).
      const samples = resolved.levels + 2;
      const central = [...w.central.subarray(0, samples)];
      const change = Math.max(Math.abs(w.forward[samples - 1] - w.backward[samples - 1]), Math.max(...central) - Math.min(...central));
      cause = 4 * w.rounding >= change ? 'kinks on both sides within the smallest step (θ not on one): rounding at a smaller step would exceed what the kinks change' : 'kinks on both sides within the smallest step (θ not on one): grid floor';
    }
    return { cause, estimate: e, units: e.kinkUnits ?? 0 };
  });
}

function causeOf(e: Estimate, claimed: number, t: { rtol: number; atol: number }, rounding: number, index: number, conventions: { lower: Float64Array; upper: Float64Array; rounding: Float64Array } | undefined): Cause {
  if (e.kink === 'at' && e.sides) {
    const converged = e.sides.filter((s) => s.converged);
    if (converged.length === 0) return 'at a kink: neither side converged';
    if (converged.length === 1) return 'at a kink: one side only, claim not that side';
    if ((e.kinkUnits ?? 1) > 1) {
      if (conventions === undefined) return 'at a kink: several units, no engine interval (limits)';
      const lo = conventions.lower[index];
      const hi = conventions.upper[index];
      const inside = converged.every((s) => {
        const tol = s.truncation + s.rounding + conventions.rounding[index] + allowance(s.value, s.value, t, rounding);
        return s.value >= lo - tol && s.value <= hi + tol;
      });
      if (!inside) return 'at a kink: engine interval contradicted by a side';
    }
    return 'at a kink: claim outside the measured hull';
  }
  if (e.kink === 'near') return 'kinks on both sides within the smallest step (θ not on one): grid floor';
  if (!e.converged) {
    const b = e.band;
    if (b === undefined) return 'unconverged, no band (span or crossing)';
    if (!b.regular) return 'band: irregular differences (no truncation bound), estimates not all agreeing';
    const own = allowance(claimed, claimed, t, rounding);
    const everyAgrees = claimed >= b.lower - own && claimed <= b.upper + own;
    return everyAgrees ? 'band: all agree, but the band value disagrees' : 'band: estimates neither all agree nor all disagree';
  }
  return 'other';
}

/** A tally of causes as `cause: count` lines, most frequent first. */
export function causeLines(counts: ReadonlyMap<string, number>): string[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([cause, n]) => `${cause}: ${n}`);
}
