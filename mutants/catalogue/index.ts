/**
 * The catalogue: every mutant of the reference backprop, and the changes that are not bugs.
 */
import { activationDerivativeMutants } from './activation-derivative.js';
import { cacheMutants } from './caches.js';
import { doubleBugMutants } from './double-bugs.js';
import { lossGradientMutants } from './loss-gradient.js';
import type { Mutant } from './mutant.js';
import { parameterGradientMutants } from './parameter-gradients.js';
import { propagationMutants } from './propagation.js';
import { returnedValueMutants } from './returned-values.js';

export { notBugs } from './not-bugs.js';
export type { Mutant, NotABug, SmallestCase } from './mutant.js';

export const singleBugMutants: readonly Mutant[] = [
  ...lossGradientMutants,
  ...activationDerivativeMutants,
  ...propagationMutants,
  ...parameterGradientMutants,
  ...returnedValueMutants,
  ...cacheMutants,
];

export const mutants: readonly Mutant[] = [...singleBugMutants, ...doubleBugMutants];
