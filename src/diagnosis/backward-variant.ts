/**
 * The backward pass with one classic mistake built in, in the engine's terms (flat Float64Array
 * parameters, row-major batches): what a buggy implementation would have returned for a case. Each
 * hypothesis in `hypotheses.ts` recomputes the gradient this way and compares with the claim.
 *
 * Mistakes that need matching shapes (δ·W on a square W, another layer's weights or error) are made
 * only where the shapes agree; elsewhere the product is the correct one, since code with the mistake
 * would not have run there.
 */
import type { Activation } from '../engine/activation.js';
import { mseGradientInto } from '../engine/loss.js';
import type { NetworkCase } from '../check/objective/network-objective.js';

/** One mistake in σ'(z), the activation derivative. */
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
  | 'zeroed-beyond'
  /** factor·σ'(z): doubled (factor 2) or any fitted scale (identity layers keep 1). */
  | 'scaled'
  /** relu: `slope` where z ≤ 0 instead of 0 (a leaky ReLU's slope left in). */
  | 'leaky'
  /** relu: −1 where z > 0 (the sign flipped). */
  | 'negated-relu'
  /** relu: 1 where z ≤ 0 and 0 where z > 0 (the mask inverted). */
  | 'inverted-mask'
  /** tanh's derivative 1 − a² (sigmoid and relu units). */
  | 'tanh-formula'
  /** the sigmoid's a(1 − a) for a relu unit. */
  | 'sigmoid-formula'
  /** the ReLU's step (z > 0) for a sigmoid unit. */
  | 'step'
  /** max(σ'(z), floor) on sigmoid units: a clamp meant against vanishing gradients. */
  | 'floored'
  /** `factor` on sigmoid units, whatever z (used to fit a floor). */
  | 'constant';

/** The reference backward pass with one change (every field optional: {} is the correct pass). */
export interface BackwardVariant {
  readonly derivative?: {
    readonly mistake: DerivativeMistake;
    /** 1-based layers the mistake is made in. */
    readonly layers: readonly number[];
    /** Only units with this activation (`sigmoid`: "the sigmoid's derivative is wrong", wherever it is used). */
    readonly only?: Activation['name'];
    readonly cutoff?: number;
    /** With `scaled`. */
    readonly factor?: number;
    /** With `leaky`. */
    readonly slope?: number;
    /** With `floored`. */
    readonly floor?: number;
  };
  /** dL/dŷ times this factor (a loss gradient scaled differently from the case's reduction). */
  readonly lossScale?: number;
  /** How the error is passed down to layer l − 1. */
  readonly propagate?: 'no-transpose' | 'previous-layer-weights' | 'output-error' | 'before-derivative' | 'updated-weights';
  /** With `updated-weights`: W − rate·dW is used to pass the error down. */
  readonly learningRate?: number;
  /** `last-sample` takes W's and b's gradients from the last sample only. */
  /** `mean`: W's gradient divided by the batch size while b's is summed. */
  readonly weightGradient?: 'transposed' | 'own-activation' | 'last-sample' | 'mean';
  /** λ·W added to each weight gradient (an L2 penalty the loss does not have); with `decayBias`, λ·b to b's too. */
  readonly weightDecay?: number;
  readonly decayBias?: boolean;
  /** `total`: every entry the sum of all of δ (summed without an axis); `wrong-axis`: summed over the outputs (batch = outputs only). */
  readonly biasGradient?: 'first-sample' | 'last-sample' | 'mean' | 'total' | 'wrong-axis';
}

/** dL/dθ and dL/dx of a variant. */
export interface VariantGradients {
  readonly parameters: Float64Array;
  readonly inputs: Float64Array;
}

/** The gradients the variant's backward pass computes for a case. */
export function variantGradients(nc: NetworkCase, v: BackwardVariant): VariantGradients {
  const { network, params } = nc;
  const n = nc.inputs.rows;
  const trace = network.forward(params, nc.inputs);
  const layers = network.layers;
  const last = layers.length - 1;
  const grad = new Float64Array(network.parameterCount);
  let error: Float64Array = new Float64Array(n * layers[last].outputs);
  mseGradientInto(error, network.prediction(trace), nc.targets.data, nc.reduction);
  if (v.lossScale !== undefined) for (let q = 0; q < error.length; q++) error[q] *= v.lossScale;
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
    const d = v.derivative;
    const mistaken = d && d.layers.includes(l + 1) && (d.only === undefined || d.only === layer.activation.name) ? d : undefined;
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
    if (v.weightGradient === 'mean') for (let q = 0; q < dW.length; q++) dW[q] /= n;
    if (v.weightDecay !== undefined) for (let q = 0; q < dW.length; q++) dW[q] += v.weightDecay * params[layer.weightOffset + q];
    if (layer.bias && v.biasGradient === 'total') {
      let total = 0;
      for (const e of delta) total += e;
      for (let j = 0; j < m; j++) grad[layer.biasOffset + j] = total;
    } else if (layer.bias && v.biasGradient === 'wrong-axis' && n === m) {
      for (let j = 0; j < m; j++) for (let i = 0; i < m; i++) grad[layer.biasOffset + j] += delta[j * m + i];
    } else if (layer.bias) {
      const bias = v.weightGradient === 'last-sample' ? 'last-sample' : v.biasGradient;
      const samples = bias === 'first-sample' ? [0] : bias === 'last-sample' ? [n - 1] : range(n);
      const weight = bias === 'mean' ? 1 / n : 1;
      for (const s of samples) for (let j = 0; j < m; j++) grad[layer.biasOffset + j] += weight * delta[s * m + j];
    }

    const previous = propagate(nc, v, l, delta, error, outputDelta, dW);
    if (l === 0) dInputs = previous;
    error = previous;
  }
  if (v.weightDecay !== undefined && v.decayBias) {
    for (const layer of layers) if (layer.bias) for (let j = 0; j < layer.outputs; j++) grad[layer.biasOffset + j] += v.weightDecay * params[layer.biasOffset + j];
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
    case 'scaled':
      // An identity layer has no derivative code to get wrong: its 1 stays 1.
      return act.name === 'identity' ? 1 : (mistake.factor ?? 1) * act.derivative(z);
    case 'leaky':
      return act.name === 'relu' && z <= 0 ? (mistake.slope ?? 0) : act.derivative(z);
    case 'negated-relu':
      return act.name === 'relu' ? -act.derivative(z) : act.derivative(z);
    case 'inverted-mask':
      return act.name === 'relu' ? 1 - act.derivative(z) : act.derivative(z);
    case 'tanh-formula':
      return act.name === 'identity' ? 1 : 1 - a * a;
    case 'sigmoid-formula':
      return act.name === 'relu' ? a * (1 - a) : act.derivative(z);
    case 'step':
      return act.name === 'sigmoid' ? (z > 0 ? 1 : 0) : act.derivative(z);
    case 'floored':
      return act.name === 'sigmoid' ? Math.max(act.derivative(z), mistake.floor ?? 0) : act.derivative(z);
    case 'constant':
      return act.name === 'sigmoid' ? (mistake.factor ?? 0) : act.derivative(z);
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
