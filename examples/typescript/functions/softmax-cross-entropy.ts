/**
 * Softmax over the last axis, and the mean cross-entropy of softmax(z) against target distributions p,
 * with their backward rules and a buggy version of each:
 *
 * - softmax: s = softmax(z) per row; z̄ = s ⊙ (ȳ − ⟨ȳ, s⟩) per row. The bug drops the coupling term
 *   (z̄ = s ⊙ ȳ, as if each output depended on its own logit only).
 * - cross-entropy: L = −(1/B)·Σ_b Σ_c p[b,c]·log s[b,c]; z̄ = L̄·(s − p)/B (for rows of p summing to 1).
 *   The bug forgets the mean's 1/B, so every entry is B times too large (for B > 1).
 *
 *   checkVjp({ f: softmaxCrossEntropy, vjp: softmaxCrossEntropyVjp, inputs: { z, p }, wrt: ['z'] })
 *
 * Only gradcheck's types are imported; the log-sum-exp is shifted by the row maximum so large logits do not overflow.
 */
import type { NamedTensors as Named, Tensor } from 'gradcheck';

function rowsOf(z: Tensor): { rows: number; cols: number } {
  const cols = z.shape[z.shape.length - 1];
  return { rows: z.data.length / cols, cols };
}

/** softmax of each row of z (the last axis). */
export function softmaxRows(z: Tensor): Float64Array {
  const { rows, cols } = rowsOf(z);
  const s = new Float64Array(z.data.length);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, z.data[r * cols + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += s[r * cols + c] = Math.exp(z.data[r * cols + c] - max);
    for (let c = 0; c < cols; c++) s[r * cols + c] /= sum;
  }
  return s;
}

/** y = softmax(z) over the last axis. */
export function softmax({ z }: Named): Tensor {
  return { shape: z.shape, data: softmaxRows(z) };
}

function softmaxBackward(z: Tensor, ybar: Tensor, coupled: boolean): Record<string, Tensor> {
  const { rows, cols } = rowsOf(z);
  const s = softmaxRows(z);
  const out = new Float64Array(z.data.length);
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += ybar.data[r * cols + c] * s[r * cols + c];
    for (let c = 0; c < cols; c++) out[r * cols + c] = s[r * cols + c] * (ybar.data[r * cols + c] - (coupled ? dot : 0));
  }
  return { z: { shape: z.shape, data: out } };
}

/** z̄ = s ⊙ (ȳ − ⟨ȳ, s⟩), row by row. */
export function softmaxVjp({ z }: Named, { y }: Named): Record<string, Tensor> {
  return softmaxBackward(z, y, true);
}

/** The bug: z̄ = s ⊙ ȳ, the coupling term ⟨ȳ, s⟩ dropped. */
export function buggySoftmaxVjp({ z }: Named, { y }: Named): Record<string, Tensor> {
  return softmaxBackward(z, y, false);
}

/** L = −(1/B)·Σ p·log softmax(z), a scalar; B is the number of rows. */
export function softmaxCrossEntropy({ z, p }: Named): Tensor {
  const { rows, cols } = rowsOf(z);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, z.data[r * cols + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(z.data[r * cols + c] - max);
    const logSum = max + Math.log(sum);
    for (let c = 0; c < cols; c++) loss -= p.data[r * cols + c] * (z.data[r * cols + c] - logSum);
  }
  return { shape: [], data: Float64Array.of(loss / rows) };
}

function crossEntropyBackward(z: Tensor, p: Tensor, lbar: number, mean: boolean): Record<string, Tensor> {
  const { rows } = rowsOf(z);
  const s = softmaxRows(z);
  const scale = mean ? lbar / rows : lbar;
  return { z: { shape: z.shape, data: s.map((v, i) => scale * (v - p.data[i])) } };
}

/** z̄ = L̄·(softmax(z) − p)/B. */
export function softmaxCrossEntropyVjp({ z, p }: Named, { y }: Named): Record<string, Tensor> {
  return crossEntropyBackward(z, p, y.data[0], true);
}

/** The bug: z̄ = L̄·(softmax(z) − p), the mean's 1/B forgotten. */
export function buggySoftmaxCrossEntropyVjp({ z, p }: Named, { y }: Named): Record<string, Tensor> {
  return crossEntropyBackward(z, p, y.data[0], false);
}
