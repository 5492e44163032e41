/**
 * Richardson extrapolation (Richardson 1911; Numerical Recipes §5.7): from estimates D(h), D(h/r),
 * D(h/r²), … whose error series is c₁·h^p₁ + c₂·h^p₂ + …, each level eliminates one term:
 *   T[k][j] = (r^p_k · T[k−1][j+1] − T[k−1][j]) / (r^p_k − 1).
 * The error estimate is the larger difference between the final value and the two best values of
 * the level below (as in Ridders' method), conservative by design.
 */
export interface Extrapolation {
  readonly value: number;
  readonly error: number;
}

/**
 * `estimates[j]` is the estimate with step h/ratio^j; `exponents[k]` the power of h removed at level k+1.
 * Uses estimates.length − 1 levels (at least 1).
 */
export function richardson(estimates: readonly number[], exponents: readonly number[], ratio = 2): Extrapolation {
  const out = { value: 0, error: 0 };
  richardsonInPlace(Float64Array.from(estimates), estimates.length, exponents, out, ratio);
  return out;
}

/** Error-series exponents of central differences (h², h⁴, h⁶, …). */
export const CENTRAL_EXPONENTS: readonly number[] = [2, 4, 6, 8];
/** Error-series exponents of one-sided differences (h, h², h³, …). */
export const ONE_SIDED_EXPONENTS: readonly number[] = [1, 2, 3, 4];

/**
 * The one implementation of the extrapolation, without allocation (the finite-difference loop calls
 * it once per entry): extrapolates `estimates[0..count)` in place (the array is overwritten) and
 * writes value and error to `out`. `count` ≥ 2.
 */
export function richardsonInPlace(estimates: Float64Array, count: number, exponents: readonly number[], out: { value: number; error: number }, ratio = 2): void {
  let previousFirst = estimates[0];
  let previousLast = estimates[count - 1];
  for (let k = 0; k < count - 1; k++) {
    const factor = Math.pow(ratio, exponents[k]);
    const length = count - k;
    previousFirst = estimates[0];
    previousLast = estimates[length - 1];
    for (let j = 0; j + 1 < length; j++) estimates[j] = (factor * estimates[j + 1] - estimates[j]) / (factor - 1);
  }
  const value = estimates[0];
  out.value = value;
  out.error = Math.max(Math.abs(value - previousLast), Math.abs(value - previousFirst));
}

/**
 * The weights c_j with richardson(estimates).value = Σ_j c_j·estimates[j]: the extrapolation is linear,
 * so they are the results of extrapolating the unit vectors. Used for the noise gain (rounding.ts).
 */
export function richardsonWeights(count: number, exponents: readonly number[], ratio = 2): Float64Array {
  const weights = new Float64Array(count);
  const unit = new Array<number>(count);
  for (let j = 0; j < count; j++) {
    unit.fill(0);
    unit[j] = 1;
    weights[j] = richardson(unit, exponents, ratio).value;
  }
  return weights;
}
