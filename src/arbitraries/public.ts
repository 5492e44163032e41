/**
 * gradcheck's fast-check arbitraries, published as the `arbitraries` namespace: compose them in your own
 * `fc.assert` properties, or pass their constraints to `runGradientProperty`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { arbitraries } from 'gradcheck';
 * fc.assert(fc.property(arbitraries.networkCase({ maxDepth: 2 }), (c) => c.network.parameterCount > 0));
 * ```
 */
export { architecture, type ArchitectureConstraints, type BiasChoice } from './architecture.js';
export { batch, type BatchConstraints, type BatchRecipe } from './batch.js';
export { networkCase, type CaseConstraints } from './network-case.js';
export type { GeneratedCase } from './build-case.js';
export { reduction, type ReductionConstraints } from './reduction.js';
export { weights, type WeightConstraints, type WeightRecipe, type WeightRegime } from './weights.js';
