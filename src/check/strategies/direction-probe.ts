/**
 * Checks along a direction v through θ: the numeric directional derivative against the claimed
 * projection g·v. Used by `directions` mode (random unit directions) and by fast mode (random-sign
 * group probes), with one tolerance rule for both.
 */
import { GradcheckError } from '../../errors.js';
import { tensorSize, type ParameterTensor } from '../../engine/layout.js';
import { gaussian } from '../../engine/random-parameters.js';
import { compareEntry } from '../report/compare-entry.js';
import { numericDerivativeInto, type DerivativeWorkspace, type LineFunction } from '../numerics/numeric-derivative.js';
import type { Objective } from '../objective/objective.js';
import type { EntryCheck } from '../report/report.js';
import type { Tolerances } from '../numerics/tolerance.js';

/** L(θ + t·v) for a direction buffer that the caller fills before each probe. */
export class DirectionLine implements LineFunction {
  readonly kinkAware: boolean;
  /** Number of the direction within its tensor, for messages and reports. */
  number = 0;
  tensorName = '';

  constructor(
    readonly objective: Objective,
    readonly direction: Float64Array,
  ) {
    this.kinkAware = typeof objective.kinkCrossings === 'function';
  }

  at(t: number): number {
    const value = this.objective.along(this.direction, t);
    if (!Number.isFinite(value)) throw nonFiniteLoss(`along direction ${this.number} of ${this.tensorName}`, value);
    return value;
  }

  crossed(): boolean {
    return this.objective.kinkCrossings!() > 0;
  }
}

/** The checker's message for a loss that overflowed or became NaN at a stencil point. */
export function nonFiniteLoss(where: string, value: number): GradcheckError {
  return new GradcheckError('checkGradients', `the loss ${where} is ${value}; expected a finite number (overflow, or NaN in the implementation)`);
}

export interface ProjectionSettings {
  readonly levels: number;
  readonly tolerances: Tolerances;
}

/**
 * Probes `line.direction` (already filled) and compares with `projection` = Σ claimedᵢ·vᵢ.
 * `magnitude` = Σ |claimedᵢ·vᵢ|: cancellation in g·v widens the relative tolerance from |g·v| to it.
 * `extraAllowance` is added to the tolerance (fast mode: atol for every further entry the probe moves).
 */
export function probeDirection(
  line: DirectionLine,
  w: DerivativeWorkspace,
  f0: number,
  scale: number,
  projection: number,
  magnitude: number,
  tensor: ParameterTensor,
  s: ProjectionSettings,
  extraAllowance = 0,
): EntryCheck {
  line.tensorName = tensor.name;
  numericDerivativeInto(w, line, f0, scale, s.levels, s.tolerances);
  const numeric = w.snapshot();
  const place = { tensor: tensor.name, layer: tensor.layer, kind: tensor.kind, index: -1, row: -1, col: -1, direction: line.number };
  const check = compareEntry(place, projection, numeric, s.tolerances);
  const widened = s.tolerances.rtol * Math.max(0, magnitude - Math.max(Math.abs(projection), Math.abs(numeric.value))) + extraAllowance;
  // compareEntry returned a fresh object: widen it in place (a spread copy is slow in V8, see compare-entry.ts).
  const widenedCheck = check as { -readonly [K in keyof EntryCheck]: EntryCheck[K] };
  if (check.status === 'fail' && check.absoluteError <= check.tolerance + widened) widenedCheck.status = 'pass';
  widenedCheck.tolerance = check.tolerance + widened;
  return widenedCheck;
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
