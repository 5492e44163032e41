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
