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

function nextSeeds(seed: number, maxSeed: number, count = RESEEDS): number[] {
  return Array.from({ length: Math.min(count, maxSeed) }, (_, k) => (seed + k + 1) % (maxSeed + 1));
}

/**
 * Structures tried under other seeds at a local minimum: the first (most reductive) smaller
 * architectures. With `RESEEDS` seeds each, at most 4·3 + 2·3 = 18 extra cases are checked before
 * shrinking stops (the batch adds at most 2 sizes); a run's `ReseedBudgets` may give each more.
 */
const ARCHITECTURES = 4;
/** Seeds tried per smaller structure: a bug present for half the values is missed with probability 2⁻³. */
const RESEEDS = 3;
/** The miss probability RESEEDS sets (2⁻³), as the −ln of it that a rarer bug's seed count is scaled by. */
const MISS_LOG = Math.log(2 ** RESEEDS);

/** Entries a case of this structure has checked: its parameters and its inputs (one per sample and feature). */
export function entriesOf(recipe: Pick<CaseRecipe, 'network' | 'batch'>): number {
  let parameters = 0;
  let inputs = recipe.network.inputs;
  for (const layer of recipe.network.layers) {
    parameters += inputs * layer.outputs + (layer.bias === false ? 0 : layer.outputs);
    inputs = layer.outputs;
  }
  return parameters + recipe.batch.size * recipe.network.inputs;
}

/**
 * How many seeds each smaller structure gets, from how rare the failure was in the run's search. A bug
 * that only some values show (float32 rounding beyond the float64 allowance where a sum cancels, a
 * saturated unit) is modelled as each checked entry showing it with the same small probability q. The
 * search's first failure came at run r (0-based) on a case of e₀ entries: about (r + 1)·e₀ entries
 * checked (e₀ stands for the searched cases' size, a failing case being on the large side, which errs
 * towards more seeds), so q ≈ 1 / ((r + 1)·e₀), the rate of a geometric wait. A structure of e entries
 * then shows the bug on a seed with probability ≈ e·q, and s seeds miss it with probability
 * ≈ exp(−s·e·q); s = ln 8 · (r + 1)·e₀ / e keeps that at the 2⁻³ of `RESEEDS`, which stays the least.
 * Each structure then costs about ln 8 ≈ 2 times the search's entries at most. Keyed by recipe object:
 * the root gets its budget where the run generates it, and every shrink of it inherits it, so a printed
 * path (which fast-check walks from the generated root) meets the same candidates again.
 */
export class ReseedBudgets {
  private readonly entries = new WeakMap<CaseRecipe, number>();

  /** The case generated for run `runId` (0-based): the root of any shrinking. */
  generated(recipe: CaseRecipe, runId: number): void {
    this.entries.set(recipe, (runId + 1) * entriesOf(recipe));
  }

  /** A shrink candidate of `parent`: the same budget. */
  inherit(child: CaseRecipe, parent: CaseRecipe): void {
    const e = this.entries.get(parent);
    if (e !== undefined) this.entries.set(child, e);
  }

  /** Seeds for a smaller structure of `candidate` entries while shrinking `recipe`. */
  seeds(recipe: CaseRecipe, candidate: number): number {
    const searched = this.entries.get(recipe);
    return searched === undefined ? RESEEDS : reseedCount(searched, candidate);
  }
}

/** ⌈ln 8 · searched / candidate⌉ seeds, at least `RESEEDS` (see `ReseedBudgets`). */
export function reseedCount(searchedEntries: number, candidateEntries: number): number {
  return Math.max(RESEEDS, Math.ceil((MISS_LOG * searchedEntries) / candidateEntries));
}

/**
 * Recipes with a smaller network or batch than `recipe`, each under the seeds after its own
 * (`seedsFor` its entries, `RESEEDS` by default; wrapping within [0, maxSeed]), everything else unchanged.
 *
 * @example
 * ```ts
 * [...reseededSmallerRecipes(recipe, bounds, 1, 999999)].map((r) => r.seed); // [1, 2, 3, 1, 2, 3, …] for seed 0
 * ```
 */
export function* reseededSmallerRecipes(recipe: CaseRecipe, bounds: ArchitectureBounds, minBatch: number, maxSeed: number, seedsFor: (entries: number) => number = () => RESEEDS): Generator<CaseRecipe> {
  const seeds = (structure: Pick<CaseRecipe, 'network' | 'batch'>) => nextSeeds(recipe.seed, maxSeed, seedsFor(entriesOf(structure)));
  let taken = 0;
  for (const network of smallerArchitectures(recipe.network, bounds)) {
    if (taken++ === ARCHITECTURES) break;
    for (const seed of seeds({ network, batch: recipe.batch })) yield { ...recipe, network, seed };
  }
  const size = recipe.batch.size;
  for (const smaller of [...new Set([minBatch, size - 1])].filter((s) => s >= minBatch && s < size)) {
    const batch = { ...recipe.batch, size: smaller };
    for (const seed of seeds({ network: recipe.network, batch })) yield { ...recipe, batch, seed };
  }
}
