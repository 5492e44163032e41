/**
 * When does a recomputed gradient "reproduce" the claimed one? Entry by entry, within the checker's
 * relative and absolute tolerances plus the rounding of an analytic backward pass:
 *
 *   |claimed − recomputed| ≤ rtol·max(|claimed|, |recomputed|) + atol + ANALYTIC_ROUNDING·ε·scale
 *
 * where scale is the largest magnitude in the tensor (sums of products round relative to their terms,
 * not to a small entry that cancels).
 */
import { tensorSize, type ParameterTensor } from '../engine/layout.js';
import type { Tolerances } from '../check/numerics/tolerance.js';

/** ε multiples of rounding allowed between two analytic computations in different summation orders. */
export const ANALYTIC_ROUNDING = 1024;

export interface Agreement {
  readonly agrees: boolean;
  /** Largest |a − b|. */
  readonly deviation: number;
  /** Largest |a − b| / tolerance: ≤ 1 agrees. */
  readonly worst: number;
}

/** Compares a and b over the given tensors (all tensors of the layout by default). */
export function agreement(a: Float64Array, b: Float64Array, tensors: readonly ParameterTensor[], t: Tolerances): Agreement {
  let deviation = 0;
  let worst = 0;
  for (const tensor of tensors) {
    const end = tensor.offset + tensorSize(tensor);
    let scale = 0;
    for (let k = tensor.offset; k < end; k++) scale = Math.max(scale, Math.abs(a[k]), Math.abs(b[k]));
    const floor = ANALYTIC_ROUNDING * Number.EPSILON * scale;
    for (let k = tensor.offset; k < end; k++) {
      const d = Math.abs(a[k] - b[k]);
      const tol = t.rtol * Math.max(Math.abs(a[k]), Math.abs(b[k])) + t.atol + floor;
      deviation = Math.max(deviation, d);
      worst = Math.max(worst, tol > 0 ? d / tol : d > 0 ? Infinity : 0);
    }
  }
  return { agrees: worst <= 1, deviation, worst };
}
