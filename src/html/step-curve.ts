/**
 * An entry's error-versus-step curve: the plain central difference (numerics/central-difference.ts) of
 * the case's loss along the entry's coordinate, at steps over many decades, against the checker's
 * numeric value. Truncation makes the error fall as h² at large steps, rounding makes it rise as ε/h at
 * small ones; the checker's step and error estimate sit on that picture.
 */
import { centralDifference } from '../check/numerics/central-difference.js';
import { networkObjective, type NetworkCase } from '../check/objective/network-objective.js';
import type { EntryCheck } from '../check/report/report.js';

/** One step of the curve. */
export interface CurvePoint {
  /** The step h (already scaled by max(1, |θ_i|), as the estimator scales it). */
  readonly step: number;
  /** (L(θ + h·e_i) − L(θ − h·e_i)) / 2h. */
  readonly value: number;
  /** |value − the checker's numeric value|. */
  readonly error: number;
  /** Whether either stencil point put a ReLU unit on another piece (a kink within the step). */
  readonly kink: boolean;
}

/** The curve of one entry. */
export interface StepCurve {
  readonly entry: EntryCheck;
  readonly points: readonly CurvePoint[];
}

/**
 * Steps from 1 down to 1e-16 (times max(1, |θ_i|)): from where truncation dominates any unit-curvature
 * loss to below float64's ε = 2.2e-16, where rounding is all that is left; four steps a decade draw
 * the V without hiding a kink's jump.
 */
export const CURVE_DECADES = 16;
export const STEPS_PER_DECADE = 4;

/** The curve of `entry` (an entry of a check of `nc`; directions have no coordinate and no curve). */
export function errorStepCurve(nc: NetworkCase, entry: EntryCheck, includeInputs: boolean): StepCurve {
  if (entry.index < 0) return { entry, points: [] };
  const objective = networkObjective(nc, includeInputs);
  const x = objective.point[entry.index];
  const scale = Math.max(1, Math.abs(x));
  const points: CurvePoint[] = [];
  for (let k = 0; k <= CURVE_DECADES * STEPS_PER_DECADE; k++) {
    const h = scale * 10 ** (-k / STEPS_PER_DECADE);
    let kink = false;
    const value = centralDifference((t) => {
      const loss = objective.shifted(entry.index, t);
      if ((objective.kinkCrossings?.() ?? 0) > 0) kink = true;
      return loss;
    }, h, x);
    points.push({ step: h, value, error: Math.abs(value - entry.numeric), kink });
  }
  return { entry, points };
}
