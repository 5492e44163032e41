/**
 * The first stage of a function check: one stencil per input entry j, f at x − h·e_j, x + h·e_j and
 * x + 2h·e_j (with f(x), shared by all entries), which gives every output's derivative along e_j at
 * once: one Jacobian column from three calls, shared by every output component and every cotangent.
 * From the four values g(−h), g(0), g(h), g(2h) of one checked scalar g (⟨f, ȳ⟩ for a VJP, an output
 * entry for a Jacobian):
 *
 *   D     = (g(h) − g(−h)) / 2h                              central difference, error h²g‴/6 + O(h⁴)
 *   C     = (−2g(−h) − 3g(0) + 6g(h) − g(2h)) / 6h          the cubic through the four points, error O(h³)
 *   C − D = −Δ³ / 6h,  Δ³ = g(2h) − 3g(h) + 3g(0) − g(−h)    (third difference, = h³g‴ + O(h⁴))
 *
 * The estimate is C, its truncation error |C − D| = |Δ³|/6h: the distance from the more refined value
 * to the less refined one, the error estimate Richardson's extrapolation uses (Numerical Recipes §5.7,
 * estimator.ts). Its rounding: each value is wrong by at most δ, and C's weights sum in magnitude to
 * (2 + 3 + 6 + 1)/6h = 2/h, so 2δ/h.
 *
 * Regime test (the stencil's stand-in for the estimator's rate test): the error of a formula of higher
 * order must not exceed that of the lower order one. The one-sided differences F = (g(h) − g(0))/h and
 * B = (g(0) − g(−h))/h have errors ±h·g″/2 + O(h²), so |F − B|/2 estimates the first-order error; the
 * stencil is trusted only when |Δ³|/6h ≤ |F − B|/2 + 2δ/h (2δ/h: the rounding that |F − B|/2 itself
 * carries, 4δ/h over 2). A kink or a narrow feature inside the stencil, where the series has not begun
 * to converge, mostly fails it (g = c·t + Δ·max(0, t − a): Δ³ = Δ(2a − h) for 0 < a < h and
 * Δ(2h − a) for h ≤ a < 2h, F − B = Δ(h − a)/h for a < h and 0 beyond, so it fails for a ∈ (0.8h, 2h)),
 * and the entry goes to the estimator. Where it passes on a kink (a ≤ 0.8h) C may miss c by more than
 * its stated error; then a correct claim is simply not passed here and goes to the estimator, and a
 * wrong claim passes only if it equals the stencil's secant value to within its tolerance. This is why
 * a stage estimate only ever settles an entry the judge passes, with an uncertainty bounded by the
 * allowance and the estimator's rounding (column-check.ts, `settles`): every other verdict (fail, unresolved, skipped) is the estimator's.
 *
 * Step: the estimator's finest first-stencil step, h = h_R/2^(levels+1) with h_R = ε^(1/(3+2·levels))·max(1, |x|)
 * its base step (step.ts), realised as the estimator realises it (x ± t rounded to the precision's grid):
 * then x − h, x + h and x + 2h are points of the estimator's own first stencil (t = h_R/2^(levels+1) and
 * h_R/2^levels), and an entry the stage does not settle reuses them (column-check.ts). When the realised
 * offsets are not exactly −h, h, 2h (x ± t crossing a binade), the entry goes to the estimator
 * (`stencilOffsets` returns false).
 */
import type { DifferenceMethod, Estimate, KinkStatus } from '../numerics/estimator.js';
import { roundToPrecision, type Precision } from '../numerics/precision.js';
import { richardsonStep } from '../numerics/step.js';

/** Stencil points per entry (f(x) is shared): offsets −h, h, 2h. */
export const STAGE_POINTS = 3;

/** The stage's step at x: the estimator's finest first-stencil step (module comment). */
export function stageStep(x: number, precision: Precision, levels: number): number {
  return richardsonStep(x, levels, precision) / 2 ** (levels + 1);
}

/**
 * Writes the realised offsets −a, a, b into `out` for the steps h and 2h, as the estimator realises a
 * step t (x₀ + t rounded to the grid, minus x₀; the minus side mirrored, estimator.ts `evaluateStencil`):
 * false unless x is on the grid, the two sides are symmetric and 0 < a < b.
 */
export function stencilOffsets(x: number, h: number, precision: Precision, out: Float64Array): boolean {
  const x0 = roundToPrecision(x, precision);
  const up = roundToPrecision(x + h, precision) - x0;
  const down = x0 - roundToPrecision(x0 - up, precision);
  const up2 = roundToPrecision(x + 2 * h, precision) - x0;
  out[0] = -down;
  out[1] = up;
  out[2] = up2;
  return x0 === x && up === down && up > 0 && up2 > up;
}

/** An `Estimate` the stage fills in place (no allocation per entry). */
export class StageEstimate implements Estimate {
  value = 0;
  truncation = 0;
  rounding = 0;
  step = 0;
  readonly method: DifferenceMethod = 'central';
  converged = false;
  readonly kink: KinkStatus = 'none';
}

/**
 * The stage estimate from g(−a), g(0), g(a), g(b) (b ≈ 2a: the realised offsets), each wrong by at most
 * `delta`: C, the derivative at 0 of the cubic through the four points (Lagrange weights
 * −b/(2a(a+b)), −1/b, b/(2a(b−a)), −a²/(b(b²−a²)); for b = 2a they are (−2, −3, 6, −1)/6a), with
 * truncation |C − D| and rounding δ·Σ|weights|, `converged` when the regime test holds (module comment).
 */
export function stageEstimateInto(out: StageEstimate, gm: number, g0: number, gp: number, gb: number, a: number, b: number, delta: number): StageEstimate {
  const wm = -b / (2 * a * (a + b));
  const w0 = -1 / b;
  const wp = b / (2 * a * (b - a));
  const wb = (-a * a) / (b * (b * b - a * a));
  const central = (gp - gm) / (2 * a);
  const cubic = wm * gm + w0 * g0 + wp * gp + wb * gb;
  const higher = Math.abs(cubic - central);
  const lower = Math.abs(gp - 2 * g0 + gm) / (2 * a);
  out.value = cubic;
  out.truncation = higher;
  out.rounding = delta * (Math.abs(wm) + Math.abs(w0) + Math.abs(wp) + Math.abs(wb));
  out.step = a;
  // |F − B|/2 carries 4δ/a over 2 of rounding itself.
  out.converged = Number.isFinite(cubic) && higher <= lower + (2 * delta) / a;
  return out;
}
