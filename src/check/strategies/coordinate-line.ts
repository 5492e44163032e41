/**
 * The entry-by-entry check: the loss along one coordinate of θ, differentiated and tallied.
 * One `CoordinateLine` is reused for every entry, so the loop allocates nothing.
 */
import type { ParameterTensor } from '../../engine/layout.js';
import type { ResolvedCheckOptions } from './check-options.js';
import { nonFiniteLoss } from './direction-probe.js';
import { estimateAtBestStep, EstimateWorkspace } from '../numerics/estimator.js';
import { ObjectiveLine } from './objective-line.js';
import type { TensorTally } from '../report/tensor-tally.js';

/** L(θ + t·e_index) for the entry currently being checked. */
export class CoordinateLine extends ObjectiveLine {
  index = 0;
  tensor: ParameterTensor | undefined;

  at(t: number): number {
    const value = this.objective.shifted(this.index, t);
    if (!Number.isFinite(value)) {
      const tensor = this.tensor!;
      const local = this.index - tensor.offset;
      throw nonFiniteLoss(`with ${tensor.name}[${Math.floor(local / tensor.cols)},${local % tensor.cols}] shifted by ${t}`, value);
    }
    return value;
  }
}

/** The second estimate of `estimateAtBestStep` (one per process: entries are checked one at a time). */
const spare = new EstimateWorkspace();

/**
 * One entry, entry by entry: the numeric derivative along its coordinate at its best step (a second
 * stencil when truncation dominates, as fast mode's probes get), compared and tallied.
 */
export function checkEntry(tally: TensorTally, line: CoordinateLine, w: EstimateWorkspace, index: number, claimed: number, f0: number, x: number, s: ResolvedCheckOptions): void {
  line.index = index;
  estimateAtBestStep(w, spare, line, f0, x, s.estimator, line.objective.gains?.[index] ?? 1);
  tally.addEstimate(index, claimed, w);
}

