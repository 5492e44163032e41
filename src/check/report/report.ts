/**
 * The `GradientReport`: per tensor (layer, W / b / x) the entries checked and skipped, the worst entry
 * with both values, errors and step, and a verdict; every failing entry; an overall verdict.
 */
import type { DifferenceMethod } from '../numerics/numeric-derivative.js';
import type { ParameterTensor } from '../../engine/layout.js';
import type { Tolerances } from '../numerics/tolerance.js';

export type EntryStatus = 'pass' | 'fail' | 'skipped-kink';
export type Verdict = 'pass' | 'fail';
/** How entries were checked (CheckOptions.strategy). */
export type Strategy = 'full' | 'directions' | 'fast';
export const STRATEGIES: readonly Strategy[] = ['full', 'directions', 'fast'];

/** One compared quantity: an entry (row, col) of a tensor, or a random direction within it. */
export interface EntryCheck {
  readonly tensor: string;
  /** 1-based layer; 0 for the input x. */
  readonly layer: number;
  readonly kind: string;
  /** Flat index into θ (entries), or −1 for a direction. */
  readonly index: number;
  readonly row: number;
  readonly col: number;
  /** For directions and fast mode: the direction's (or probe's) number within its tensor. */
  readonly direction?: number;
  readonly claimed: number;
  readonly numeric: number;
  readonly errorEstimate: number;
  readonly absoluteError: number;
  readonly relativeError: number;
  readonly tolerance: number;
  readonly step: number;
  readonly method: DifferenceMethod;
  readonly status: EntryStatus;
  /** True when θ sits on or next to a kink (the estimate is one-sided or skipped). */
  readonly nearKink: boolean;
}

export interface TensorReport {
  readonly name: string;
  readonly layer: number;
  readonly kind: string;
  readonly rows: number;
  readonly cols: number;
  /** Entries (or directions) compared, including skipped ones. */
  readonly checked: number;
  readonly failed: number;
  readonly skipped: number;
  /** The entry closest to (or furthest past) its tolerance; null when everything was skipped. */
  readonly worst: EntryCheck | null;
  readonly verdict: Verdict;
}

export interface GradientReport {
  readonly verdict: Verdict;
  readonly strategy: Strategy;
  /** What was checked, for example `[4 → sigmoid 3 → identity 1], batch 2, MSE mean`. */
  readonly label?: string;
  /** The seed of the random directions (directions and fast mode) or of the case that produced the point. */
  readonly seed?: number;
  readonly tolerances: Tolerances;
  readonly levels: number;
  readonly tensors: readonly TensorReport[];
  /** Every failing entry, in index order (directions mode: failing directions, then located entries). */
  readonly failures: readonly EntryCheck[];
  readonly counts: { readonly checked: number; readonly failed: number; readonly skipped: number };
}

/** How far past its tolerance an entry is: > 1 fails. Used to rank the worst entry. */
export function severity(e: EntryCheck): number {
  if (e.status === 'skipped-kink') return -1;
  return e.tolerance > 0 ? e.absoluteError / e.tolerance : e.absoluteError > 0 ? Infinity : 0;
}

export function summarizeTensor(tensor: ParameterTensor, entries: readonly EntryCheck[]): TensorReport {
  let worst: EntryCheck | null = null;
  let failed = 0;
  let skipped = 0;
  for (const e of entries) {
    if (e.status === 'fail') failed++;
    if (e.status === 'skipped-kink') skipped++;
    else if (worst === null || severity(e) > severity(worst)) worst = e;
  }
  return {
    name: tensor.name,
    layer: tensor.layer,
    kind: tensor.kind,
    rows: tensor.rows,
    cols: tensor.cols,
    checked: entries.length,
    failed,
    skipped,
    worst,
    verdict: failed > 0 ? 'fail' : 'pass',
  };
}
