/**
 * How far moving one coordinate of θ moves the pre-activations it feeds: its gain, from which the
 * estimator's steps are chosen in pre-activation units (numerics/step.ts, `stepScale`, derives why).
 * The one definition, used by both network objectives and the screen.
 *
 * z_l = a_{l−1}·W_l + b_l, row by row (a_0 = x), so (exactly, no linearisation):
 * - W_l[i][j] moves z_l[n][j] by a_{l−1}[n][i] per unit: gain maxₙ |a_{l−1}[n][i]|;
 * - b_l[j] moves z_l[n][j] by 1 per unit: gain 1;
 * - x[n][k] moves z_1[n][j] by W_1[k][j] per unit: gain max_j |W_1[k][j]|.
 * The largest row sets the gain because the step's truncation error is set by the row moved furthest.
 */
import type { Network } from '../../engine/network.js';

/**
 * Gains in θ's layout (parameters, then x when `includeInputs`). `layerInputs[l]` is a_l at θ, the
 * input of layer l (batch × fan-in; `layerInputs[0]` the input batch).
 */
export function coordinateGains(network: Network, params: Float64Array, layerInputs: readonly Float64Array[], batch: number, includeInputs: boolean): Float64Array {
  const p = network.parameterCount;
  const first = network.layers[0];
  const gains = new Float64Array(p + (includeInputs ? batch * first.inputs : 0));
  network.layers.forEach((layer, l) => {
    const k = layer.inputs;
    const m = layer.outputs;
    const a = layerInputs[l];
    for (let i = 0; i < k; i++) {
      let g = 0;
      for (let n = 0; n < batch; n++) g = Math.max(g, Math.abs(a[n * k + i]));
      gains.fill(g, layer.weightOffset + i * m, layer.weightOffset + (i + 1) * m);
    }
    if (layer.bias) gains.fill(1, layer.biasOffset, layer.biasOffset + m);
  });
  if (includeInputs) {
    const k = first.inputs;
    const m = first.outputs;
    for (let i = 0; i < k; i++) {
      let g = 0;
      for (let j = 0; j < m; j++) g = Math.max(g, Math.abs(params[first.weightOffset + i * m + j]));
      for (let n = 0; n < batch; n++) gains[p + n * k + i] = g;
    }
  }
  return gains;
}
