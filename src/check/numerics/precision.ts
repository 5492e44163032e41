/**
 * The floating-point formats an implementation may compute in, and their unit roundoff u: the bound
 * on the relative error of one correctly rounded operation, fl(a ∘ b) = (a ∘ b)(1 + δ), |δ| ≤ u
 * (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §2.2, Table 2.1). u = 2^−t for a
 * t-bit significand: binary64 t = 53, binary32 t = 24, binary16 t = 11, bfloat16 t = 8 (IEEE 754-2019;
 * bfloat16 as defined by Google Brain / Intel's BF16 spec). Machine epsilon is 2u.
 *
 * Every precision-dependent quantity of the checker (steps, rounding floors, the claimed side's
 * rounding) is derived from `unitRoundoff`; nothing else in gradcheck names a precision's constant.
 */
import { GradcheckError } from '../../errors.js';

/** The floating-point format an implementation computes in; its unit roundoff sets steps and allowances. */
export type Precision = 'float64' | 'float32' | 'float16' | 'bfloat16';

export const PRECISIONS: readonly Precision[] = ['float64', 'float32', 'float16', 'bfloat16'];

const SIGNIFICAND_BITS: Record<Precision, number> = { float64: 53, float32: 24, float16: 11, bfloat16: 8 };

/** u = 2^−t, exactly representable in float64. */
export function unitRoundoff(precision: Precision): number {
  return 2 ** -SIGNIFICAND_BITS[precision];
}

/** Validates a precision name (an option or a handshake field), naming where it came from. */
export function parsePrecision(value: unknown, where: string, field = 'precision'): Precision {
  if (typeof value === 'string' && (PRECISIONS as readonly string[]).includes(value)) return value as Precision;
  throw new GradcheckError(where, `${field} is ${JSON.stringify(value)}; expected one of ${PRECISIONS.map((p) => `'${p}'`).join(', ')}`);
}

/**
 * x rounded to the nearest value of `precision` (ties to even): what an implementation in that format
 * receives for x. float64 is the identity; float32 is `Math.fround`; float16 and bfloat16 round the
 * significand to t bits by scaling (exact in float64; their narrower exponent ranges are not modelled).
 */
export function roundToPrecision(x: number, precision: Precision): number {
  if (precision === 'float64') return x;
  if (precision === 'float32') return Math.fround(x);
  if (x === 0 || !Number.isFinite(x)) return x;
  const t = SIGNIFICAND_BITS[precision];
  const exponent = Math.floor(Math.log2(Math.abs(x)));
  const quantum = 2 ** (exponent - t + 1);
  const scaled = x / quantum;
  let rounded = Math.round(scaled);
  // Math.round rounds halves up; IEEE rounds them to even.
  if (Math.abs(scaled - Math.trunc(scaled)) === 0.5 && rounded % 2 !== 0) rounded -= 1;
  return rounded * quantum;
}
