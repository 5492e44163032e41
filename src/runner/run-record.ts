/**
 * What a property run keeps besides its verdict, for pictures of it (src/html): per tensor name, every
 * random case's worst |claimed − numeric| / tolerance and its entry counts; and the shrinking path,
 * every failing case in the order fast-check found it (the first random failure, then each smaller
 * case that still failed). Small: a few numbers per case and tensor.
 */
import { severity } from '../check/report/report.js';
import type { ImplementationReport } from '../adapters/check-implementation.js';
import type { GeneratedCase } from '../arbitraries/build-case.js';

/** One tensor name over a run's random cases. */
export interface TensorRatios {
  /** Per case that has the tensor and a resolved entry: its worst entry's |claimed − numeric| / tolerance (> 1 fails). */
  readonly ratios: readonly number[];
  readonly checked: number;
  readonly failed: number;
  readonly skipped: number;
  readonly unresolved: number;
}

/** One failing case on the way to the counterexample. */
export interface ShrinkStep {
  readonly description: string;
  /** The network's parameter count. */
  readonly parameters: number;
  /** Rows of the batch. */
  readonly batch: number;
  readonly layers: number;
}

/** Collects a run's per-tensor ratios and shrinking path as the runner checks cases (assert-gradients.ts). */
export class RunRecord {
  private readonly tensors = new Map<string, { ratios: number[]; checked: number; failed: number; skipped: number; unresolved: number }>();
  private readonly path: ShrinkStep[] = [];

  /** A random case checked (not a shrink candidate). */
  addCase(r: ImplementationReport): void {
    for (const t of r.report.tensors) {
      let s = this.tensors.get(t.name);
      if (s === undefined) this.tensors.set(t.name, (s = { ratios: [], checked: 0, failed: 0, skipped: 0, unresolved: 0 }));
      if (t.worst) s.ratios.push(severity(t.worst));
      s.checked += t.checked;
      s.failed += t.failed;
      s.skipped += t.skipped;
      s.unresolved += t.unresolved;
    }
  }

  /** A case that failed, while searching or shrinking. */
  addFailure(c: GeneratedCase): void {
    this.path.push({ description: c.description, parameters: c.network.parameterCount, batch: c.inputs.rows, layers: c.network.layers.length });
  }

  /** The fields of `PropertyResult` this record fills. */
  fields(): { tensorRatios?: Readonly<Record<string, TensorRatios>>; shrinkPath?: readonly ShrinkStep[] } {
    return {
      ...(this.tensors.size > 0 && { tensorRatios: Object.fromEntries(this.tensors) }),
      ...(this.path.length > 0 && { shrinkPath: [...this.path] }),
    };
  }
}
