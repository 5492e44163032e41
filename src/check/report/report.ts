/**
 * The `GradientReport`: per tensor (layer, W / b / x) the entries checked and skipped, the worst entry
 * with both values, errors and step, and a verdict; every failing entry; an overall verdict.
 */
import type { DifferenceMethod } from '../numerics/estimator.js';
import type { ParameterTensor } from '../../engine/layout.js';
import type { EntryVerdict, Tolerances } from '../numerics/judge.js';
import type { Precision } from '../numerics/precision.js';

/** An entry's verdict (numerics/judge.ts): `pass`, `fail`, `unresolved` (finite differences could not settle it) or `skipped` (θ on a kink, the claim between the one-sided derivatives). */
export type EntryStatus = EntryVerdict;
/**
 * A check's verdict (docs/verdicts.md): `fail` when any entry fails; otherwise `inconclusive` when any
 * entry is unresolved or a tensor has no resolved entry (all skipped); otherwise `pass`.
 */
export type Verdict = 'pass' | 'fail' | 'inconclusive';
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
  /** The numeric value's uncertainty: truncation + rounding (numerics/estimator.ts). */
  readonly errorEstimate: number;
  readonly absoluteError: number;
  readonly relativeError: number;
  readonly tolerance: number;
  readonly step: number;
  readonly method: DifferenceMethod;
  readonly status: EntryStatus;
  /** True when θ sits on or next to a kink (the estimate is one-sided, or θ is on the kink). */
  readonly nearKink: boolean;
  /** Whether the estimate converged at its predicted rate (an unconverged one is `unresolved`). */
  readonly converged: boolean;
}

/** One tensor's part of a report: its name and shape, its entry counts and verdict, and its worst entry. */
export interface TensorReport {
  readonly name: string;
  readonly layer: number;
  readonly kind: string;
  readonly rows: number;
  readonly cols: number;
  /** Entries (or directions) compared, including skipped and unresolved ones. */
  readonly checked: number;
  readonly failed: number;
  readonly skipped: number;
  /** Entries finite differences could not settle (numerics/judge.ts). */
  readonly unresolved: number;
  /** The entry closest to (or furthest past) its tolerance among resolved ones; null when none was resolved. */
  readonly worst: EntryCheck | null;
  readonly verdict: Verdict;
}

/**
 * The result of a gradient check: the verdict, every tensor's tally, each failing and unresolved entry
 * with claimed and numeric values and error estimates, and the settings to replay it.
 */
export interface GradientReport {
  readonly verdict: Verdict;
  readonly strategy: Strategy;
  /** What was checked, for example `[4 → sigmoid 3 → identity 1], batch 2, MSE mean`. */
  readonly label?: string;
  /** The seed of the random directions (directions and fast mode) or of the case that produced the point. */
  readonly seed?: number;
  readonly tolerances: Tolerances;
  /** The precision the claimed gradients and the loss were modelled in. */
  readonly precision: Precision;
  readonly levels: number;
  readonly tensors: readonly TensorReport[];
  /** Every failing entry, in index order (directions mode: failing directions, then located entries). */
  readonly failures: readonly EntryCheck[];
  /** Every unresolved entry (finite differences could not settle it), in index order. */
  readonly unresolved: readonly EntryCheck[];
  readonly counts: { readonly checked: number; readonly failed: number; readonly skipped: number; readonly unresolved: number };
  /** Black boxes: the loss's noise σ as measured (numerics/noise.ts), when it could be read off. */
  readonly lossNoise?: number;
}

/** How far past its tolerance an entry is: > 1 fails. Used to rank the worst entry. */
export function severity(e: EntryCheck): number {
  if (e.status === 'skipped' || e.status === 'unresolved') return -1;
  return e.tolerance > 0 ? e.absoluteError / e.tolerance : e.absoluteError > 0 ? Infinity : 0;
}

export function summarizeTensor(tensor: ParameterTensor, entries: readonly EntryCheck[]): TensorReport {
  let worst: EntryCheck | null = null;
  let failed = 0;
  let skipped = 0;
  let unresolved = 0;
  for (const e of entries) {
    if (e.status === 'fail') failed++;
    if (e.status === 'skipped') skipped++;
    else if (e.status === 'unresolved') unresolved++;
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
    unresolved,
    worst,
    verdict: tensorVerdict(entries.length, failed, skipped, unresolved),
  };
}

/** A tensor's verdict: the rule of `Verdict`, applied to its entries. */
export function tensorVerdict(checked: number, failed: number, skipped: number, unresolved: number): Verdict {
  if (failed > 0) return 'fail';
  if (unresolved > 0 || checked - skipped - unresolved === 0) return 'inconclusive';
  return 'pass';
}

/** A check's verdict from its tensors' verdicts. */
export function overallVerdict(tensors: readonly TensorReport[], failures: number): Verdict {
  if (failures > 0 || tensors.some((t) => t.verdict === 'fail')) return 'fail';
  return tensors.some((t) => t.verdict === 'inconclusive') ? 'inconclusive' : 'pass';
}
