/**
 * Smaller structures under other seeds: the last shrink step of a case recipe. Some bugs show only
 * for some values (a saturated unit, a float32 rounding above the tolerance, a pre-activation at a
 * kink); the smaller network drawn from the same seed may then have values that hide the bug, and
 * fast-check, which shrinks one field at a time, stops above the smallest network. Trying the few
 * next seeds with each smaller structure reaches it when the bug is common among values. These
 * candidates come after every ordinary shrink (they are tried only once nothing else fails), and each
 * has a strictly smaller structure (network or batch), so shrinking still ends.
 */
import type { CaseRecipe } from './build-case.js';
import { smallerArchitectures, type ArchitectureBounds } from './smaller-architectures.js';

/**
 * Structures tried under other seeds at a local minimum: the first (most reductive) smaller
 * architectures. With `RESEEDS` seeds each, at most 4·3 + 2·3 = 18 extra cases are checked before
 * shrinking stops (the batch adds at most 2 sizes).
 */
const ARCHITECTURES = 4;
/** Seeds tried per smaller structure: a bug present for half the values is missed with probability 2⁻³. */
const RESEEDS = 3;

/**
 * Recipes with a smaller network or batch than `recipe`, each under the `RESEEDS` seeds after its
 * own (wrapping within [0, maxSeed]), everything else unchanged.
 *
 * @example
 * ```ts
 * [...reseededSmallerRecipes(recipe, bounds, 1, 999999)].map((r) => r.seed); // [1, 2, 3, 1, 2, 3, …] for seed 0
 * ```
 */
export function* reseededSmallerRecipes(recipe: CaseRecipe, bounds: ArchitectureBounds, minBatch: number, maxSeed: number): Generator<CaseRecipe> {
  const seeds = Array.from({ length: Math.min(RESEEDS, maxSeed) }, (_, k) => (recipe.seed + k + 1) % (maxSeed + 1));
  let taken = 0;
  for (const network of smallerArchitectures(recipe.network, bounds)) {
    if (taken++ === ARCHITECTURES) break;
    for (const seed of seeds) yield { ...recipe, network, seed };
  }
  const size = recipe.batch.size;
  for (const smaller of [...new Set([minBatch, size - 1])].filter((s) => s >= minBatch && s < size)) {
    for (const seed of seeds) yield { ...recipe, batch: { ...recipe.batch, size: smaller }, seed };
  }
}
