/**
 * The report of a two-stage column check (column-check.ts): tallies per report tensor, failing and
 * unresolved entries located in the function's own names (an unresolved one with the steps the
 * estimator tried and its estimates there), and the verdict, which is `inconclusive` when the check
 * checked nothing: every judged entry's claim and numeric value lay within the estimate's own
 * uncertainty (a saturated softmax), so a wrong rule there would have passed too.
 */
import type { ParameterTensor } from '../../engine/layout.js';
import { overallVerdict, type EntryCheck, type GradientReport, type TensorReport } from '../report/report.js';
import { TensorTally } from '../report/tensor-tally.js';
import type { ResolvedCheckOptions } from '../strategies/check-options.js';
import type { ColumnOutcome, ColumnProgress } from './column-check.js';
import type { FunctionCheckKind, FunctionReport, LocatedEntry } from './function-report.js';

/** The tallies of a check and the lists they append to. */
export class ColumnTallies {
  readonly failures: EntryCheck[] = [];
  readonly unresolved: EntryCheck[] = [];
  readonly tallies: TensorTally[];
  /** Steps and estimates of unresolved entries, by tally index of tensor and entry index. */
  readonly sequences = new Map<string, { steps: readonly number[]; estimates: readonly number[] }>();

  constructor(
    tensors: readonly ParameterTensor[],
    readonly settings: ResolvedCheckOptions,
  ) {
    this.tallies = tensors.map((t) => new TensorTally(t, settings.tolerances, this.failures, undefined, this.unresolved));
  }

  /** Remembers an unresolved entry's step sequence. */
  sequence(tensor: string, index: number, steps: readonly number[], estimates: readonly number[]): void {
    this.sequences.set(`${tensor}#${index}`, { steps, estimates });
  }

  /** The `GradientReport` of the tallies (`lossNoise`: the first scalar's measured σ). */
  report(outcome: ColumnOutcome): GradientReport {
    const s = this.settings;
    const tensors: TensorReport[] = this.tallies.map((t) => t.report());
    const counts = tensors.reduce(
      (acc, t) => ({ checked: acc.checked + t.checked, failed: acc.failed + t.failed, skipped: acc.skipped + t.skipped, unresolved: acc.unresolved + t.unresolved }),
      { checked: 0, failed: 0, skipped: 0, unresolved: 0 },
    );
    const verdict = overallVerdict(tensors, this.failures.length);
    const noise = outcome.noise[0];
    return {
      verdict: verdict === 'pass' && checksNothing(outcome.progress) ? 'inconclusive' : verdict,
      strategy: 'full',
      label: s.label,
      seed: undefined,
      tolerances: s.tolerances,
      precision: s.precision,
      levels: s.levels,
      tensors,
      failures: this.failures,
      unresolved: this.unresolved,
      counts,
      ...(noise !== undefined ? { lossNoise: noise } : {}),
    };
  }

  /** A located entry with the step sequence of an unresolved one. */
  withSequence(l: LocatedEntry): LocatedEntry {
    const seq = l.entry.status === 'unresolved' ? this.sequences.get(`${l.entry.tensor}#${l.entry.index}`) : undefined;
    return seq === undefined ? l : { ...l, steps: seq.steps, estimates: seq.estimates };
  }
}

/** Whether every judged entry was negligible (and there was one). */
export function checksNothing(p: ColumnProgress): boolean {
  return p.judged > 0 && p.negligible === p.judged;
}

/** The function report's fields from a column check. */
export function functionFields(check: FunctionCheckKind, name: string, evaluations: number, outcome: ColumnOutcome): Pick<FunctionReport, 'check' | 'function' | 'evaluations' | 'stages' | 'checksNothing'> {
  const p = outcome.progress;
  return {
    check,
    function: name,
    evaluations,
    stages: { columnSettled: p.stageSettled, refined: p.refined, negligible: p.negligible },
    ...(checksNothing(p) ? { checksNothing: true } : {}),
  };
}

/** A fresh progress record for `total` entries. */
export function newProgress(total: number): ColumnProgress {
  return { total, entriesDone: 0, stageSettled: 0, refined: 0, negligible: 0, judged: 0 };
}
