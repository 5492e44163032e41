/**
 * The gradient envelope: backprop with every factor replaced by a bound on its magnitude: |W|, the
 * activations' magnitude bounds ā (from a forward pass in absolute values, with a sigmoid's output
 * bounded by its range 1), the largest derivative of each activation, and 2c(|ŷ − y| + ā_L + |y|).
 *
 * A float64 backward pass computes each entry g_i as sums of chain-rule products; its rounding error
 * is about κ·ε·G_i, where G_i sums the magnitudes of those products' factors (first-order error
 * analysis, Higham, "Accuracy and Stability of Numerical Algorithms", §3.1). G_i bounds what a
 * *correct* implementation may get wrong, e.g. σ'(z) = a(1 − a) has absolute error ≈ ε when the
 * sigmoid saturates, and σ(z) computed as ½(1 + tanh(z/2)) has absolute error ε near 0: large relative
 * errors of tiny gradients, but not bugs.
 */
import type { Matrix } from './matrix.js';
import type { Network } from './network.js';
import { reductionScale, type Reduction } from './loss.js';

/** The largest |σ'| of each activation: sigmoid ¼, ReLU and identity 1. */
const MAX_DERIVATIVE = { sigmoid: 0.25, relu: 1, identity: 1 } as const;

/**
 * ā_l: a forward pass in magnitudes, z̄ = ā_{l−1}·|W| + |b|, with ā = 1 for sigmoid (its range) and
 * ā = z̄ for ReLU and identity. Bounds the size of every term a correct forward pass adds up.
 */
function activationBounds(network: Network, params: Float64Array, inputs: Matrix): Float64Array[] {
  const n = inputs.rows;
  const bounds = [Float64Array.from(inputs.data, Math.abs)];
  for (const layer of network.layers) {
    const prev = bounds[bounds.length - 1];
    const m = layer.outputs;
    const next = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = layer.bias ? Math.abs(params[layer.biasOffset + j]) : 0;
        for (let p = 0; p < layer.inputs; p++) s += prev[i * layer.inputs + p] * Math.abs(params[layer.weightOffset + p * m + j]);
        next[i * m + j] = layer.activation.name === 'sigmoid' ? 1 : s;
      }
    }
    bounds.push(next);
  }
  return bounds;
}

export interface GradientEnvelope {
  /** G for every parameter, in the flat layout. */
  readonly parameters: Float64Array;
  /** G for every input entry (batch × inputs). */
  readonly inputs: Float64Array;
}

export function gradientEnvelope(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction): GradientEnvelope {
  const n = inputs.rows;
  const trace = network.createTrace(n);
  network.forwardInto(params, inputs.data, trace);
  const prediction = network.prediction(trace);
  const c = 2 * reductionScale(reduction, prediction.length);
  const layers = network.layers;
  const bounds = activationBounds(network, params, inputs);
  const outputBound = bounds[bounds.length - 1];
  const grad = new Float64Array(network.parameterCount);
  let delta = new Float64Array(prediction.length);
  for (let k = 0; k < delta.length; k++) {
    const y = targets.data[k];
    const p = prediction[k];
    delta[k] = c * (Math.abs(p - y) + outputBound[k] + Math.abs(y));
  }
  let dInputs = new Float64Array(0);
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    const m = layer.outputs;
    const d = MAX_DERIVATIVE[layer.activation.name];
    for (let k = 0; k < delta.length; k++) delta[k] *= d;
    const a = bounds[l];
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < layer.inputs; p++) {
        const ap = a[i * layer.inputs + p];
        for (let j = 0; j < m; j++) grad[layer.weightOffset + p * m + j] += ap * delta[i * m + j];
      }
      if (layer.bias) for (let j = 0; j < m; j++) grad[layer.biasOffset + j] += delta[i * m + j];
    }
    const previous = new Float64Array(n * layer.inputs);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < layer.inputs; p++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += delta[i * m + j] * Math.abs(params[layer.weightOffset + p * m + j]);
        previous[i * layer.inputs + p] = s;
      }
    }
    if (l === 0) dInputs = previous;
    delta = previous;
  }
  return { parameters: grad, inputs: dInputs };
}
