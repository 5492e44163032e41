/**
 * Random batches: a size and the magnitude of the input values. The values themselves are drawn by
 * `drawBatch` from a seeded generator, so a recipe prints small and replays exactly.
 */
import fc from 'fast-check';
import { integerField, orderedPair, positiveListField, positiveNumberField, rejectUnknownFields } from './constraint-checks.js';

/** Limits on generated batches: their size and the magnitudes of inputs and targets. */
export interface BatchConstraints {
  /** Smallest batch. @default 1 */
  readonly minBatch?: number;
  /** Largest batch. @default 4 */
  readonly maxBatch?: number;
  /** Input values are uniform in [−m, m], m drawn from this list; shrinking goes towards the first. @default [1, 0.01, 10] */
  readonly magnitudes?: readonly number[];
  /** Target values are uniform in [−t, t]. @default 1 */
  readonly targetMagnitude?: number;
}

/** Everything `drawBatch` needs besides the network and the seed. */
export interface BatchRecipe {
  readonly size: number;
  readonly magnitude: number;
  readonly targetMagnitude: number;
}

export const BATCH_FIELDS = ['minBatch', 'maxBatch', 'magnitudes', 'targetMagnitude'] as const;

/** Batches above this make full checks of dL/dx slow without finding more bugs. */
export const MAX_BATCH = 256;

/** The smallest and largest batch of `constraints`, validated (defaults 1 and 4); throws a `GradcheckError` naming the field. */
export function batchSizeRange(constraints: BatchConstraints = {}): { readonly minBatch: number; readonly maxBatch: number } {
  const where = 'batch';
  rejectUnknownFields(where, constraints, BATCH_FIELDS);
  const minBatch = integerField(where, 'minBatch', constraints.minBatch, 1, 1, MAX_BATCH);
  const maxBatch = integerField(where, 'maxBatch', constraints.maxBatch, Math.max(4, minBatch), 1, MAX_BATCH);
  orderedPair(where, 'minBatch', minBatch, 'maxBatch', maxBatch);
  return { minBatch, maxBatch };
}

/**
 * Batch recipes within `constraints` (size, input magnitude, target magnitude; defaults above).
 *
 * @example
 * ```ts
 * fc.sample(batch({ maxBatch: 2 }), 3);
 * ```
 */
export function batch(constraints: BatchConstraints = {}): fc.Arbitrary<BatchRecipe> {
  const where = 'batch';
  const { minBatch, maxBatch } = batchSizeRange(constraints);
  const magnitudes = positiveListField(where, 'magnitudes', constraints.magnitudes, [1, 0.01, 10]);
  const targetMagnitude = positiveNumberField(where, 'targetMagnitude', constraints.targetMagnitude, 1);
  return fc.record({
    size: fc.integer({ min: minBatch, max: maxBatch }),
    magnitude: fc.constantFrom(...magnitudes),
    targetMagnitude: fc.constant(targetMagnitude),
  });
}
