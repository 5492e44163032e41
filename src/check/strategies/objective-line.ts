/**
 * A line through θ of an objective, with the objective's kink probe read the way the estimator asks
 * (numerics/estimator.ts, `LineFunction`). The coordinate and direction lines extend it with `at`.
 */
import type { LineFunction } from '../numerics/estimator.js';
import type { Objective } from '../objective/objective.js';

export abstract class ObjectiveLine implements LineFunction {
  readonly kinkAware: boolean;

  /** The same line with every piecewise unit kept on its piece at θ, when the objective can hold them. */
  readonly pieces: LineFunction | undefined;

  constructor(readonly objective: Objective) {
    this.kinkAware = typeof objective.kinkCrossings === 'function';
    this.pieces = this.kinkAware && objective.frozenPieces !== undefined ? new OwnPieceLine(this) : undefined;
  }

  abstract at(t: number): number;

  crossed(): boolean {
    return this.objective.kinkCrossings!() > 0;
  }

  /** Units that crossed a kink they were not on at θ. */
  departed(): boolean {
    return this.departures() > 0;
  }

  /** Units that left the kink they sat on at θ. */
  leftKinks(): number {
    return this.objective.kinkCrossings!() - this.departures();
  }

  get onKink(): boolean {
    return this.objective.kinkAtPoint === true;
  }

  private departures(): number {
    return this.objective.kinkDepartures?.() ?? this.objective.kinkCrossings!();
  }
}

/**
 * L_piece along a line (objective.ts, `frozenPieces`): smooth except at the kinks of units exactly on
 * theirs at θ, which stay free; their crossings are reported as the line's (leaving a kink, never
 * crossing another).
 */
class OwnPieceLine implements LineFunction {
  readonly kinkAware = true;

  constructor(private readonly line: ObjectiveLine) {}

  get onKink(): boolean {
    return this.line.onKink;
  }

  at(t: number): number {
    const objective = this.line.objective;
    objective.frozenPieces = true;
    try {
      return this.line.at(t);
    } finally {
      objective.frozenPieces = false;
    }
  }

  crossed(): boolean {
    return this.line.crossed();
  }

  departed(): boolean {
    return this.line.departed();
  }

  leftKinks(): number {
    return this.line.leftKinks();
  }
}
