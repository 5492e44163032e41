/**
 * Draws a network's parameters for a weight recipe from a seed. Each tensor has its own stream
 * (`seed:W1`, `seed:b1`, …), so shrinking one layer leaves the others' values unchanged.
 *
 * ordinary: W ~ N(0, scale²/fan_in) (Glorot-like), b ~ N(0, biasScale²).
 *
 * saturating: sigmoid layers get pre-activations with a spread of about s = `saturation` (|z| ≈ 10
 * gives σ' ≈ 5e-5). With a bias: b ~ N(0, s²), ordinary W. Without: W ~ N(0, (s/r)²/fan_in), r the root
 * mean square of the layer's actual inputs over the batch, when r ≥ 1; ordinary W when r < 1, because
 * saturating small inputs needs weights so large that the loss varies faster in x than finite
 * differences at the checker's steps resolve (see docs/properties.md, "Limits").
 *
 * near-optimum: as saturating (the targets are then moved next to the prediction by `buildCase`).
 *
 * near-kink: layer by layer, each biased ReLU unit is picked with probability `kinkFraction`, with
 * one sample n, and its bias is set to b = −s + δ where s is the unit's pre-activation without bias
 * for sample n. With δ = 0 the sum s + (−s) is exactly 0 in floating point; otherwise δ = ±10^u,
 * u uniform in [−9, −3], and z = fl(s + b) lies within ε·|s| of δ.
 */
import type { Matrix } from '../engine/matrix.js';
import type { Network } from '../engine/network.js';
import type { DenseLayer } from '../engine/dense-layer.js';
import { gaussian, seededRandom, type Random } from '../engine/random-parameters.js';
import type { WeightRecipe } from './weights.js';

export function drawWeights(network: Network, inputs: Matrix, recipe: WeightRecipe, seed: number): Float64Array {
  const params = new Float64Array(network.parameterCount);
  const trace = network.createTrace(inputs.rows);
  const kinks = seededRandom(`${seed}:kinks`);
  for (const layer of network.layers) {
    // Layer l's pre-activations depend only on layers before it, all drawn by now.
    const saturate = (recipe.regime === 'saturating' || recipe.regime === 'near-optimum') && layer.activation.name === 'sigmoid';
    const rms = saturate && !layer.bias ? Math.sqrt(meanSquare(activationsBefore(network, layer, params, inputs, trace))) : 0;
    const std = (rms >= 1 ? recipe.saturation / rms : recipe.scale) / Math.sqrt(layer.inputs);
    const w = seededRandom(`${seed}:W${layer.index}`);
    for (let k = 0; k < layer.inputs * layer.outputs; k++) params[layer.weightOffset + k] = std * gaussian(w);
    if (!layer.bias) continue;
    const biasStd = saturate ? recipe.saturation : recipe.biasScale;
    const b = seededRandom(`${seed}:b${layer.index}`);
    for (let j = 0; j < layer.outputs; j++) params[layer.biasOffset + j] = biasStd * gaussian(b);
    if (recipe.regime === 'near-kink' && layer.activation.name === 'relu') placeKinks(network, layer, params, inputs, trace, recipe.kinkFraction, kinks);
  }
  return params;
}

function activationsBefore(network: Network, layer: DenseLayer, params: Float64Array, inputs: Matrix, trace: ReturnType<Network['createTrace']>): Float64Array {
  if (layer.index === 1) return inputs.data;
  network.forwardInto(params, inputs.data, trace);
  return trace.activations[layer.index - 1];
}

function meanSquare(v: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  return v.length > 0 ? s / v.length : 0;
}

function placeKinks(
  network: Network,
  layer: DenseLayer,
  params: Float64Array,
  inputs: Matrix,
  trace: ReturnType<Network['createTrace']>,
  fraction: number,
  random: Random,
): void {
  const saved = params.slice(layer.biasOffset, layer.biasOffset + layer.outputs);
  params.fill(0, layer.biasOffset, layer.biasOffset + layer.outputs);
  network.forwardInto(params, inputs.data, trace);
  const z = trace.preActivations[layer.index - 1];
  for (let j = 0; j < layer.outputs; j++) {
    // A fixed number of draws per unit keeps the stream aligned whatever is picked.
    const pick = random();
    const n = Math.min(inputs.rows - 1, Math.floor(random() * inputs.rows));
    const exact = random() < 1 / 3;
    const exponent = -9 + 6 * random();
    const sign = random() < 0.5 ? -1 : 1;
    const delta = exact ? 0 : sign * Math.pow(10, exponent);
    params[layer.biasOffset + j] = pick < fraction ? -z[n * layer.outputs + j] + delta : saved[j];
  }
}
