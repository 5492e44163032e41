/**
 * What `checkGradients` checks: an objective, the claimed gradient in its layout, the tensors that tile
 * θ, and what the caller knows of the rounding on either side; and the first pass's results (the screen).
 */
import type { ParameterTensor } from '../../engine/layout.js';
import type { Objective } from '../objective/objective.js';
import type { Precision } from '../numerics/precision.js';
import type { LossRounding } from '../numerics/rounding.js';
import type { EntryCheck } from '../report/report.js';
import type { ConventionIntervals } from '../objective/convention-intervals.js';

export interface GradientProblem {
  readonly objective: Objective;
  /** The claimed gradient dL/dθ, same layout as θ. */
  readonly claimed: Float64Array;
  /** Names and shapes tiling θ, in order. */
  readonly tensors: readonly ParameterTensor[];
  /**
   * Optional first pass for `full` mode (see screen-network.ts): entries it marks `accepted` already
   * passed a stricter test than the entry-by-entry one and are reported from its numbers; every
   * other entry is checked entry by entry as usual.
   */
  readonly screen?: EntryScreen;
  /**
   * Optional per-entry allowance for the claimed gradient's own rounding, in θ's layout
   * (objective/claimed-rounding.ts for networks). Default: none.
   */
  readonly claimedRounding?: Float64Array;
  /** Bound on one loss evaluation's rounding (numerics/rounding.ts). Default: u·|L|, detected beyond that. */
  readonly lossRounding?: LossRounding;
  /**
   * Per tensor layer (1-based; 0 for the inputs), a tighter loss-rounding bound for the lines that move
   * that layer's entries (objective/claimed-rounding.ts); overrides `lossRounding` where given.
   */
  readonly lossRoundingByLayer?: readonly LossRounding[];
  /**
   * With θ on several ReLU units' kinks: per entry, the range of claims the valid conventions
   * (σ′(0) ∈ [0, 1] per unit) give, from the reference engine (objective/convention-intervals.ts); the
   * judge reads it for entries at a kink (numerics/judge.ts). Absent for black boxes (`checkLoss`).
   * May be a getter: read only when an entry's estimate is at a kink.
   */
  readonly conventions?: ConventionIntervals;
  /** The precision the loss is computed in, when it differs from the claimed side's (`options.precision`). */
  readonly lossPrecision?: Precision;
  /**
   * When given, entry-by-entry checks append every entry's `EntryCheck` here, in index order (the HTML
   * report's heat maps, src/html). Costs one object per entry; the verdicts are unchanged.
   */
  readonly everyEntry?: EntryCheck[];
}

/** Per-entry results of a first pass, in θ's layout: converged central estimates where accepted. */
export interface EntryScreen {
  /** 1 where the entry passed the first pass (the judge passes it at either end of its uncertainty). */
  readonly accepted: Uint8Array;
  readonly value: Float64Array;
  readonly truncation: Float64Array;
  readonly rounding: Float64Array;
  readonly step: Float64Array;
}
