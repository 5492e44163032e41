/**
 * Random whole cases: architecture, batch, weight regime, reduction and a seed for every value.
 * The structure is generated first (depth, widths, batch size), the seed last, so fast-check shrinks
 * the network and the batch before anything else; values are drawn from the seed by `buildCase`.
 * Once nothing else shrinks, the batch is shrunk with the widths of its size (`coupledBatchRecipes`),
 * for bugs that need the two equal, and smaller structures are tried under the next few seeds
 * (`reseededSmallerRecipes`), for bugs that only some values show.
 */
import fc from 'fast-check';
import { architecture, architectureBounds, ARCHITECTURE_FIELDS, type ArchitectureConstraints } from './architecture.js';
import { batch, BATCH_FIELDS, batchSizeRange, type BatchConstraints } from './batch.js';
import { buildCase, type CaseRecipe, type GeneratedCase } from './build-case.js';
import { caseHistory, repeatedRow } from './case-history.js';
import { integerField, pickFields, rejectUnknownFields } from './constraint-checks.js';
import { reduction, REDUCTION_FIELDS, type ReductionConstraints } from './reduction.js';
import { coupledBatchRecipes, reseededSmallerRecipes, type ReseedBudgets } from './reseeded-recipes.js';
import { weights, WEIGHT_FIELDS, type WeightConstraints } from './weights.js';

/** Limits on generated network cases: every architecture, batch, weight and reduction constraint, and the largest value seed. */
export interface CaseConstraints extends ArchitectureConstraints, BatchConstraints, WeightConstraints, ReductionConstraints {
  /** Largest value seed (seeds are in [0, maxSeed]; small seeds print small). @default 999999 */
  readonly maxSeed?: number;
}

export const CASE_FIELDS = [...ARCHITECTURE_FIELDS, ...BATCH_FIELDS, ...WEIGHT_FIELDS, ...REDUCTION_FIELDS, 'maxSeed'] as const;

/**
 * Whole network cases within `constraints` (every field optional; defaults in docs/properties.md).
 * `budgets`: a property run's seeds per smaller structure when shrinking (reseeded-recipes.ts); without
 * it, `RESEEDS` each.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(networkCase({ maxDepth: 2 }), (c) => c.network.parameterCount > 0));
 * ```
 */
export function networkCase(constraints: CaseConstraints = {}, budgets?: ReseedBudgets): fc.Arbitrary<GeneratedCase> {
  rejectUnknownFields('networkCase', constraints, CASE_FIELDS);
  const maxSeed = integerField('networkCase', 'maxSeed', constraints.maxSeed, 999_999, 0, 2 ** 31 - 1);
  const architectureConstraints = pickFields<ArchitectureConstraints>(constraints, ARCHITECTURE_FIELDS);
  const batchConstraints = pickFields<BatchConstraints>(constraints, BATCH_FIELDS);
  const recipes = fc.record({
    network: architecture(architectureConstraints),
    batch: batch(batchConstraints),
    weights: weights(pickFields(constraints, WEIGHT_FIELDS)),
    reduction: reduction(pickFields(constraints, REDUCTION_FIELDS)),
    seed: fc.integer({ min: 0, max: maxSeed }),
    // Drawn last, so the fields above are what they were for a given seed and path before these existed.
    history: caseHistory(),
    repeatedRow: repeatedRow(),
  });
  const bounds = architectureBounds(architectureConstraints);
  const { minBatch } = batchSizeRange(batchConstraints);
  const more = function* (r: CaseRecipe): Generator<CaseRecipe> {
    yield* coupledBatchRecipes(r, bounds, minBatch, maxSeed);
    yield* reseededSmallerRecipes(r, bounds, minBatch, maxSeed, budgets && ((entries) => budgets.seeds(r, entries)));
  };
  return new ReseedingArbitrary(recipes, more, budgets).map(buildCase);
}

/** `recipes`, whose shrinks end with `more(recipe)`: candidates fast-check tries once no ordinary shrink fails. */
class ReseedingArbitrary extends fc.Arbitrary<CaseRecipe> {
  constructor(
    private readonly recipes: fc.Arbitrary<CaseRecipe>,
    private readonly more: (recipe: CaseRecipe) => IterableIterator<CaseRecipe>,
    private readonly budgets: ReseedBudgets | undefined,
  ) {
    super();
  }

  generate(random: fc.Random, biasFactor: number | undefined): fc.Value<CaseRecipe> {
    return this.recipes.generate(random, biasFactor);
  }

  canShrinkWithoutContext(value: unknown): value is CaseRecipe {
    return this.recipes.canShrinkWithoutContext(value);
  }

  shrink(value: CaseRecipe, context: unknown): fc.Stream<fc.Value<CaseRecipe>> {
    // A generator computes nothing until read: the extra candidates cost nothing unless reached.
    const inherit = (child: CaseRecipe): CaseRecipe => {
      this.budgets?.inherit(child, value);
      return child;
    };
    return this.recipes
      .shrink(value, context)
      .map((v) => (inherit(v.value_), v))
      .join(new fc.Stream(this.more(value)).map((r) => new fc.Value(inherit(r), undefined)));
  }
}
