/**
 * gradcheck's fast-check arbitraries, published together as `arbitraries` (a plain object rather than a
 * namespace re-export, whose bundled declarations mistake the constraint types for values).
 */
import { architecture } from './architecture.js';
import { batch } from './batch.js';
import { functionInputs } from './function-inputs.js';
import { networkCase } from './network-case.js';
import { reduction } from './reduction.js';
import { weights } from './weights.js';

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
export const arbitraries = {
  /** Architectures: depth, widths, an activation per layer, bias on or off (`ArchitectureConstraints`). */
  architecture,
  /** Batch recipes: size, input magnitude and target magnitude (`BatchConstraints`). */
  batch,
  /** Inputs of a differentiable function: shapes within its signature's ranges and values in four regimes (`FunctionInputConstraints`). */
  functionInputs,
  /** Whole network cases: architecture, weights, batch, reduction and the seed of their values (`CaseConstraints`). */
  networkCase,
  /** MSE reductions (`ReductionConstraints`). */
  reduction,
  /** Weight recipes: regime (ordinary, saturating, near a kink, near an optimum) and scales (`WeightConstraints`). */
  weights,
} as const;
