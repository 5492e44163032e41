/**
 * What the checker differentiates: a scalar loss of a flat vector θ, evaluated at θ shifted along
 * one coordinate or one direction. The reference engine implements it with kink awareness;
 * any other code is wrapped as a black box by `blackBoxObjective`.
 */
import { GradcheckError } from '../../errors.js';

export interface Objective {
  /** The point θ at which gradients are checked. Never modified by the checker. */
  readonly point: Float64Array;
  /** L(θ). */
  value(): number;
  /** L(θ + t·e_index). Leaves θ unchanged. */
  shifted(index: number, t: number): number;
  /** L(θ + t·direction). */
  along(direction: Float64Array, t: number): number;
  /**
   * Optional kink awareness: after the last `shifted`/`along` call, the number of non-differentiable
   * units (ReLU pre-activations) that lay on a different smooth piece than at θ. Absent for black boxes,
   * whose kinks are found by disagreeing one-sided differences instead.
   */
  kinkCrossings?(): number;
  /** Of the last `kinkCrossings`, the units that were not exactly on their kink at θ: they crossed one. */
  kinkDepartures?(): number;
  /** With kink awareness: whether some non-differentiable unit sits exactly on its kink at θ. */
  readonly kinkAtPoint?: boolean;
  /**
   * Optional, for a loss the checker computes itself (the reference engine): while true, evaluations
   * keep every piecewise unit on its smooth piece at θ (`Activation.onPiece`), giving L_piece, equal to
   * L wherever no unit changes piece, and smooth (numerics/estimator.ts, `onOwnPiece`). Absent for a
   * black box or an implementation's own loss values, whose pieces the checker cannot hold.
   */
  frozenPieces?: boolean;
  /**
   * Optional, per coordinate: how far moving it by 1 moves the pre-activations it feeds
   * (coordinate-gains.ts); its steps are chosen in those units (numerics/step.ts). Absent: 1.
   */
  readonly gains?: Float64Array;
}

/** Wraps any `loss(θ)` as an objective; `loss` must not modify its argument. */
export function blackBoxObjective(loss: (theta: Float64Array) => number, point: Float64Array): Objective {
  const theta = Float64Array.from(point);
  const work = Float64Array.from(point);
  const evaluate = (): number => {
    const value = loss(work);
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new GradcheckError('blackBoxObjective', `loss returned ${String(value)}; expected a number`);
    }
    return value;
  };
  return {
    point: theta,
    value: evaluate,
    shifted(index, t) {
      work[index] = theta[index] + t;
      try {
        return evaluate();
      } finally {
        work[index] = theta[index];
      }
    },
    along(direction, t) {
      for (let i = 0; i < work.length; i++) work[i] = theta[i] + t * direction[i];
      try {
        return evaluate();
      } finally {
        work.set(theta);
      }
    },
  };
}
