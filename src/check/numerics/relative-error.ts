/**
 * Relative error, defined once for all of gradcheck:
 *   relativeError(a, b) = |a − b| / max(|a|, |b|),  and 0 when a = b (including both 0).
 * Symmetric, never divides by zero, and bounded by 2; against an exact 0 it is 1 for any non-zero
 * value, which is why verdicts never rest on relative error alone (see `judge.ts`).
 * (The symmetric max-denominator form of CS231n's gradient-check notes.)
 */
export function relativeError(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

export function absoluteError(a: number, b: number): number {
  return Math.abs(a - b);
}
