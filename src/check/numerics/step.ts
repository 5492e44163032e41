/**
 * Step sizes for finite differences, chosen from the precision's machine epsilon and the variable's
 * magnitude. The one definition of the step: the estimator and the screen both take theirs from here.
 *
 * A difference formula with truncation error C₁·hᵖ and rounding error C₂·ε/h has total error
 * minimised at h ∝ ε^(1/(p+1)) (Numerical Recipes, 3rd ed., §5.7). Plain central differences
 * (p = 2) give the classic h ≈ ε^(1/3) ≈ 6.1e-6 in float64; each Richardson level raises p by 2, so the
 * extrapolated estimate uses a larger base step. Scaling by max(1, |θ|) keeps θ + h from rounding
 * back to θ when θ is large.
 *
 * Steps in the units of what the coordinate moves (`stepScale`). Moving a weight W_l[i][j] by t moves
 * the pre-activation z_l[n][j] of every batch row n by a_{l−1}[n][i]·t and nothing else, so along that
 * coordinate L(θ + t·e) = Λ(z + t·v) with v_n = a_{l−1}[n][i], and with g = maxₙ |v_n| (the coordinate's
 * gain, objective/coordinate-gains.ts) the (p+1)-th derivative along t is at most g^(p+1) times the
 * derivatives of the rows' losses in z, while the derivative itself is g times theirs. The truncation
 * error relative to the derivative is then ∝ (g·h)^p and the rounding error relative to it ∝ δ/(g·h):
 * both depend on h only through g·h, the step in pre-activation units. The step that is optimal for a
 * unit-gain coordinate (a bias) in those units is therefore h/g in θ's units, and the same holds for
 * every retry and floor derived from it (estimator.ts): the whole step search runs in pre-activation
 * units. With θ's own scale kept (so that, as above, θ + h never rounds back to θ; in pre-activation
 * units that is max(1, g·|θ|)), the scale in θ's units is max(1, g·|θ|)/g = max(1/g, |θ|).
 * Only gains above 1 are applied: for g ≤ 1 the scale stays max(1, |θ|), a step no larger in θ than
 * any coordinate's, whose larger relative rounding (δ/(g·h)) the rounding bound carries into the
 * estimate's uncertainty; a gain of 0 (a coordinate that moves nothing) is a gain of 1.
 */
import { unitRoundoff, type Precision } from './precision.js';

/** Machine epsilon of float64, 2u = 2^−52. */
export const EPSILON = Number.EPSILON;

/** ε^(1/(order+1)) for a difference formula whose truncation error is O(h^order), in `precision`. */
export function stepFactor(order: number, precision: Precision = 'float64'): number {
  return Math.pow(2 * unitRoundoff(precision), 1 / (order + 1));
}

/**
 * The scale every step of a coordinate at θ = x is a multiple of: max(1, |x|) for a unit gain, and
 * max(1/g, |x|) for a coordinate that moves pre-activations g > 1 times as far as itself (above).
 */
export function stepScale(x: number, gain = 1): number {
  const g = gain > 1 ? gain : 1;
  return Math.max(1 / g, Math.abs(x));
}

/** Step for a difference formula whose truncation error is O(h^order), at θ = x, for a coordinate of gain `gain`. */
export function optimalStep(order: number, x: number, precision: Precision = 'float64', gain = 1): number {
  return stepFactor(order, precision) * stepScale(x, gain);
}

/** The central-difference step ε^(1/3)·max(1, |x|). */
export function centralStep(x: number, precision: Precision = 'float64'): number {
  return optimalStep(2, x, precision);
}

/** Base step for central differences refined by `levels` Richardson levels (error O(h^(2+2·levels))). */
export function richardsonStep(x: number, levels: number, precision: Precision = 'float64', gain = 1): number {
  return optimalStep(2 + 2 * levels, x, precision, gain);
}

/**
 * The multiple c* of a converged estimate's step that minimises its uncertainty U(c) = T·c^q + R/c,
 * read off the estimate at c = 1 (truncation T, rounding R): Richardson's error estimate with `levels`
 * levels is the distance to the value one level less refined, whose error is O(h^q) with q = 2·levels,
 * and the rounding bound falls like 1/h (rounding.ts); dU/dc = 0 at c* = (R/(q·T))^(1/(q+1)). The
 * default step ε^(1/(p+1))·S balances the two for a derivative of unit curvature; one tiny beside its
 * higher derivatives (near an optimum, behind a large gain) is truncation-bound there (c* < 1), one
 * whose rounding bound far exceeds its measured truncation is rounding-bound (c* > 1).
 */
export function bestStepScale(truncation: number, rounding: number, levels: number): number {
  if (!(truncation > 0) || !(rounding > 0)) return 1;
  const q = 2 * levels;
  return (rounding / (q * truncation)) ** (1 / (q + 1));
}

/**
 * U(1)/U(c*): how much tighter the estimate at c* times the step is predicted to be. With
 * R = q·T·c*^(q+1) at the optimum, U(1) = T·(1 + q·c*^(q+1)) and U(c*) = T·c*^q·(1 + q).
 */
export function predictedGain(c: number, levels: number): number {
  const q = 2 * levels;
  return (1 + q * c ** (q + 1)) / (c ** q * (1 + q));
}
