/**
 * The judge: the one rule that turns a claimed value and its `Estimate` into a verdict. Every strategy,
 * implementation check and fixture calls `judge`; nothing else compares a claim with a derivative.
 *
 *   allowance  = rtol·max(|claimed|, |numeric|) + atol + claimedRounding
 *   uncertainty = truncation + rounding                       (the estimate's own error, estimator.ts)
 *   pass        ⇔ |claimed − numeric| ≤ uncertainty + allowance, for a converged estimate
 *
 * - rtol: the relative disagreement that counts as a bug (default 1e-6: five orders of magnitude above
 *   float64 finite-difference error on ordinary networks, four below a 1% error).
 * - claimedRounding: what a correct implementation in its declared precision may itself get wrong
 *   (rounding.ts, `claimedRounding`); 0 when unknown.
 * - An estimate that did not converge settles nothing by itself, with one exception, the agreement
 *   band (`judgeBand`, derived in docs/verdicts.md): when every central estimate of the search, at every
 *   step tried, lies within its rounding plus the allowance of the claim, the claim passes; when every
 *   one lies beyond that on the same side and the claim fails the comparison above against the band's
 *   own uncertainty, it fails. Anything else is `unresolved`.
 * - θ on a kink (`kink: 'at'`): the one-sided derivatives d₋, d₊ bound every valid (sub)gradient
 *   convention (ReLU′(0) ∈ [0, 1]). A claim equal to one of them, or between them, is a valid
 *   subgradient and passes (reported at the kink); one outside [min − tol, max + tol] fails.
 *   With one side unconverged (a black box with another kink within the step), a claim equal to the
 *   converged side passes (it is right whether or not θ is on the kink) and any other is unresolved.
 * No safety factor: in the converged regime Richardson's estimate is the distance to the less refined
 * values, which bounds the more refined value's error (Numerical Recipes §5.7), and the rounding term is
 * a bound (rounding.ts).
 */
import type { AgreementBand, Estimate } from './estimator.js';

/** An entry's verdict: agrees, disagrees, could not be settled by finite differences, or not checked (at a kink). */
export type EntryVerdict = 'pass' | 'fail' | 'unresolved' | 'skipped';

/** The disagreement a check accepts: an entry fails when |claimed − numeric| exceeds `rtol·max(|claimed|, |numeric|) + atol` plus the estimate's own error (docs/verdicts.md). */
export interface Tolerances {
  /** Relative disagreement that fails an entry. Default 1e-6. */
  readonly rtol: number;
  /** Absolute disagreement always accepted. Default 0. */
  readonly atol: number;
}

/** rtol 1e-6, atol 0: see the module comment for why 1e-6. */
export const DEFAULT_TOLERANCES: Tolerances = { rtol: 1e-6, atol: 0 };

export interface MutableJudgement {
  verdict: EntryVerdict;
  /** The numeric value compared with (a one-sided value when the claim matched one). */
  numeric: number;
  /** Its uncertainty (truncation + rounding). */
  uncertainty: number;
  /** uncertainty + allowance: |claimed − numeric| beyond it fails. */
  tolerance: number;
  method: Estimate['method'];
}

export type Judgement = Readonly<MutableJudgement>;

/** rtol·max(|claimed|, |numeric|) + atol + claimedRounding. */
export function allowance(claimed: number, numeric: number, t: Tolerances, claimedRounding = 0): number {
  return t.rtol * Math.max(Math.abs(claimed), Math.abs(numeric)) + t.atol + claimedRounding;
}

/** Whether |claimed − numeric| ≤ uncertainty + allowance: the comparison at the heart of `judge`. */
export function agrees(claimed: number, numeric: number, uncertainty: number, t: Tolerances, claimedRounding = 0): boolean {
  return Math.abs(claimed - numeric) <= uncertainty + allowance(claimed, numeric, t, claimedRounding);
}

export function judge(claimed: number, e: Estimate, t: Tolerances, claimedRounding = 0): Judgement {
  return judgeInto({ verdict: 'pass', numeric: 0, uncertainty: 0, tolerance: 0, method: 'central' }, claimed, e, t, claimedRounding);
}

/** `judge` into a reused object, for the entry loop (no allocation per entry). */
export function judgeInto(out: MutableJudgement, claimed: number, e: Estimate, t: Tolerances, claimedRounding = 0): Judgement {
  if (e.kink === 'at' && e.sides !== undefined) return judgeAtKink(out, claimed, e, t, claimedRounding);
  const band = e.converged ? undefined : e.band;
  if (band !== undefined) return judgeBand(out, claimed, band, t, claimedRounding);
  const uncertainty = e.truncation + e.rounding;
  out.numeric = e.value;
  out.uncertainty = uncertainty;
  out.tolerance = uncertainty + allowance(claimed, e.value, t, claimedRounding);
  out.method = e.method;
  if (!e.converged || !Number.isFinite(uncertainty)) out.verdict = 'unresolved';
  else out.verdict = Math.abs(claimed - e.value) <= out.tolerance ? 'pass' : 'fail';
  return out;
}

function judgeAtKink(out: MutableJudgement, claimed: number, e: Estimate, t: Tolerances, claimedRounding: number): Judgement {
  const [a, b] = e.sides!;
  out.method = e.method;
  out.numeric = e.value;
  out.uncertainty = e.truncation + e.rounding;
  out.tolerance = Infinity;
  out.verdict = 'unresolved';
  let nearest = a;
  for (const side of [a, b]) {
    if (!side.converged) continue;
    const uncertainty = side.truncation + side.rounding;
    const tolerance = uncertainty + allowance(claimed, side.value, t, claimedRounding);
    if (Math.abs(claimed - side.value) <= tolerance) {
      out.verdict = 'pass';
      out.numeric = side.value;
      out.uncertainty = uncertainty;
      out.tolerance = tolerance;
      out.method = side.method;
      return out;
    }
    if (Math.abs(claimed - side.value) < Math.abs(claimed - nearest.value)) nearest = side;
  }
  if (!a.converged || !b.converged) return out;
  out.numeric = nearest.value;
  out.uncertainty = nearest.truncation + nearest.rounding;
  out.tolerance = out.uncertainty + allowance(claimed, nearest.value, t, claimedRounding);
  out.method = nearest.method;
  const between = claimed > Math.min(a.value, b.value) && claimed < Math.max(a.value, b.value);
  if (between) {
    // A valid subgradient, settled: each unit on its kink contributes c_k·σ′_k with σ′_k ∈ [0, 1]
    // (ReLU′(0) is a convention), so the claims of valid conventions form an interval containing both
    // one-sided derivatives, and with it every value between them (Clarke's generalised gradient of a
    // piecewise-linear unit). The entry passes, reported at the kink (`nearKink`) with the claim as
    // the convention's value.
    out.verdict = 'pass';
    out.numeric = claimed;
    out.uncertainty = Math.max(a.truncation + a.rounding, b.truncation + b.rounding);
    out.tolerance = out.uncertainty + allowance(claimed, claimed, t, claimedRounding);
    return out;
  }
  // Several units on their kinks at once: each unit's own convention σ′(0) ∈ [0, 1] spans a set wider
  // than the interval between the one-sided derivatives (f(t) = relu(t) − relu(−t) = t is smooth, yet
  // σ′(0) = 0 for both units claims 0), so a claim outside it cannot be called wrong.
  out.verdict = (e.kinkUnits ?? 1) > 1 ? 'unresolved' : 'fail';
  return out;
}

/**
 * An unconverged sequence whose every estimate D_k (rounding ρ_k) was kept in `b` (estimator.ts).
 * - pass: the claim c is within ρ_k + allowance(c, c) of every D_k (b.lower, b.upper), and the judge's
 *   comparison holds against the band's value and uncertainty. The allowance is the judge's own (at
 *   the claim, never at a larger estimate): no estimate is granted more than the judge grants one.
 * - fail: c is beyond ρ_k + allowance of every D_k, on the same side (b.lowest, b.highest, with the
 *   allowance at the largest estimate), and the comparison fails against the band's uncertainty.
 * Under the band's assumption its uncertainty bounds the truth's distance from its value, so a pass
 * puts the truth within allowance + 2·uncertainty of the claim, as a converged pass does.
 */
function judgeBand(out: MutableJudgement, claimed: number, b: AgreementBand, t: Tolerances, claimedRounding: number): Judgement {
  const uncertainty = b.truncation + b.rounding;
  out.numeric = b.value;
  out.uncertainty = uncertainty;
  out.tolerance = uncertainty + allowance(claimed, b.value, t, claimedRounding);
  out.method = 'central';
  const judged = Math.abs(claimed - b.value) <= out.tolerance;
  const own = allowance(claimed, claimed, t, claimedRounding);
  const everyAgrees = claimed >= b.lower - own && claimed <= b.upper + own;
  const widest = allowance(claimed, Math.max(Math.abs(b.lowest), Math.abs(b.highest)), t, claimedRounding);
  const everyDisagrees = claimed > b.highest + widest || claimed < b.lowest - widest;
  out.verdict = everyAgrees && judged ? 'pass' : everyDisagrees && !judged ? 'fail' : 'unresolved';
  return out;
}
