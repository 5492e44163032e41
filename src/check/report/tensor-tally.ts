/**
 * A tensor's report built while its entries are checked, without an `EntryCheck` object per entry:
 * only failures and the final worst entry become objects. The result is exactly `summarizeTensor`'s
 * over the same entries in the same order (same counts, same worst: the first entry of highest severity).
 */
import type { ParameterTensor } from '../../engine/layout.js';
import { compareEntry, type EntryPlace } from './compare-entry.js';
import type { DifferenceMethod, NumericDerivative } from '../numerics/numeric-derivative.js';
import { severity, type EntryCheck, type TensorReport } from './report.js';
import { tolerance, type Tolerances } from '../numerics/tolerance.js';

export class TensorTally {
  private checked = 0;
  private failed = 0;
  private skipped = 0;
  private worst: EntryCheck | null = null;
  private worstSeverity = -1;
  private hasWorst = false;
  // The worst entry while it is still only numbers (materialised in `report`).
  private pendingIndex = -1;
  private pendingClaimed = 0;
  private readonly pending: { value: number; error: number; floor: number; step: number; method: DifferenceMethod; kink: boolean } = {
    value: 0,
    error: 0,
    floor: 0,
    step: 0,
    method: 'central',
    kink: false,
  };

  constructor(
    readonly tensor: ParameterTensor,
    private readonly tolerances: Tolerances,
    /** Failing entries are appended here as they are found (index order within the tensor). */
    private readonly failures: EntryCheck[],
    /** Per-entry allowance for the claimed value's own rounding, in θ's layout (see tolerance.ts). */
    private readonly claimedRounding?: Float64Array,
  ) {}

  private roundingAt(index: number): number {
    return this.claimedRounding ? this.claimedRounding[index] : 0;
  }

  /** An entry whose numeric derivative is not at a kink (`kink: false`), given as plain numbers. */
  addNumeric(index: number, claimed: number, value: number, error: number, floor: number, step: number, method: DifferenceMethod): void {
    const tol = tolerance(claimed, value, error, floor, this.tolerances, this.roundingAt(index));
    const abs = Math.abs(claimed - value);
    if (!(abs <= tol)) {
      this.addEntry(compareEntry(this.place(index), claimed, { value, error, floor, step, method, kink: false }, this.tolerances, this.roundingAt(index)));
      return;
    }
    this.checked++;
    const s = tol > 0 ? abs / tol : abs > 0 ? Infinity : 0;
    if (this.hasWorst && !(s > this.worstSeverity)) return;
    this.hasWorst = true;
    this.worstSeverity = s;
    this.worst = null;
    this.pendingIndex = index;
    this.pendingClaimed = claimed;
    const p = this.pending;
    p.value = value;
    p.error = error;
    p.floor = floor;
    p.step = step;
    p.method = method;
  }

  /** Any numeric derivative (kinks included) for entry `index`. */
  addDerivative(index: number, claimed: number, d: NumericDerivative): void {
    if (!d.kink) return this.addNumeric(index, claimed, d.value, d.error, d.floor, d.step, d.method);
    this.addEntry(compareEntry(this.place(index), claimed, d, this.tolerances, this.roundingAt(index)));
  }

  /** A finished check (an entry or a direction); failures are recorded. */
  addEntry(e: EntryCheck): void {
    this.checked++;
    if (e.status === 'fail') {
      this.failed++;
      this.failures.push(e);
    }
    if (e.status === 'skipped-kink') {
      this.skipped++;
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
      worst: this.worst,
      verdict: this.failed > 0 ? 'fail' : 'pass',
    };
  }

  /** Where entry `index` of this tensor is, keyed like the checker's entry places. */
  place(index: number): EntryPlace {
    const t = this.tensor;
    const local = index - t.offset;
    return { tensor: t.name, layer: t.layer, kind: t.kind, index, row: Math.floor(local / t.cols), col: local % t.cols };
  }
}
