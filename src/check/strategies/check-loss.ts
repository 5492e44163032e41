/**
 * Checks claimed gradients of any black-box loss of a flat vector.
 */
import { parameterTensor, type ParameterTensor } from '../../engine/layout.js';
import { checkGradients } from './check-gradients.js';
import { rejectUnknownOptions } from '../../errors.js';
import { CHECK_OPTION_KEYS, type CheckOptions } from './check-options.js';
import { blackBoxObjective } from '../objective/objective.js';
import type { GradientReport } from '../report/report.js';

export interface LossProblem {
  /** L(θ); must not modify θ. */
  readonly loss: (theta: Float64Array) => number;
  readonly point: Float64Array;
  readonly claimed: Float64Array;
  /** Names and shapes tiling θ. Default: one tensor `θ` of shape 1 × n. */
  readonly tensors?: readonly ParameterTensor[];
}

export function checkLoss(problem: LossProblem, options: CheckOptions = {}): GradientReport {
  rejectUnknownOptions('checkLoss', options, CHECK_OPTION_KEYS);
  const tensors = problem.tensors ?? [parameterTensor('θ', 1, problem.point.length)];
  return checkGradients({ objective: blackBoxObjective(problem.loss, problem.point), claimed: problem.claimed, tensors }, options, 'checkLoss');
}
