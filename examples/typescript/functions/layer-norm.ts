/**
 * Layer normalisation over the last axis: y = γ ⊙ x̂ + β with x̂ = (x − μ)/√(σ² + ε) per row (μ, σ²
 * the row's mean and biased variance), and its backward rule:
 *
 *   ĝ = ȳ ⊙ γ,  x̄ = (ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂)) / √(σ² + ε),  γ̄ = Σ_rows ȳ ⊙ x̂,  β̄ = Σ_rows ȳ.
 *
 * The buggy rule drops x̂ ⊙ mean(ĝ ⊙ x̂), treating the variance as a constant (a classic slip): x̄ is
 * wrong, γ̄ and β̄ are right, so a check names x only.
 *
 * Only gradcheck's types are imported; ε = 1e-5, PyTorch's default for nn.LayerNorm.
 */
import type { NamedTensors as Named, Tensor } from 'gradcheck';

/** PyTorch's default ε for nn.LayerNorm. */
export const LAYER_NORM_EPS = 1e-5;

function normalise(x: Tensor): { xhat: Float64Array; inv: Float64Array; rows: number; cols: number } {
  const cols = x.shape[x.shape.length - 1];
  const rows = x.data.length / cols;
  const xhat = new Float64Array(x.data.length);
  const inv = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let c = 0; c < cols; c++) mean += x.data[r * cols + c];
    mean /= cols;
    let variance = 0;
    for (let c = 0; c < cols; c++) variance += (x.data[r * cols + c] - mean) ** 2;
    inv[r] = 1 / Math.sqrt(variance / cols + LAYER_NORM_EPS);
    for (let c = 0; c < cols; c++) xhat[r * cols + c] = (x.data[r * cols + c] - mean) * inv[r];
  }
  return { xhat, inv, rows, cols };
}

/** y = γ ⊙ x̂ + β, row by row. */
export function layerNorm({ x, gamma, beta }: Named): Tensor {
  const { xhat, rows, cols } = normalise(x);
  const y = new Float64Array(x.data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) y[r * cols + c] = gamma.data[c] * xhat[r * cols + c] + beta.data[c];
  return { shape: x.shape, data: y };
}

function backward({ x, gamma }: Named, ybar: Tensor, varianceTerm: boolean): Record<string, Tensor> {
  const { xhat, inv, rows, cols } = normalise(x);
  const dx = new Float64Array(x.data.length);
  const dgamma = new Float64Array(cols);
  const dbeta = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    let meanG = 0;
    let meanGX = 0;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const g = ybar.data[i] * gamma.data[c];
      meanG += g / cols;
      meanGX += (g * xhat[i]) / cols;
      dgamma[c] += ybar.data[i] * xhat[i];
      dbeta[c] += ybar.data[i];
    }
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const g = ybar.data[i] * gamma.data[c];
      dx[i] = (g - meanG - (varianceTerm ? xhat[i] * meanGX : 0)) * inv[r];
    }
  }
  return { x: { shape: x.shape, data: dx }, gamma: { shape: [cols], data: dgamma }, beta: { shape: [cols], data: dbeta } };
}

/** The backward rule: x̄, γ̄, β̄ for cotangent ȳ. */
export function layerNormVjp(inputs: Named, { y }: Named): Record<string, Tensor> {
  return backward(inputs, y, true);
}

/** The bug: x̄ without the variance's term x̂ ⊙ mean(ĝ ⊙ x̂). */
export function buggyLayerNormVjp(inputs: Named, { y }: Named): Record<string, Tensor> {
  return backward(inputs, y, false);
}
