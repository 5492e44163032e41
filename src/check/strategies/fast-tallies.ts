/**
 * Fast mode's per-tensor reports (targeted-probes.ts). A probe may span several tensors: it is counted
 * once in each tensor it moves, with that tensor's name. A tensor's `TensorTally` is made when its
 * first entry is checked on its own, so that the claimed-rounding model (read by the tally) is
 * computed only when some entry is; probes recorded before then are replayed into it in order.
 */
import type { ParameterTensor } from '../../engine/layout.js';
import type { Tolerances } from '../numerics/judge.js';
import type { EntryCheck, TensorReport } from '../report/report.js';
import { TensorTally } from '../report/tensor-tally.js';
import type { GradientProblem } from './gradient-problem.js';

export class FastTallies {
  private readonly tallies: (TensorTally | undefined)[];
  /** Per tensor: its failures (probes and entries), as the tally appends them. */
  private readonly found: EntryCheck[][];
  /** Per tensor: probes recorded before its tally exists. */
  private readonly pending: EntryCheck[][];
  private readonly ends: number[];

  constructor(
    private readonly problem: GradientProblem,
    private readonly tolerances: Tolerances,
    private readonly unresolved: EntryCheck[],
  ) {
    const count = problem.tensors.length;
    this.tallies = new Array<TensorTally | undefined>(count).fill(undefined);
    this.found = problem.tensors.map(() => []);
    this.pending = problem.tensors.map(() => []);
    this.ends = problem.tensors.map((t) => t.offset + t.rows * t.cols);
  }

  /** The position in `problem.tensors` of the tensor holding θ index `index`. */
  positionOf(index: number): number {
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (index < this.ends[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  tensorAt(index: number): ParameterTensor {
    return this.problem.tensors[this.positionOf(index)];
  }

  failedCount(tensor: ParameterTensor): number {
    return this.found[this.problem.tensors.indexOf(tensor)].length;
  }

  /** The tally of `tensor`, made (with the claimed rounding) on first use. */
  tally(tensor: ParameterTensor): TensorTally {
    const t = this.problem.tensors.indexOf(tensor);
    return this.tallies[t] ?? this.make(t, this.problem.claimedRounding);
  }

  /** A probe over entries start..end − 1, in every tensor it moves. */
  addProbe(check: EntryCheck, start: number, end: number): void {
    for (let t = this.positionOf(start); t <= this.positionOf(end - 1); t++) {
      const tensor = this.problem.tensors[t];
      const own: EntryCheck = { ...check, tensor: tensor.name, layer: tensor.layer, kind: tensor.kind };
      const tally = this.tallies[t];
      if (tally) tally.addEntry(own);
      else this.pending[t].push(own);
    }
  }

  /** Every tensor's report; failures appended per tensor, probes first, then entries in index order. */
  reports(failures: EntryCheck[]): TensorReport[] {
    return this.problem.tensors.map((_, t) => {
      // A tensor that no entry check reached needs no claimed rounding: probes carry their own.
      const report = (this.tallies[t] ?? this.make(t, undefined)).report();
      const found = this.found[t];
      failures.push(...found.filter((f) => f.direction !== undefined), ...found.filter((f) => f.direction === undefined).sort((a, b) => a.index - b.index));
      return report;
    });
  }

  private make(t: number, claimedRounding: Float64Array | undefined): TensorTally {
    const tally = new TensorTally(this.problem.tensors[t], this.tolerances, this.found[t], claimedRounding, this.unresolved, this.problem.everyEntry, () => this.problem.conventions);
    this.tallies[t] = tally;
    for (const probe of this.pending[t]) tally.addEntry(probe);
    this.pending[t] = [];
    return tally;
  }
}
