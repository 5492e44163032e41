/**
 * Step sizes for finite differences, chosen from the precision's machine epsilon and the variable's
 * magnitude. The one definition of the step: the estimator and the screen both take theirs from here.
 *
 * A difference formula with truncation error C₁·hᵖ and rounding error C₂·ε/h has total error
 * minimised at h ∝ ε^(1/(p+1)) (Numerical Recipes, 3rd ed., §5.7). Plain central differences
 * (p = 2) give the classic h ≈ ε^(1/3) ≈ 6.1e-6 in float64; each Richardson level raises p by 2, so the
 * extrapolated estimate uses a larger base step. Scaling by max(1, |θ|) keeps θ + h from rounding
 * back to θ when θ is large.
 */
import { unitRoundoff, type Precision } from './precision.js';

/** Machine epsilon of float64, 2u = 2^−52. */
export const EPSILON = Number.EPSILON;

/** ε^(1/(order+1)) for a difference formula whose truncation error is O(h^order), in `precision`. */
export function stepFactor(order: number, precision: Precision = 'float64'): number {
  return Math.pow(2 * unitRoundoff(precision), 1 / (order + 1));
}

/** Step for a difference formula whose truncation error is O(h^order), at θ = x. */
export function optimalStep(order: number, x: number, precision: Precision = 'float64'): number {
  return stepFactor(order, precision) * Math.max(1, Math.abs(x));
}

/** The central-difference step ε^(1/3)·max(1, |x|). */
export function centralStep(x: number, precision: Precision = 'float64'): number {
  return optimalStep(2, x, precision);
}

/** Base step for central differences refined by `levels` Richardson levels (error O(h^(2+2·levels))). */
export function richardsonStep(x: number, levels: number, precision: Precision = 'float64'): number {
  return optimalStep(2 + 2 * levels, x, precision);
}
