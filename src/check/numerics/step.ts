/**
 * Step sizes for finite differences, chosen from machine epsilon and the variable's magnitude.
 *
 * A difference formula with truncation error C₁·hᵖ and rounding error C₂·ε/h has total error
 * minimised at h ∝ ε^(1/(p+1)) (Numerical Recipes, 3rd ed., §5.7). Plain central differences
 * (p = 2) give the classic h ≈ ε^(1/3) ≈ 6.1e-6; each Richardson level raises p by 2, so the
 * extrapolated estimate uses a larger base step. Scaling by max(1, |θ|) keeps θ + h from rounding
 * back to θ when θ is large.
 */
export const EPSILON = Number.EPSILON;

/** Step for a difference formula whose truncation error is O(h^order), at θ = x. */
export function optimalStep(order: number, x: number): number {
  return Math.pow(EPSILON, 1 / (order + 1)) * Math.max(1, Math.abs(x));
}

/** The central-difference step ε^(1/3)·max(1, |x|). */
export function centralStep(x: number): number {
  return optimalStep(2, x);
}

/** Base step for central differences refined by `levels` Richardson levels (error O(h^(2+2·levels))). */
export function richardsonStep(x: number, levels: number): number {
  return optimalStep(2 + 2 * levels, x);
}
