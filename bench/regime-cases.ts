/**
 * The cases of `npm run bench:regimes` (bench/regimes.ts), built from their own seeded construction (a
 * mulberry32 stream, not fast-check), so that a test can replay a case the benchmark found.
 */
import type { ActivationName } from '../src/engine/activation.js';
import type { Reduction } from '../src/engine/loss.js';
import { createMatrix, type Matrix } from '../src/engine/matrix.js';
import { Network } from '../src/engine/network.js';
import type { NetworkCase } from '../src/check/objective/network-objective.js';

export function stream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Box–Muller. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const integer = (random: () => number, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

function matrix(rows: number, cols: number, draw: () => number): Matrix {
  return createMatrix(rows, cols, Float64Array.from({ length: rows * cols }, draw));
}

function spec(inputs: number, hidden: readonly number[], activation: ActivationName, outputs: number): Network {
  return new Network({ inputs, layers: [...hidden.map((outputs) => ({ outputs, activation })), { outputs, activation: 'identity' as const }] });
}

/** Glorot-scaled normal weights (σ = 1/√fan-in), biases N(0, 0.1²). */
function initialParameters(network: Network, random: () => number): Float64Array {
  const params = new Float64Array(network.parameterCount);
  for (const layer of network.layers) {
    for (let k = 0; k < layer.inputs * layer.outputs; k++) params[layer.weightOffset + k] = normal(random) / Math.sqrt(layer.inputs);
    if (layer.bias) for (let k = 0; k < layer.outputs; k++) params[layer.biasOffset + k] = 0.1 * normal(random);
  }
  return params;
}

/**
 * Plain gradient descent on the engine's gradients: θ ← θ − η·∇L, η halved (and the step undone)
 * whenever the loss rises; stops at L ≤ 1e-30, after 400 steps with no new minimum, or at 10,000 steps.
 */
function train(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction): { params: Float64Array; loss: number; steps: number } {
  let eta = 0.1;
  let best = network.loss(params, inputs, targets, reduction);
  let since = 0;
  let steps = 0;
  let current = params.slice();
  while (best > 1e-30 && since < 400 && steps < 10_000) {
    const g = network.gradients(current, inputs, targets, reduction);
    const next = current.map((x, i) => x - eta * g.parameters[i]);
    const loss = network.loss(next, inputs, targets, reduction);
    steps++;
    if (!(loss <= g.loss)) {
      eta /= 2;
      since++;
      if (eta < 1e-12) break;
      continue;
    }
    current = next;
    if (loss < best) {
      best = loss;
      since = 0;
    } else since++;
  }
  return { params: current, loss: best, steps };
}

export interface Built {
  readonly c: NetworkCase;
  readonly label: string;
}

export function trainedCase(activation: ActivationName, depth: number, seed: number): Built {
  const random = stream(seed);
  const network = spec(2, depth === 1 ? [16] : [12, 12], activation, 1);
  const n = 6;
  const inputs = matrix(n, 2, () => 2 * random() - 1);
  const targets = matrix(n, 1, () => normal(random));
  const reduction: Reduction = 'mean';
  const trained = train(network, initialParameters(network, random), inputs, targets, reduction);
  return { c: { network, params: trained.params, inputs, targets, reduction }, label: `trained loss ${trained.loss.toExponential(1)} after ${trained.steps} steps` };
}

export function integerCase(seed: number): Built {
  const random = stream(seed);
  const depth = integer(random, 1, 2);
  const hidden = Array.from({ length: depth }, () => integer(random, 1, 4));
  const network = spec(integer(random, 1, 3), hidden, 'relu', integer(random, 1, 2));
  const draw = (): number => integer(random, -3, 3);
  const params = Float64Array.from({ length: network.parameterCount }, draw);
  const batch = integer(random, 1, 3);
  const inputs = matrix(batch, network.inputCount, draw);
  const targets = matrix(batch, network.outputCount, draw);
  return { c: { network, params, inputs, targets, reduction: random() < 0.5 ? 'sum' : 'mean' }, label: 'integers' };
}

export function unnormalisedCase(s: number, seed: number): Built {
  const random = stream(seed);
  const network = spec(3, random() < 0.5 ? [4] : [4, 3], 'sigmoid', 1);
  const params = initialParameters(network, random);
  const first = network.layers[0];
  for (let k = 0; k < first.inputs * first.outputs; k++) params[first.weightOffset + k] = normal(random) / s;
  const batch = integer(random, 1, 4);
  const inputs = matrix(batch, 3, () => s * normal(random));
  const targets = matrix(batch, 1, () => normal(random));
  return { c: { network, params, inputs, targets, reduction: 'mean' }, label: `s = ${s}` };
}

export function zeroLossCase(seed: number): Built {
  const random = stream(seed);
  const activation: ActivationName = random() < 0.5 ? 'relu' : 'sigmoid';
  const network = spec(3, random() < 0.5 ? [5] : [5, 4], activation, 2);
  const params = initialParameters(network, random);
  const batch = integer(random, 1, 4);
  const inputs = matrix(batch, 3, () => normal(random));
  const prediction = network.prediction(network.forward(params, inputs));
  const targets = createMatrix(batch, 2, prediction.slice());
  return { c: { network, params, inputs, targets, reduction: random() < 0.5 ? 'sum' : 'mean' }, label: 'loss 0' };
}

