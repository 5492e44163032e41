/**
 * The loss reduction of a case (MSE mean, sum or half-sum).
 */
import fc from 'fast-check';
import { reductions, type Reduction } from '../engine/loss.js';
import { choiceListField, rejectUnknownFields } from './constraint-checks.js';

/** Which MSE reductions a generated case may use. */
export interface ReductionConstraints {
  /** Reductions to draw from; shrinking goes towards the first (sum: no scale factor to reason about). @default ['sum', 'mean', 'half-sum'] */
  readonly reductions?: readonly Reduction[];
}

export const REDUCTION_FIELDS = ['reductions'] as const;

export function reduction(constraints: ReductionConstraints = {}): fc.Arbitrary<Reduction> {
  rejectUnknownFields('reduction', constraints, REDUCTION_FIELDS);
  return fc.constantFrom(...choiceListField('reduction', 'reductions', constraints.reductions, ['sum', 'mean', 'half-sum'], reductions));
}
