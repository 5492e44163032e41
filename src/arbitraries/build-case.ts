/**
 * Builds a network case from its recipe: structure from the recipe, values from its seed. Pure and
 * deterministic, so a printed recipe rebuilds the same case bit for bit.
 */
import fc from 'fast-check';
import type { NetworkSpec } from '../engine/dense-layer.js';
import type { Reduction } from '../engine/loss.js';
import { Network } from '../engine/network.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import type { BatchRecipe } from './batch.js';
import { describeGeneratedCase } from './describe-generated-case.js';
import { drawBatch } from './draw-batch.js';
import { drawWeights } from './draw-weights.js';
import type { WeightRecipe } from './weights.js';
import type { Matrix } from '../engine/matrix.js';
import { gaussian, seededRandom } from '../engine/random-parameters.js';
import type { CaseHistory } from './case-history.js';

/** Residual scales of the near-optimum regime: from a nearly fitted network down to 1e-8 of its outputs. */
const NEAR_OPTIMUM_RESIDUALS = [1e-2, 1e-4, 1e-6, 1e-8];

/** y = ŷ + r·N(0, 1)·max(1, |ŷ|), r drawn from NEAR_OPTIMUM_RESIDUALS: targets next to the prediction. */
function placeTargetsNearPrediction(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, seed: number): void {
  const prediction = network.prediction(network.forward(params, inputs));
  const random = seededRandom(`${seed}:near-optimum`);
  const residual = NEAR_OPTIMUM_RESIDUALS[Math.floor(random() * NEAR_OPTIMUM_RESIDUALS.length)];
  for (let k = 0; k < targets.data.length; k++) targets.data[k] = prediction[k] + residual * gaussian(random) * Math.max(1, Math.abs(prediction[k]));
}

/** What a generated case is made from: its architecture, batch and weight recipes, reduction and value seed. */
export interface CaseRecipe {
  readonly network: NetworkSpec;
  readonly batch: BatchRecipe;
  readonly weights: WeightRecipe;
  readonly reduction: Reduction;
  /** Seeds every parameter and data value of the case. */
  readonly seed: number;
  /** What the implementation is asked just before the case (case-history.ts). @default 'none' */
  readonly history?: CaseHistory;
  /** The first sample repeated as the last (batches of two rows or more). @default false */
  readonly repeatedRow?: boolean;
}

/** A `NetworkCase` with the seed and recipe that generated it; prints as its description. */
export interface GeneratedCase extends NetworkCase {
  readonly seed: number;
  readonly recipe: CaseRecipe;
  /** `[3 → relu 2 → identity 1], batch 1, MSE sum, seed 1234`. */
  readonly description: string;
  /** The companion case checked just before this one on the same instance (`recipe.history`). */
  readonly before?: GeneratedCase;
}

export function buildCase(recipe: CaseRecipe): GeneratedCase {
  const network = new Network(recipe.network);
  const { inputs, targets } = batchOf(recipe, recipe.seed);
  const params = drawWeights(network, inputs, recipe.weights, recipe.seed);
  if (recipe.weights.regime === 'near-optimum') placeTargetsNearPrediction(network, params, inputs, targets, recipe.seed);
  const main: NetworkCase = { network, params, inputs, targets, reduction: recipe.reduction };
  const before = companion(recipe, main);
  return describedCase(main, recipe, describeGeneratedCase(recipe), before);
}

/** The seed of a companion's other part: negative, so never the seed of a generated case. */
function companionSeed(seed: number): number {
  return -1 - seed;
}

function batchOf(recipe: CaseRecipe, seed: number): { inputs: Matrix; targets: Matrix } {
  const batch = drawBatch(recipe.network, recipe.batch, seed);
  if (recipe.repeatedRow && batch.inputs.rows >= 2) {
    copyFirstRowToLast(batch.inputs);
    copyFirstRowToLast(batch.targets);
  }
  return batch;
}

function copyFirstRowToLast(m: Matrix): void {
  m.data.copyWithin((m.rows - 1) * m.cols, 0, m.cols);
}

/** The case `recipe.history` asks for before `main`: it shares the inputs, the weights, or everything. */
function companion(recipe: CaseRecipe, main: NetworkCase): GeneratedCase | undefined {
  const history = recipe.history ?? 'none';
  if (history === 'none') return undefined;
  const own: { -readonly [K in keyof NetworkCase]: NetworkCase[K] } = { ...main, inputs: copyMatrix(main.inputs), targets: copyMatrix(main.targets), params: main.params.slice() };
  if (history === 'same-inputs') own.params = drawWeights(main.network, own.inputs, recipe.weights, companionSeed(recipe.seed));
  if (history === 'same-weights') Object.assign(own, batchOf(recipe, companionSeed(recipe.seed)));
  const label = history === 'repeated' ? 'the same case' : history === 'same-inputs' ? 'its inputs with other weights' : 'its weights with other inputs';
  return describedCase(own, { ...recipe, history: 'none' }, `${label}, checked before ${describeGeneratedCase(recipe)}`);
}

function copyMatrix(m: Matrix): Matrix {
  return { ...m, data: m.data.slice() };
}

function describedCase(c: NetworkCase, recipe: CaseRecipe, description: string, before?: GeneratedCase): GeneratedCase {
  const generated: GeneratedCase = { ...c, seed: recipe.seed, recipe, description, ...(before && { before }) };
  // fast-check prints counterexamples with this method: one line instead of every array.
  Object.defineProperty(generated, fc.toStringMethod, { value: () => description, enumerable: false });
  return generated;
}
