/**
 * A 1-D convolution (cross-correlation, as deep-learning libraries define it), stride 1, no padding:
 *
 *   y[o, i] = b[o] + Σ_c Σ_k w[o, c, k]·x[c, i + k],  x: C_in × L,  w: C_out × C_in × K,  y: C_out × (L − K + 1)
 *
 * and its backward rule: x̄[c, i + k] += w[o, c, k]·ȳ[o, i], w̄[o, c, k] = Σ_i ȳ[o, i]·x[c, i + k],
 * b̄[o] = Σ_i ȳ[o, i]. The buggy rule stops the kernel loop of x̄ one tap short (k < K − 1): x̄[c, j]
 * misses w[o, c, K−1]·ȳ[o, j − K + 1], so exactly the entries j ≥ K − 1 of x̄ are wrong; w̄ and b̄ are right.
 *
 * Only gradcheck's types are imported.
 */
import type { NamedTensors as Named, Tensor } from 'gradcheck';

function sizes(x: Tensor, w: Tensor): { cin: number; length: number; cout: number; taps: number; outLength: number } {
  const [cin, length] = x.shape;
  const [cout, , taps] = w.shape;
  return { cin, length, cout, taps, outLength: length - taps + 1 };
}

/** y = conv1d(x, w) + b. */
export function conv1d({ x, w, b }: Named): Tensor {
  const { cin, length, cout, taps, outLength } = sizes(x, w);
  const y = new Float64Array(cout * outLength);
  for (let o = 0; o < cout; o++) {
    for (let i = 0; i < outLength; i++) {
      let sum = b.data[o];
      for (let c = 0; c < cin; c++) for (let k = 0; k < taps; k++) sum += w.data[(o * cin + c) * taps + k] * x.data[c * length + i + k];
      y[o * outLength + i] = sum;
    }
  }
  return { shape: [cout, outLength], data: y };
}

function backward({ x, w }: Named, ybar: Tensor, xTaps: (taps: number) => number): Record<string, Tensor> {
  const { cin, length, cout, taps, outLength } = sizes(x, w);
  const dx = new Float64Array(x.data.length);
  const dw = new Float64Array(w.data.length);
  const db = new Float64Array(cout);
  for (let o = 0; o < cout; o++) {
    for (let i = 0; i < outLength; i++) {
      const g = ybar.data[o * outLength + i];
      db[o] += g;
      for (let c = 0; c < cin; c++) {
        for (let k = 0; k < taps; k++) dw[(o * cin + c) * taps + k] += g * x.data[c * length + i + k];
        for (let k = 0; k < xTaps(taps); k++) dx[c * length + i + k] += g * w.data[(o * cin + c) * taps + k];
      }
    }
  }
  return { x: { shape: x.shape, data: dx }, w: { shape: w.shape, data: dw }, b: { shape: [cout], data: db } };
}

/** The backward rule: x̄, w̄, b̄ for cotangent ȳ. */
export function conv1dVjp(inputs: Named, { y }: Named): Record<string, Tensor> {
  return backward(inputs, y, (taps) => taps);
}

/** The bug: x̄'s kernel loop stops at k < K − 1. */
export function buggyConv1dVjp(inputs: Named, { y }: Named): Record<string, Tensor> {
  return backward(inputs, y, (taps) => taps - 1);
}
