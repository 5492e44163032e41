/**
 * gradcheck's fast-check arbitraries, published together as `arbitraries` (a plain object rather than a
 * namespace re-export, whose bundled declarations mistake the constraint types for values).
 */
import type fc from 'fast-check';
import type { NetworkSpec } from '../engine/dense-layer.js';
import type { Reduction } from '../engine/loss.js';
import { architecture, type ArchitectureConstraints } from './architecture.js';
import { batch, type BatchConstraints, type BatchRecipe } from './batch.js';
import type { GeneratedCase } from './build-case.js';
import { functionInputs, type FunctionInputCase, type FunctionInputConstraints, type FunctionSignature } from './function-inputs.js';
import { networkCase, type CaseConstraints } from './network-case.js';
import { reduction, type ReductionConstraints } from './reduction.js';
import { weights, type WeightConstraints, type WeightRecipe } from './weights.js';

/**
 * The type of `arbitraries`: each member takes its constraints (every field optional, with documented
 * defaults; an impossible one is an error naming the generator and the field) and returns a
 * fast-check arbitrary that shrinks towards the smallest case. Written out, so the published
 * declarations name only exported types.
 */
export interface Arbitraries {
  /** Architectures: depth, widths, an activation per layer, bias on or off (`ArchitectureConstraints`). */
  readonly architecture: (constraints?: ArchitectureConstraints) => fc.Arbitrary<NetworkSpec>;
  /** Batch recipes: size, input magnitude and target magnitude (`BatchConstraints`). */
  readonly batch: (constraints?: BatchConstraints) => fc.Arbitrary<BatchRecipe>;
  /** Inputs of a differentiable function: shapes within its signature's ranges and values in four regimes (`FunctionInputConstraints`). */
  readonly functionInputs: (signature: FunctionSignature, constraints?: FunctionInputConstraints) => fc.Arbitrary<FunctionInputCase>;
  /** Whole network cases: architecture, weights, batch, reduction and the seed of their values (`CaseConstraints`). */
  readonly networkCase: (constraints?: CaseConstraints) => fc.Arbitrary<GeneratedCase>;
  /** MSE reductions (`ReductionConstraints`). */
  readonly reduction: (constraints?: ReductionConstraints) => fc.Arbitrary<Reduction>;
  /** Weight recipes: regime (ordinary, saturating, near a kink, near an optimum) and scales (`WeightConstraints`). */
  readonly weights: (constraints?: WeightConstraints) => fc.Arbitrary<WeightRecipe>;
}

/**
 * The fast-check arbitraries behind `runGradientProperty`, for your own properties: each takes its
 * constraints (every field optional, with documented defaults) and shrinks towards the smallest case.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { arbitraries } from 'gradcheck';
 * fc.assert(fc.property(arbitraries.networkCase({ maxDepth: 2 }), (c) => c.network.parameterCount > 0));
 * ```
 */
export const arbitraries: Arbitraries = {
  architecture,
  batch,
  functionInputs,
  networkCase,
  reduction,
  weights,
};
