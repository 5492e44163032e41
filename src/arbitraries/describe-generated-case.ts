/**
 * One line naming a generated case: `[3 → relu 2 → identity 1], batch 1, MSE sum, seed 1234`, with the
 * weight regime and magnitudes added when they are not the ordinary ones. With the constraints of
 * the run, the line says everything `buildCase` needs to rebuild the case.
 */
import { describeNetwork } from '../engine/dense-layer.js';
import type { CaseRecipe } from './build-case.js';
import { describeHistory } from './case-history.js';

export function describeGeneratedCase(recipe: CaseRecipe): string {
  const { network, batch, weights, reduction, seed } = recipe;
  const parts = [describeNetwork(network), `batch ${batch.size}`, `MSE ${reduction}`];
  if (batch.magnitude !== 1) parts.push(`inputs ±${batch.magnitude}`);
  if (weights.regime !== 'ordinary') parts.push(`${weights.regime} weights`);
  if (weights.scale !== 1) parts.push(`weight scale ${weights.scale}`);
  if (recipe.repeatedRow && batch.size >= 2) parts.push('first row repeated last');
  parts.push(`seed ${seed}`);
  return parts.join(', ') + describeHistory(recipe.history);
}
