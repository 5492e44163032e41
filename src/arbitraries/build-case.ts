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
}

/** A `NetworkCase` with the seed and recipe that generated it; prints as its description. */
export interface GeneratedCase extends NetworkCase {
  readonly seed: number;
  readonly recipe: CaseRecipe;
  /** `[3 → relu 2 → identity 1], batch 1, MSE sum, seed 1234`. */
  readonly description: string;
}

export function buildCase(recipe: CaseRecipe): GeneratedCase {
  const network = new Network(recipe.network);
  const { inputs, targets } = drawBatch(recipe.network, recipe.batch, recipe.seed);
  const params = drawWeights(network, inputs, recipe.weights, recipe.seed);
  if (recipe.weights.regime === 'near-optimum') placeTargetsNearPrediction(network, params, inputs, targets, recipe.seed);
  const description = describeGeneratedCase(recipe);
  const generated: GeneratedCase = { network, params, inputs, targets, reduction: recipe.reduction, seed: recipe.seed, recipe, description };
  // fast-check prints counterexamples with this method: one line instead of every array.
  Object.defineProperty(generated, fc.toStringMethod, { value: () => description, enumerable: false });
  return generated;
}
