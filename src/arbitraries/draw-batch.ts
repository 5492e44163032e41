/**
 * Draws a batch's inputs and targets from a seed. Each matrix has its own stream and is filled row
 * by row, so shrinking the batch size keeps the first rows unchanged.
 */
import type { NetworkSpec } from '../engine/dense-layer.js';
import { createMatrix, type Matrix } from '../engine/matrix.js';
import { seededRandom } from '../engine/random-parameters.js';
import type { BatchRecipe } from './batch.js';

export function drawBatch(network: NetworkSpec, recipe: BatchRecipe, seed: number): { inputs: Matrix; targets: Matrix } {
  const outputs = network.layers[network.layers.length - 1].outputs;
  return {
    inputs: uniformMatrix(recipe.size, network.inputs, recipe.magnitude, `${seed}:x`),
    targets: uniformMatrix(recipe.size, outputs, recipe.targetMagnitude, `${seed}:y`),
  };
}

function uniformMatrix(rows: number, cols: number, magnitude: number, stream: string): Matrix {
  const random = seededRandom(stream);
  const m = createMatrix(rows, cols);
  for (let k = 0; k < m.data.length; k++) m.data[k] = magnitude * (2 * random() - 1);
  return m;
}
