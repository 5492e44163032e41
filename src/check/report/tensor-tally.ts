/**
 * A tensor's report built while its entries are checked, without an `EntryCheck` object per entry:
 * only failures, unresolved and skipped entries, and the final worst entry become objects. The result is
 * exactly `summarizeTensor`'s over the same entries in the same order (same counts, same worst: the
 * first entry of highest severity). Every verdict is the judge's (numerics/judge.ts).
 */
import type { ParameterTensor } from '../../engine/layout.js';
import { compareEntry, type EntryPlace } from './compare-entry.js';
import type { DifferenceMethod, Estimate, KinkStatus } from '../numerics/estimator.js';
import { judgeInto, type ConventionInterval, type MutableJudgement, type Tolerances } from '../numerics/judge.js';
import type { ConventionIntervals } from '../objective/convention-intervals.js';
import { severity, tensorVerdict, type EntryCheck, type TensorReport } from './report.js';

export class TensorTally {
  private checked = 0;
  private failed = 0;
  private skipped = 0;
  private unresolved = 0;
  private worst: EntryCheck | null = null;
  private worstSeverity = -1;
  private hasWorst = false;
  // The worst entry while it is still only numbers (materialised in `report`).
  private pendingIndex = -1;
  private pendingClaimed = 0;
  private readonly pending: { value: number; truncation: number; rounding: number; step: number; method: DifferenceMethod; converged: boolean; kink: KinkStatus } = {
    value: 0,
    truncation: 0,
    rounding: 0,
    step: 0,
    method: 'central',
    converged: true,
    kink: 'none',
  };
  private readonly judgement: MutableJudgement = { verdict: 'pass', numeric: 0, uncertainty: 0, tolerance: 0, method: 'central' };

  constructor(
    readonly tensor: ParameterTensor,
    private readonly tolerances: Tolerances,
    /** Failing entries are appended here as they are found (index order within the tensor). */
    private readonly failures: EntryCheck[],
    /** Per-entry allowance for the claimed value's own rounding, in θ's layout (objective/claimed-rounding.ts). */
    private readonly claimedRounding?: Float64Array,
    /** Unresolved entries are appended here (the report lists them). */
    private readonly unsettled?: EntryCheck[],
    /** When given, every entry is appended here as an `EntryCheck` (pictures of a check: src/html). */
    private readonly every?: EntryCheck[],
    /**
     * With θ on several units' kinks, the valid conventions' range per entry in θ's layout
     * (objective/convention-intervals.ts), read only for entries at a kink (so computed on first need).
     */
    private readonly conventions?: () => ConventionIntervals | undefined,
  ) {}

  private readonly interval = { lower: 0, upper: 0, rounding: 0 };

  /** Entry `index`'s convention interval, for an estimate at a kink. */
  private conventionsAt(index: number, e: Estimate): ConventionInterval | undefined {
    if (e.kink !== 'at' || this.conventions === undefined) return undefined;
    const all = this.conventions();
    if (all === undefined) return undefined;
    this.interval.lower = all.lower[index];
    this.interval.upper = all.upper[index];
    this.interval.rounding = all.rounding[index];
    return this.interval;
  }

  private roundingAt(index: number): number {
    return this.claimedRounding ? this.claimedRounding[index] : 0;
  }

  /** Entry `index` with its estimate (a workspace is read, not kept). */
  addEstimate(index: number, claimed: number, e: Estimate): void {
    const conventions = this.conventionsAt(index, e);
    const j = judgeInto(this.judgement, claimed, e, this.tolerances, this.roundingAt(index), conventions);
    // Unconverged entries the judge settled from their agreement band keep it only in `e`: judged now.
    if (j.verdict !== 'pass' || e.kink === 'at' || !e.converged || this.every !== undefined) {
      this.addEntry(compareEntry(this.place(index), claimed, e, this.tolerances, this.roundingAt(index), conventions));
      return;
    }
    this.checked++;
    const abs = Math.abs(claimed - j.numeric);
    const s = j.tolerance > 0 ? abs / j.tolerance : abs > 0 ? Infinity : 0;
    if (this.hasWorst && !(s > this.worstSeverity)) return;
    this.hasWorst = true;
    this.worstSeverity = s;
    this.worst = null;
    this.pendingIndex = index;
    this.pendingClaimed = claimed;
    const p = this.pending;
    p.value = e.value;
    p.truncation = e.truncation;
    p.rounding = e.rounding;
    p.step = e.step;
    p.method = e.method;
    p.converged = e.converged;
    p.kink = e.kink;
  }

  /** A finished check (an entry or a direction). */
  addEntry(e: EntryCheck): void {
    this.checked++;
    this.every?.push(e);
    if (e.status === 'fail') {
      this.failed++;
      this.failures.push(e);
    }
    if (e.status === 'skipped') {
      this.skipped++;
      return;
    }
    if (e.status === 'unresolved') {
      this.unresolved++;
      this.unsettled?.push(e);
      return;
    }
    const s = severity(e);
    if (this.hasWorst && !(s > this.worstSeverity)) return;
    this.hasWorst = true;
    this.worstSeverity = s;
    this.worst = e;
  }

  report(): TensorReport {
    const t = this.tensor;
    if (this.hasWorst && this.worst === null) {
      this.worst = compareEntry(this.place(this.pendingIndex), this.pendingClaimed, { ...this.pending }, this.tolerances, this.roundingAt(this.pendingIndex));
    }
    return {
      name: t.name,
      layer: t.layer,
      kind: t.kind,
      rows: t.rows,
      cols: t.cols,
      checked: this.checked,
      failed: this.failed,
      skipped: this.skipped,
      unresolved: this.unresolved,
      worst: this.worst,
      verdict: tensorVerdict(this.checked, this.failed, this.skipped, this.unresolved),
    };
  }

  /** Where entry `index` of this tensor is, keyed like the checker's entry places. */
  place(index: number): EntryPlace {
    const t = this.tensor;
    const local = index - t.offset;
    return { tensor: t.name, layer: t.layer, kind: t.kind, index, row: Math.floor(local / t.cols), col: local % t.cols };
  }
}
