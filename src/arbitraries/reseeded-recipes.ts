/**
 * Smaller structures under other seeds: the last shrink step of a case recipe. Some bugs show only
 * for some values (a saturated unit, a float32 rounding above the tolerance, a pre-activation at a
 * kink); the smaller network drawn from the same seed may then have values that hide the bug, and
 * fast-check, which shrinks one field at a time, stops above the smallest network. Trying the few
 * next seeds with each smaller structure reaches it when the bug is common among values. These
 * candidates come after every ordinary shrink (they are tried only once nothing else fails), and each
 * has a strictly smaller structure (network or batch), so shrinking still ends. Before them come the
 * batch and the widths of its size shrunk together (`coupledBatchRecipes`).
 */
import type { CaseRecipe } from './build-case.js';
import { resizedDimensions, smallerArchitectures, type ArchitectureBounds } from './smaller-architectures.js';

/**
 * The batch shrunk together with every network dimension of the same size, under the recipe's seed
 * and then the `RESEEDS` next ones: the last shrink step's first candidates. The batch and the
 * architecture are separate fields, each shrunk alone, so a bug that needs a width equal to the batch
 * (a sum over the wrong axis, a broadcast that fits only when the two agree) stops where neither can
 * move by itself; the architecture's own square-layer reduction cannot reach the batch. At most
 * 3 targets × 4 seeds = 12 cases, each strictly smaller in batch and widths.
 */
export function* coupledBatchRecipes(recipe: CaseRecipe, bounds: ArchitectureBounds, minBatch: number, maxSeed: number): Generator<CaseRecipe> {
  const size = recipe.batch.size;
  const seeds = [recipe.seed, ...nextSeeds(recipe.seed, maxSeed)];
  for (const to of [...new Set([minBatch, minBatch + Math.floor((size - minBatch) / 2), size - 1])].filter((t) => t >= minBatch && t < size)) {
    const network = resizedDimensions(recipe.network, size, to, bounds);
    if (!network) continue;
    for (const seed of seeds) yield { ...recipe, network, batch: { ...recipe.batch, size: to }, seed };
  }
}

function nextSeeds(seed: number, maxSeed: number): number[] {
  return Array.from({ length: Math.min(RESEEDS, maxSeed) }, (_, k) => (seed + k + 1) % (maxSeed + 1));
}

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
  const seeds = nextSeeds(recipe.seed, maxSeed);
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
