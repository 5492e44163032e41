/**
 * Which tensors of a case carry lower-precision rounding. Per tensor: `exact`, the claim agrees with the
 * reference within what float64 arithmetic can get wrong (the rounding model, no rtol) and holds a value
 * float32 cannot represent (so it was computed in float64); `float32`, it is beyond that but within
 * float32 rounding of the reference on the float32 grid (the float32 hypothesis's test); `undecided`,
 * float64-exact with every value float32-representable; `other`, beyond float32 rounding (a real error).
 * Correct float32 code has no `exact` tensor; code that rounds part of its computation has both.
 */
import { networkClaimedRounding } from '../check/objective/claimed-rounding.js';
import { onPrecisionGrid } from '../adapters/check-implementation.js';
import { tensorSize, type ParameterTensor } from '../engine/layout.js';
import { agreement } from './agreement.js';
import { correctGradient, type DiagnosisCase } from './diagnosis-case.js';

export type TensorPrecision = 'exact' | 'float32' | 'undecided' | 'other';

const EXACT = { rtol: 0, atol: 0 } as const;
const cache = new WeakMap<DiagnosisCase, Map<ParameterTensor, TensorPrecision>>();

/** Each tensor's precision class on the case (against float64 arithmetic as the declared precision). */
export function precisionProfile(d: DiagnosisCase): Map<ParameterTensor, TensorPrecision> {
  const cached = cache.get(d);
  if (cached) return cached;
  const rounding32 = networkClaimedRounding(d.nc, d.withInputs, 'float32');
  const predicted32 = correctGradient(onPrecisionGrid(d.nc, 'float32'), d.withInputs);
  const out = new Map<ParameterTensor, TensorPrecision>();
  for (const t of d.tensors) {
    if (agreement(d.claimed, d.correct, [t], EXACT, d.rounding).agrees) {
      let representable = true;
      for (let q = t.offset; q < t.offset + tensorSize(t); q++) if (Math.fround(d.claimed[q]) !== d.claimed[q]) representable = false;
      out.set(t, representable ? 'undecided' : 'exact');
    } else {
      out.set(t, agreement(d.claimed, predicted32, [t], d.tolerances, rounding32).agrees ? 'float32' : 'other');
    }
  }
  cache.set(d, out);
  return out;
}

/** Tensors of one class, by name. */
export function tensorsOf(profile: Map<ParameterTensor, TensorPrecision>, cls: TensorPrecision): ParameterTensor[] {
  return [...profile].filter(([, c]) => c === cls).map(([t]) => t);
}
