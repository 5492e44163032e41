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
 * - θ on a kink (`kink: 'at'`): the valid (sub)gradient conventions (each unit's ReLU′(0) ∈ [0, 1])
 *   form an interval; a claim inside it, or within tolerance of an endpoint, passes (reported at the
 *   kink), one beyond fails when the interval is known completely (`judgeAtKink`). With one unit on
 *   its kink the interval is [min(d₋, d₊), max(d₋, d₊)] of the one-sided derivatives; with several, the
 *   reference engine's `ConventionInterval`, confirmed by the converged sides. With one side
 *   unconverged (a black box with another kink within the step), a claim equal to the converged side
 *   passes (it is right whether or not θ is on the kink) and any other is unresolved.
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

/** `conventions`: with θ on several units' kinks, the engine's range of valid conventions for this entry (`judgeAtKink`). */
export function judge(claimed: number, e: Estimate, t: Tolerances, claimedRounding = 0, conventions?: ConventionInterval): Judgement {
  return judgeInto({ verdict: 'pass', numeric: 0, uncertainty: 0, tolerance: 0, method: 'central' }, claimed, e, t, claimedRounding, conventions);
}

/** `judge` into a reused object, for the entry loop (no allocation per entry). */
export function judgeInto(out: MutableJudgement, claimed: number, e: Estimate, t: Tolerances, claimedRounding = 0, conventions?: ConventionInterval): Judgement {
  if (e.kink === 'at' && e.sides !== undefined) return judgeAtKink(out, claimed, e, t, claimedRounding, conventions);
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

/**
 * The valid conventions' range of one entry at a point where several units sit on their kinks, from the
 * reference engine (engine/kink-conventions.ts, objective/convention-intervals.ts): [lower, upper], each
 * endpoint within `rounding` of its exact value.
 */
export interface ConventionInterval {
  readonly lower: number;
  readonly upper: number;
  readonly rounding: number;
}

/**
 * θ on a kink. The valid claims form an interval: each unit k on its kink contributes c_k·σ′_k with its
 * own convention σ′_k ∈ [0, 1] (ReLU′(0)), and the claim is affine in each σ′_k, so the valid claims fill
 * [min, max] of the claims at the vertices σ′ ∈ {0, 1}^K. The one-sided derivatives are two of those
 * vertices (each unit on the piece the step moves it to).
 * - K = 1 (`kinkUnits` ≤ 1): the two vertices are the one-sided derivatives d₋, d₊, so the interval is
 *   [min(d₋, d₊), max(d₋, d₊)], measured.
 * - K > 1: the one-sided derivatives are only two of 2^K vertices; the interval comes from the engine
 *   (`conventions`), used only when every converged side lies inside it within the side's tolerance
 *   plus the interval's rounding (finite differences confirm it at the vertices they reach). Without it
 *   the measured hull is a lower bound of the interval: claims inside it pass, claims outside are
 *   unresolved.
 * A claim equal to a converged one-sided derivative (within its tolerance) passes, compared with it;
 * a claim inside the interval passes (settled, reported at the kink); one within its endpoint's
 * tolerance (the endpoint's uncertainty plus the allowance) passes; one beyond it fails when the
 * interval is complete, else is unresolved. With one side unconverged (a black box with another kink
 * within the step, or a side that crossed another unit's kink), the hull is that side alone.
 */
function judgeAtKink(out: MutableJudgement, claimed: number, e: Estimate, t: Tolerances, claimedRounding: number, conventions?: ConventionInterval): Judgement {
  const sides = e.sides!;
  out.method = e.method;
  out.numeric = e.value;
  out.uncertainty = e.truncation + e.rounding;
  out.tolerance = Infinity;
  out.verdict = 'unresolved';
  // The interval's endpoints, each with its uncertainty and the method it came from.
  let lo = Infinity;
  let loUncertainty = 0;
  let loMethod: Estimate['method'] = e.method;
  let hi = -Infinity;
  let hiUncertainty = 0;
  let hiMethod: Estimate['method'] = e.method;
  let converged = 0;
  let confirmed = conventions !== undefined;
  for (const side of sides) {
    if (!side.converged) continue;
    converged++;
    const uncertainty = side.truncation + side.rounding;
    const tolerance = uncertainty + allowance(claimed, side.value, t, claimedRounding);
    if (Math.abs(claimed - side.value) <= tolerance) {
      // The claim is a one-sided derivative: compared with it, as measured.
      out.verdict = 'pass';
      out.numeric = side.value;
      out.uncertainty = uncertainty;
      out.tolerance = tolerance;
      out.method = side.method;
      return out;
    }
    if (side.value < lo) [lo, loUncertainty, loMethod] = [side.value, uncertainty, side.method];
    if (side.value > hi) [hi, hiUncertainty, hiMethod] = [side.value, uncertainty, side.method];
    if (conventions !== undefined) {
      const tolerance = uncertainty + conventions.rounding + allowance(side.value, side.value, t, claimedRounding);
      confirmed &&= side.value >= conventions.lower - tolerance && side.value <= conventions.upper + tolerance;
    }
  }
  if (converged === 0) return out;
  confirmed &&= conventions !== undefined;
  if (confirmed) {
    if (conventions!.lower < lo) [lo, loUncertainty, loMethod] = [conventions!.lower, conventions!.rounding, 'central'];
    if (conventions!.upper > hi) [hi, hiUncertainty, hiMethod] = [conventions!.upper, conventions!.rounding, 'central'];
  }
  const complete = confirmed || (converged === sides.length && (e.kinkUnits ?? 1) <= 1);
  if (claimed > lo && claimed < hi) {
    // A valid subgradient, settled: reported at the kink with the claim as the convention's value.
    out.verdict = 'pass';
    out.numeric = claimed;
    out.uncertainty = Math.max(loUncertainty, hiUncertainty);
    out.tolerance = out.uncertainty + allowance(claimed, claimed, t, claimedRounding);
    return out;
  }
  const loTolerance = loUncertainty + allowance(claimed, lo, t, claimedRounding);
  const hiTolerance = hiUncertainty + allowance(claimed, hi, t, claimedRounding);
  const nearLo = Math.abs(claimed - lo) <= loTolerance;
  const nearHi = Math.abs(claimed - hi) <= hiTolerance;
  // The endpoint compared with: the one the claim is within tolerance of, else the nearer one.
  const useLo = nearLo || (!nearHi && Math.abs(claimed - lo) <= Math.abs(claimed - hi));
  out.numeric = useLo ? lo : hi;
  out.uncertainty = useLo ? loUncertainty : hiUncertainty;
  out.method = useLo ? loMethod : hiMethod;
  out.tolerance = useLo ? loTolerance : hiTolerance;
  out.verdict = nearLo || nearHi ? 'pass' : complete ? 'fail' : 'unresolved';
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
 * puts the truth within allowance + 2·uncertainty of the claim, as a converged pass does. A band whose
 * differences break the assumption (`b.regular` false) has no such bound: it still passes a claim that
 * every estimate agrees with (no step tried tells it from the truth), and fails none.
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
  out.verdict = everyAgrees && judged ? 'pass' : b.regular && everyDisagrees && !judged ? 'fail' : 'unresolved';
  return out;
}
