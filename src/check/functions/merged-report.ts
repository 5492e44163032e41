/**
 * Builds one `GradientReport` out of many scalar checks (one per output entry of a JVP or per Jacobian
 * row): each part's tally is added to the tensor it belongs to, with its entries relabelled there. The
 * verdicts come from the same rules as every report (`tensorVerdict`, `overallVerdict`, `severity`).
 */
import type { ParameterTensor } from '../../engine/layout.js';
import { overallVerdict, severity, tensorVerdict, type EntryCheck, type GradientReport, type TensorReport } from '../report/report.js';

interface Tally {
  readonly tensor: ParameterTensor;
  checked: number;
  failed: number;
  skipped: number;
  unresolved: number;
  worst: EntryCheck | null;
}

/** Collects the parts of a merged report; `build` returns it. */
export class MergedReport {
  private readonly tallies = new Map<string, Tally>();
  private readonly failures: EntryCheck[] = [];
  private readonly unresolved: EntryCheck[] = [];
  private first: GradientReport | undefined;

  constructor(tensors: readonly ParameterTensor[]) {
    for (const tensor of tensors) this.tallies.set(tensor.name, { tensor, checked: 0, failed: 0, skipped: 0, unresolved: 0, worst: null });
  }

  /** Adds a part's tensor `part` to target tensor `target`; `relabel` moves its entries there. */
  addTensor(target: string, part: TensorReport, relabel: (e: EntryCheck) => EntryCheck): void {
    const t = this.tallies.get(target);
    if (t === undefined) throw new RangeError(`MergedReport: no tensor ${target}`);
    t.checked += part.checked;
    t.failed += part.failed;
    t.skipped += part.skipped;
    t.unresolved += part.unresolved;
    if (part.worst !== null && (t.worst === null || severity(part.worst) > severity(t.worst))) t.worst = relabel(part.worst);
  }

  /** Adds a part report's failing and unresolved entries, relabelled, and remembers its settings. */
  addEntries(part: GradientReport, relabel: (e: EntryCheck) => EntryCheck): void {
    this.first ??= part;
    for (const e of part.failures) this.failures.push(relabel(e));
    for (const e of part.unresolved) this.unresolved.push(relabel(e));
  }

  build(label: string | undefined): GradientReport {
    const first = this.first;
    if (first === undefined) throw new RangeError('MergedReport: no part added');
    const tensors: TensorReport[] = [...this.tallies.values()].map((t) => ({
      name: t.tensor.name,
      layer: t.tensor.layer,
      kind: t.tensor.kind,
      rows: t.tensor.rows,
      cols: t.tensor.cols,
      checked: t.checked,
      failed: t.failed,
      skipped: t.skipped,
      unresolved: t.unresolved,
      worst: t.worst,
      verdict: tensorVerdict(t.checked, t.failed, t.skipped, t.unresolved),
    }));
    const counts = tensors.reduce(
      (acc, t) => ({ checked: acc.checked + t.checked, failed: acc.failed + t.failed, skipped: acc.skipped + t.skipped, unresolved: acc.unresolved + t.unresolved }),
      { checked: 0, failed: 0, skipped: 0, unresolved: 0 },
    );
    return {
      verdict: overallVerdict(tensors, this.failures.length),
      strategy: first.strategy,
      label,
      seed: first.seed,
      tolerances: first.tolerances,
      precision: first.precision,
      levels: first.levels,
      tensors,
      failures: this.failures,
      unresolved: this.unresolved,
      counts,
    };
  }
}
