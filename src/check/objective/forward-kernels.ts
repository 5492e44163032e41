/**
 * The forward pass's two kernels for the objective's `along` (incremental-network-objective.ts), with
 * exactly the engine's arithmetic (engine/matrix.ts `matmulInto`, engine/activation.ts), only faster:
 * the loss at a stencil point must be the loss the engine computes there, to the last bit, so that the
 * loss-rounding model describes it (one forward pass).
 *
 * `matmulInto` accumulates out[i][j] = ((a[i][p₀]·b[p₀][j]) + a[i][p₁]·b[p₁][j]) + … over the p with
 * a[i][p] ≠ 0, in increasing p. This kernel adds the same products in the same order, but four p at a
 * time per pass over j (one load and store of out[i][j] per four products instead of per product):
 * JavaScript rounds every + and · to float64 in source order (no fused multiply-add), so each partial
 * sum is the same number. test/strategies/forward-kernels.test.ts checks bitwise equality.
 */
import { identity, relu, sigmoid, type Activation } from '../../engine/activation.js';

/** out = a·b (a: n×k, b: k×m), bitwise equal to engine/matrix.ts `matmulInto`; `nonZero` holds ≥ k indices. */
export function matmulSameOrder(out: Float64Array, a: Float64Array, b: Float64Array, n: number, k: number, m: number, nonZero: Int32Array): void {
  out.fill(0, 0, n * m);
  for (let i = 0; i < n; i++) {
    const row = i * m;
    let count = 0;
    for (let p = 0; p < k; p++) if (a[i * k + p] !== 0) nonZero[count++] = p;
    let q = 0;
    for (; q + 3 < count; q += 4) {
      const p0 = nonZero[q];
      const p1 = nonZero[q + 1];
      const p2 = nonZero[q + 2];
      const p3 = nonZero[q + 3];
      const a0 = a[i * k + p0];
      const a1 = a[i * k + p1];
      const a2 = a[i * k + p2];
      const a3 = a[i * k + p3];
      const b0 = p0 * m;
      const b1 = p1 * m;
      const b2 = p2 * m;
      const b3 = p3 * m;
      for (let j = 0; j < m; j++) {
        let s = out[row + j];
        s += a0 * b[b0 + j];
        s += a1 * b[b1 + j];
        s += a2 * b[b2 + j];
        s += a3 * b[b3 + j];
        out[row + j] = s;
      }
    }
    for (; q < count; q++) {
      const p = nonZero[q];
      const ap = a[i * k + p];
      const bp = p * m;
      for (let j = 0; j < m; j++) out[row + j] += ap * b[bp + j];
    }
  }
}

/** a[k] = σ(z[k]) with the engine's formulas written out for the common activations (same operations). */
export function activateInto(a: Float64Array, z: Float64Array, act: Activation): void {
  const length = z.length;
  if (act === identity) {
    for (let k = 0; k < length; k++) a[k] = z[k];
  } else if (act === relu) {
    for (let k = 0; k < length; k++) a[k] = z[k] > 0 ? z[k] : 0;
  } else if (act === sigmoid) {
    for (let k = 0; k < length; k++) {
      const x = z[k];
      if (x >= 0) {
        a[k] = 1 / (1 + Math.exp(-x));
      } else {
        const e = Math.exp(x);
        a[k] = e / (1 + e);
      }
    }
  } else {
    for (let k = 0; k < length; k++) a[k] = act.value(z[k]);
  }
}
