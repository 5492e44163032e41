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
 * a stage estimate only ever settles an entry the judge passes (column-check.ts): every other verdict
 * (fail, unresolved, skipped) is the estimator's.
 *
 * Step: h is the power of two nearest the central-difference step ε^(1/3)·max(1, |x|) (step.ts): there
 * h²·g‴/6 and 2δ/h balance for unit curvature (Numerical Recipes §5.7), and a power of two keeps
 * x − h, x + h and x + 2h on the grid when no binade is crossed; when one is, the realised offsets are
 * not exactly −h, h, 2h and the entry goes to the estimator (`stencilOffsets` returns false).
 */
import type { DifferenceMethod, Estimate, KinkStatus } from '../numerics/estimator.js';
import { roundToPrecision, type Precision } from '../numerics/precision.js';
import { centralStep } from '../numerics/step.js';

/** Stencil points per entry (f(x) is shared): offsets −h, h, 2h. */
export const STAGE_POINTS = 3;

/** The stage's step at x: the power of two nearest ε^(1/3)·max(1, |x|). */
export function stageStep(x: number, precision: Precision): number {
  return 2 ** Math.round(Math.log2(centralStep(x, precision)));
}

/** Writes the offsets −h, h, 2h into `out`; false when any of x + t is not exactly representable in `precision`. */
export function stencilOffsets(x: number, h: number, precision: Precision, out: Float64Array): boolean {
  out[0] = -h;
  out[1] = h;
  out[2] = 2 * h;
  for (let k = 0; k < STAGE_POINTS; k++) {
    const p = x + out[k];
    if (roundToPrecision(p, precision) !== p || p - x !== out[k]) return false;
  }
  return true;
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
 * The stage estimate from g(−h), g(0), g(h), g(2h), each wrong by at most `delta`: C with truncation
 * |Δ³|/6h and rounding 2δ/h, `converged` when the regime test holds (module comment).
 */
export function stageEstimateInto(out: StageEstimate, gm: number, g0: number, gp: number, gpp: number, h: number, delta: number): StageEstimate {
  const central = (gp - gm) / (2 * h);
  const cubic = (-2 * gm - 3 * g0 + 6 * gp - gpp) / (6 * h);
  const higher = Math.abs(cubic - central);
  const lower = Math.abs(gp - 2 * g0 + gm) / (2 * h);
  out.value = cubic;
  out.truncation = higher;
  out.rounding = (2 * delta) / h;
  out.step = h;
  out.converged = Number.isFinite(cubic) && higher <= lower + (2 * delta) / h;
  return out;
}
