/**
 * The backward pass with one classic mistake built in, in the engine's terms (flat Float64Array
 * parameters, row-major batches): what a buggy implementation would have returned for a case. Each
 * fingerprint in `hypotheses.ts` recomputes the gradient this way and compares with the claim.
 *
 * Mistakes that need matching shapes (δ·W on a square W, another layer's weights or error) are made
 * only where the shapes agree; elsewhere the product is the correct one, since code with the mistake
 * would not have run there.
 */
import type { Activation } from '../engine/activation.js';
import { mseGradientInto } from '../engine/loss.js';
import type { NetworkCase } from '../check/objective/network-objective.js';

export type DerivativeMistake =
  /** σ' left out (taken as 1). */
  | 'missing'
  /** σ'(a) = σ'(σ(z)). */
  | 'of-activation'
  /** a = σ(z) in place of σ'(z). */
  | 'activation-value'
  /** sigmoid: z(1 − z), the formula for a fed z. */
  | 'formula-on-z'
  /** σ'(z)². */
  | 'squared'
  /** sigmoid: 0 where |z| > cutoff. */
  | 'zeroed-beyond';

export interface BackwardVariant {
  readonly derivative?: { readonly mistake: DerivativeMistake; readonly layers: readonly number[]; readonly cutoff?: number };
  /** How the error is passed down to layer l − 1. */
  readonly propagate?: 'no-transpose' | 'previous-layer-weights' | 'output-error' | 'before-derivative' | 'updated-weights';
  /** With `updated-weights`: W − rate·dW is used to pass the error down. */
  readonly learningRate?: number;
  /** `last-sample` takes W's and b's gradients from the last sample only. */
  readonly weightGradient?: 'transposed' | 'own-activation' | 'last-sample';
  readonly biasGradient?: 'first-sample' | 'last-sample' | 'mean';
}

export interface VariantGradients {
  readonly parameters: Float64Array;
  readonly inputs: Float64Array;
}

export function variantGradients(nc: NetworkCase, v: BackwardVariant): VariantGradients {
  const { network, params } = nc;
  const n = nc.inputs.rows;
  const trace = network.forward(params, nc.inputs);
  const layers = network.layers;
  const last = layers.length - 1;
  const grad = new Float64Array(network.parameterCount);
  let error: Float64Array = new Float64Array(n * layers[last].outputs);
  mseGradientInto(error, network.prediction(trace), nc.targets.data, nc.reduction);
  let outputDelta: Float64Array = error;
  let dInputs: Float64Array = new Float64Array(0);
  for (let l = last; l >= 0; l--) {
    const layer = layers[l];
    const k = layer.inputs;
    const m = layer.outputs;
    const z = trace.preActivations[l];
    const a = trace.activations[l + 1];
    const input = trace.activations[l];
    const delta = new Float64Array(error.length);
    const mistaken = v.derivative?.layers.includes(l + 1) ? v.derivative : undefined;
    for (let q = 0; q < delta.length; q++) delta[q] = error[q] * derivative(layer.activation, z[q], a[q], mistaken);
    if (l === last) outputDelta = delta;

    const dW = grad.subarray(layer.weightOffset, layer.weightOffset + k * m);
    const rows = v.weightGradient === 'last-sample' ? [n - 1] : range(n);
    if (v.weightGradient === 'transposed' && k === m) {
      for (const s of rows) for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) dW[i * m + j] += delta[s * m + i] * input[s * k + j];
    } else {
      const from = v.weightGradient === 'own-activation' && k === m ? a : input;
      for (const s of rows) for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) dW[i * m + j] += from[s * k + i] * delta[s * m + j];
    }
    if (layer.bias) {
      const bias = v.weightGradient === 'last-sample' ? 'last-sample' : v.biasGradient;
      const samples = bias === 'first-sample' ? [0] : bias === 'last-sample' ? [n - 1] : range(n);
      const weight = bias === 'mean' ? 1 / n : 1;
      for (const s of samples) for (let j = 0; j < m; j++) grad[layer.biasOffset + j] += weight * delta[s * m + j];
    }

    const previous = propagate(nc, v, l, delta, error, outputDelta, dW);
    if (l === 0) dInputs = previous;
    error = previous;
  }
  return { parameters: grad, inputs: dInputs };
}

function derivative(act: Activation, z: number, a: number, mistake: BackwardVariant['derivative']): number {
  if (!mistake) return act.derivative(z);
  switch (mistake.mistake) {
    case 'missing':
      return 1;
    case 'of-activation':
      return act.derivative(a);
    case 'activation-value':
      return a;
    case 'formula-on-z':
      return act.name === 'sigmoid' ? z * (1 - z) : act.derivative(z);
    case 'squared':
      return act.derivative(z) ** 2;
    case 'zeroed-beyond':
      return act.name === 'sigmoid' && Math.abs(z) > (mistake.cutoff ?? Infinity) ? 0 : act.derivative(z);
  }
}

/** dL/da_{l−1} (batch × inputs of layer l), with the variant's mistake where the shapes allow it. */
function propagate(nc: NetworkCase, v: BackwardVariant, l: number, delta: Float64Array, error: Float64Array, outputDelta: Float64Array, dW: Float64Array): Float64Array {
  const { network, params } = nc;
  const layer = network.layers[l];
  const n = nc.inputs.rows;
  const k = layer.inputs;
  const m = layer.outputs;
  let W = params.subarray(layer.weightOffset, layer.weightOffset + k * m);
  let source = delta;
  let transposed = true;
  const below = l > 0 ? network.layers[l - 1] : undefined;
  switch (v.propagate) {
    case 'no-transpose':
      transposed = k !== m;
      break;
    case 'previous-layer-weights':
      if (below && below.inputs === k && below.outputs === m) W = params.subarray(below.weightOffset, below.weightOffset + k * m);
      break;
    case 'output-error':
      if (outputDelta.length === delta.length) source = outputDelta;
      break;
    case 'before-derivative':
      source = error;
      break;
    case 'updated-weights': {
      const rate = v.learningRate ?? 0;
      W = W.map((w, q) => w - rate * dW[q]);
      break;
    }
  }
  const out = new Float64Array(n * k);
  for (let s = 0; s < n; s++) {
    for (let p = 0; p < k; p++) {
      let sum = 0;
      // δ·Wᵀ reads W[p][j]; δ·W (square W) reads W[j][p].
      for (let j = 0; j < m; j++) sum += source[s * m + j] * (transposed ? W[p * m + j] : W[j * m + p]);
      out[s * k + p] = sum;
    }
  }
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
