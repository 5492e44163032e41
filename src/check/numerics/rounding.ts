/**
 * The rounding model: how far a correct floating-point computation may be from the exact one, and
 * how much of that reaches a finite-difference estimate. Every factor is derived here, once.
 *
 * - `gamma(k, u)` = k·u/(1 − k·u): the relative error bound of a chain of k rounded operations
 *   (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., Lemma 3.1); a dot product of
 *   length n has |fl(xᵀy) − xᵀy| ≤ γ_n·|x|ᵀ|y| (ibid. (3.5)).
 * - `noiseGain(weights)`: a difference quotient D(h_j) = (f(θ + h_j) − f(θ − h_j))/(2h_j) of values
 *   each wrong by at most δ is wrong by at most δ/h_j (one-sided: 2δ/h_j). Richardson's result is
 *   Σ_j c_j·D(h_j), so its rounding error is at most (δ/h)·Σ_j |c_j|·(h/h_j): the gain is computed from
 *   the coefficients of the levels actually used (1 level: 3; 2 levels: 297/45 = 6.6; pinned in tests).
 */
import { CENTRAL_EXPONENTS, ONE_SIDED_EXPONENTS, richardsonWeights } from './richardson.js';

/** γ_k = k·u/(1 − k·u), Infinity once k·u ≥ 1 (no bound). */
export function gamma(k: number, u: number): number {
  const ku = k * u;
  return ku < 1 ? ku / (1 - ku) : Infinity;
}

/** Σ_j |c_j|·2^j for Richardson over `count` estimates at steps h/2^j. */
function gainOf(count: number, exponents: readonly number[]): number {
  const weights = richardsonWeights(count, exponents);
  let gain = 0;
  for (let j = 0; j < count; j++) gain += Math.abs(weights[j]) * 2 ** j;
  return gain;
}

const CENTRAL_GAIN = [1, 2, 3, 4].map((levels) => gainOf(levels + 1, CENTRAL_EXPONENTS));
const ONE_SIDED_GAIN = [1, 2, 3, 4].map((levels) => 2 * gainOf(levels + 1, ONE_SIDED_EXPONENTS));

/**
 * Bound on the rounding error of the extrapolated derivative at base step h, per unit δ/h, where δ
 * bounds the error of every loss value used: central differences, or one-sided (the factor 2 above).
 */
export function noiseGain(levels: number, method: 'central' | 'one-sided'): number {
  return (method === 'central' ? CENTRAL_GAIN : ONE_SIDED_GAIN)[levels - 1];
}

/**
 * A bound on |fl(L) − L| for one evaluation of a loss whose (computed) value is L. For a black box
 * nothing better than one rounding of the result is known, u·|L|: a lower bound, so noise above it is
 * detected by the estimator's rate test rather than assumed (numerics/estimator.ts).
 */
export type LossRounding = (loss: number) => number;

export function resultRounding(u: number): LossRounding {
  return (loss) => u * Math.abs(loss);
}
