/**
 * Checks claimed gradients of any black-box loss of a flat vector.
 */
import { parameterTensor, type ParameterTensor } from '../../engine/layout.js';
import { checkGradients } from './check-gradients.js';
import { rejectUnknownOptions } from '../../errors.js';
import { CHECK_OPTION_KEYS, type CheckOptions } from './check-options.js';
import { blackBoxObjective } from '../objective/objective.js';
import type { GradientReport } from '../report/report.js';

/** A scalar loss of a flat vector, the point to check at, and the gradient claimed there. */
export interface LossProblem {
  /** L(θ); must not modify θ. */
  readonly loss: (theta: Float64Array) => number;
  /** θ, where the gradient is checked. */
  readonly point: Float64Array;
  /** The claimed dL/dθ at `point`, one entry per entry of θ. */
  readonly claimed: Float64Array;
  /** Names and shapes tiling θ. Default: one tensor `θ` of shape 1 × n. */
  readonly tensors?: readonly ParameterTensor[];
}

/**
 * Checks a claimed gradient of any scalar function of a flat vector: the loss is a black box, so its
 * noise is measured (ECnoise) rather than modelled, and kinks are found by one-sided differences.
 *
 * @param problem - the loss, the point and the claimed gradient (and optionally tensor names and shapes).
 * @param options - `CheckOptions`; misspelt fields are rejected.
 * @returns a `GradientReport`.
 * @example
 * ```ts
 * const report = checkLoss({ loss: (t) => t[0] ** 2 + 3 * t[1], point: Float64Array.of(1, 2), claimed: Float64Array.of(2, 3) });
 * ```
 */
export function checkLoss(problem: LossProblem, options: CheckOptions = {}): GradientReport {
  rejectUnknownOptions('checkLoss', options, CHECK_OPTION_KEYS);
  const tensors = problem.tensors ?? [parameterTensor('θ', 1, problem.point.length)];
  return checkGradients({ objective: blackBoxObjective(problem.loss, problem.point), claimed: problem.claimed, tensors }, options, 'checkLoss');
}
