/**
 * Checks along a direction v through θ: the numeric directional derivative against the claimed
 * projection g·v. Used by `directions` mode (random unit directions) and by fast mode (random-sign
 * group probes), with one tolerance rule for both.
 */
import { GradcheckError } from '../../errors.js';
import { tensorSize, type ParameterTensor } from '../../engine/layout.js';
import { gaussian } from '../../engine/random-parameters.js';
import { compareEntry } from '../report/compare-entry.js';
import { estimateInto, type EstimateWorkspace, type EstimatorSettings } from '../numerics/estimator.js';
import type { Objective } from '../objective/objective.js';
import { ObjectiveLine } from './objective-line.js';
import type { EntryCheck } from '../report/report.js';
import type { Tolerances } from '../numerics/judge.js';

/** L(θ + t·v) for a direction buffer that the caller fills before each probe. */
export class DirectionLine extends ObjectiveLine {
  /** Number of the direction within its tensor, for messages and reports. */
  number = 0;
  tensorName = '';

  constructor(
    objective: Objective,
    readonly direction: Float64Array,
  ) {
    super(objective);
  }

  at(t: number): number {
    const value = this.objective.along(this.direction, t);
    if (!Number.isFinite(value)) throw nonFiniteLoss(`along direction ${this.number} of ${this.tensorName}`, value);
    return value;
  }
}

/** The checker's message for a loss that overflowed or became NaN at a stencil point. */
export function nonFiniteLoss(where: string, value: number): GradcheckError {
  return new GradcheckError('checkGradients', `the loss ${where} is ${value}; expected a finite number (overflow, or NaN in the implementation)`);
}

export interface ProjectionSettings {
  readonly estimator: EstimatorSettings;
  readonly tolerances: Tolerances;
}

/**
 * Probes `line.direction` (already filled) and compares with `projection` = Σ claimedᵢ·vᵢ, by the judge.
 * `magnitude` = Σ |claimedᵢ·vᵢ|: each entry may be off by rtol of itself, so the relative allowance
 * applies to it rather than to |g·v| (which cancellation can make small); passed to the judge as part
 * of the claimed side's allowance, with `extraAllowance` (the entries' claimed rounding, and atol for
 * every further entry the probe moves).
 */
export function probeDirection(
  line: DirectionLine,
  w: EstimateWorkspace,
  f0: number,
  scale: number,
  projection: number,
  magnitude: number,
  tensor: ParameterTensor,
  s: ProjectionSettings,
  extraAllowance = 0,
): EntryCheck {
  line.tensorName = tensor.name;
  estimateInto(w, line, f0, scale, s.estimator);
  const place = { tensor: tensor.name, layer: tensor.layer, kind: tensor.kind, index: -1, row: -1, col: -1, direction: line.number };
  const widened = s.tolerances.rtol * Math.max(0, magnitude - Math.max(Math.abs(projection), Math.abs(w.value))) + extraAllowance;
  return compareEntry(place, projection, w, s.tolerances, widened);
}

/**
 * Fills `direction` over `tensor` with a seeded Gaussian unit vector (zero elsewhere is the caller's
 * business) and returns the claimed projection Σ gᵢvᵢ and Σ |gᵢvᵢ|.
 */
export function randomUnitDirection(direction: Float64Array, tensor: ParameterTensor, claimed: Float64Array, random: () => number): { projection: number; magnitude: number } {
  const size = tensorSize(tensor);
  let norm = 0;
  for (let k = 0; k < size; k++) {
    const g = gaussian(random);
    direction[tensor.offset + k] = g;
    norm += g * g;
  }
  norm = Math.sqrt(norm);
  let projection = 0;
  let magnitude = 0;
  for (let k = 0; k < size; k++) {
    const v = (direction[tensor.offset + k] /= norm);
    projection += claimed[tensor.offset + k] * v;
    magnitude += Math.abs(claimed[tensor.offset + k] * v);
  }
  return { projection, magnitude };
}

/** Σ Rᵢ·|vᵢ| over the tensor: the claimed-rounding allowance of a projection g·v. */
export function projectedRounding(rounding: Float64Array | undefined, direction: Float64Array, tensor: ParameterTensor): number {
  if (!rounding) return 0;
  let sum = 0;
  for (let k = tensor.offset; k < tensor.offset + tensorSize(tensor); k++) sum += rounding[k] * Math.abs(direction[k]);
  return sum;
}
