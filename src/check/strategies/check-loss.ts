/**
 * Checks claimed gradients of any black-box loss of a flat vector.
 */
import { parameterTensor, type ParameterTensor } from '../../engine/layout.js';
import { checkGradients } from './check-gradients.js';
import { GradcheckError, rejectUnknownOptions } from '../../errors.js';
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
  validateLossProblem(problem);
  const tensors = problem.tensors ?? [parameterTensor('θ', 1, problem.point.length)];
  return checkGradients({ objective: blackBoxObjective(problem.loss, problem.point), claimed: problem.claimed, tensors }, options, 'checkLoss');
}

/** The problem's fields of the wrong kind, named before the estimator meets them. */
function validateLossProblem(problem: LossProblem): void {
  if (problem === null || typeof problem !== 'object') {
    throw new GradcheckError('checkLoss', `the problem is ${String(problem)}; expected { loss, point, claimed, tensors? }`);
  }
  if (typeof problem.loss !== 'function') {
    throw new GradcheckError('checkLoss', `loss is ${typeof problem.loss}; expected a function (θ: Float64Array) => number`);
  }
  for (const field of ['point', 'claimed'] as const) {
    const value: unknown = problem[field];
    if (!(value instanceof Float64Array)) {
      const what = Array.isArray(value) ? 'a plain array' : value === null ? 'null' : typeof value;
      throw new GradcheckError('checkLoss', `${field} is ${what}; expected a Float64Array (Float64Array.from(values))`);
    }
  }
}
