/**
 * Random whole cases: architecture, batch, weight regime, reduction and a seed for every value.
 * The structure is generated first (depth, widths, batch size), the seed last, so fast-check shrinks
 * the network and the batch before anything else; values are drawn from the seed by `buildCase`.
 */
import fc from 'fast-check';
import { architecture, ARCHITECTURE_FIELDS, type ArchitectureConstraints } from './architecture.js';
import { batch, BATCH_FIELDS, type BatchConstraints } from './batch.js';
import { buildCase, type GeneratedCase } from './build-case.js';
import { integerField, pickFields, rejectUnknownFields } from './constraint-checks.js';
import { reduction, REDUCTION_FIELDS, type ReductionConstraints } from './reduction.js';
import { weights, WEIGHT_FIELDS, type WeightConstraints } from './weights.js';

export interface CaseConstraints extends ArchitectureConstraints, BatchConstraints, WeightConstraints, ReductionConstraints {
  /** Largest value seed (seeds are in [0, maxSeed]; small seeds print small). @default 999999 */
  readonly maxSeed?: number;
}

export const CASE_FIELDS = [...ARCHITECTURE_FIELDS, ...BATCH_FIELDS, ...WEIGHT_FIELDS, ...REDUCTION_FIELDS, 'maxSeed'] as const;

export function networkCase(constraints: CaseConstraints = {}): fc.Arbitrary<GeneratedCase> {
  rejectUnknownFields('networkCase', constraints, CASE_FIELDS);
  const maxSeed = integerField('networkCase', 'maxSeed', constraints.maxSeed, 999_999, 0, 2 ** 31 - 1);
  return fc
    .record({
      network: architecture(pickFields(constraints, ARCHITECTURE_FIELDS)),
      batch: batch(pickFields(constraints, BATCH_FIELDS)),
      weights: weights(pickFields(constraints, WEIGHT_FIELDS)),
      reduction: reduction(pickFields(constraints, REDUCTION_FIELDS)),
      seed: fc.integer({ min: 0, max: maxSeed }),
    })
    .map(buildCase);
}
