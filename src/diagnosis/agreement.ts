/**
 * When does a recomputed gradient "reproduce" the claimed one? Entry by entry, by the judge's
 * allowance (numerics/judge.ts) with both analytic computations' rounding, 2·R_k, R the case's
 * claimed-rounding model (objective/claimed-rounding.ts):
 *
 *   |claimed − recomputed| ≤ rtol·max(|claimed|, |recomputed|) + atol + 2·R_k
 */
import { tensorSize, type ParameterTensor } from '../engine/layout.js';
import { allowance, type Tolerances } from '../check/numerics/judge.js';

export interface Agreement {
  readonly agrees: boolean;
  /** Largest |a − b|. */
  readonly deviation: number;
  /** Largest |a − b| / tolerance: ≤ 1 agrees. */
  readonly worst: number;
}

/** Compares a and b over the given tensors (all tensors of the layout by default). */
export function agreement(a: Float64Array, b: Float64Array, tensors: readonly ParameterTensor[], t: Tolerances, rounding?: Float64Array): Agreement {
  let deviation = 0;
  let worst = 0;
  for (const tensor of tensors) {
    const end = tensor.offset + tensorSize(tensor);
    for (let k = tensor.offset; k < end; k++) {
      const d = Math.abs(a[k] - b[k]);
      const tol = allowance(a[k], b[k], t, rounding ? 2 * rounding[k] : 0);
      deviation = Math.max(deviation, d);
      worst = Math.max(worst, tol > 0 ? d / tol : d > 0 ? Infinity : 0);
    }
  }
  return { agrees: worst <= 1, deviation, worst };
}
