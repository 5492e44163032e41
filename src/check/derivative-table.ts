/**
 * Numeric derivatives of many entries as plain numbers, in θ's layout: what a worker thread computes
 * and sends back (transferable buffers), and what the checker then compares exactly as if it had
 * computed them itself (`feed`), so a parallel check reports what the sequential one does.
 */
import type { DifferenceMethod, DerivativeWorkspace, NumericDerivative } from './numeric-derivative.js';
import type { TensorTally } from './tensor-tally.js';

const FIELDS = 9; // value, error, floor, step, forwardValue, forwardError, backwardValue, backwardError, sideFloor
const METHODS: readonly DifferenceMethod[] = ['central', 'forward', 'backward'];

export interface DerivativeTableData {
  readonly numbers: Float64Array;
  /** Per entry: 0 = not computed, else 1 + method index, + 4 when at a kink. */
  readonly flags: Uint8Array;
}

export class DerivativeTable implements DerivativeTableData {
  readonly numbers: Float64Array;
  readonly flags: Uint8Array;

  constructor(size: number, data?: DerivativeTableData) {
    this.numbers = data?.numbers ?? new Float64Array(FIELDS * size);
    this.flags = data?.flags ?? new Uint8Array(size);
  }

  has(index: number): boolean {
    return this.flags[index] !== 0;
  }

  /** Stores the workspace's last result as entry `index`. */
  record(index: number, w: DerivativeWorkspace): void {
    const at = FIELDS * index;
    const n = this.numbers;
    n[at] = w.value;
    n[at + 1] = w.error;
    n[at + 2] = w.floor;
    n[at + 3] = w.step;
    n[at + 4] = w.forwardValue;
    n[at + 5] = w.forwardError;
    n[at + 6] = w.backwardValue;
    n[at + 7] = w.backwardError;
    n[at + 8] = w.sideFloor;
    this.flags[index] = 1 + METHODS.indexOf(w.method) + (w.kink ? 4 : 0);
  }

  /** Copies the computed entries of `other` (same size) into this table. */
  merge(other: DerivativeTableData): void {
    for (let index = 0; index < this.flags.length; index++) {
      if (other.flags[index] === 0) continue;
      this.flags[index] = other.flags[index];
      this.numbers.set(other.numbers.subarray(FIELDS * index, FIELDS * (index + 1)), FIELDS * index);
    }
  }

  /** Compares entry `index` like the entry-by-entry check does with a freshly computed derivative. */
  feed(tally: TensorTally, index: number, claimed: number): void {
    const flag = this.flags[index];
    const at = FIELDS * index;
    const n = this.numbers;
    const method = METHODS[(flag - 1) & 3];
    if (flag < 4) {
      tally.addNumeric(index, claimed, n[at], n[at + 1], n[at + 2], n[at + 3], method);
      return;
    }
    const d: NumericDerivative = {
      value: n[at],
      error: n[at + 1],
      floor: n[at + 2],
      step: n[at + 3],
      method,
      kink: true,
      sides: [
        { value: n[at + 4], error: n[at + 5], floor: n[at + 8], method: 'forward' },
        { value: n[at + 6], error: n[at + 7], floor: n[at + 8], method: 'backward' },
      ],
    };
    tally.addDerivative(index, claimed, d);
  }
}
