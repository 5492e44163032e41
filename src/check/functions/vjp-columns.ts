/**
 * A VJP as a column check (column-check.ts): the one checked scalar is g(x) = ⟨f(x), ȳ⟩, summed in the
 * output layout's order, and its claimed gradient is the rule's VJP. Used by `checkVjp` in process
 * (driven synchronously) and by `checkVjpInBlocks` for a worker (driven one batch at a time).
 */
import type { ResolvedCheckOptions } from '../strategies/check-options.js';
import { checkColumns, type ColumnCheck, type ColumnProgress } from './column-check.js';
import { ColumnTallies, functionFields, newProgress } from './column-report.js';
import { slotTensors, type TensorSlot } from './differentiable-function.js';
import type { FunctionReport } from './function-report.js';
import { locateInputEntry } from './locate.js';

/** What a VJP column check needs: θ₀ and f(θ₀) flat, ȳ, the claimed VJP, and the input layout. */
export interface VjpColumns {
  readonly point: Float64Array;
  readonly output0: Float64Array;
  readonly ybar: Float64Array;
  readonly claimed: Float64Array;
  readonly inputSlots: readonly TensorSlot[];
  readonly name: string;
  /** The random cotangent's seed, when it was drawn. */
  readonly drawSeed?: number;
  /** Calls of f so far, read when the report is built (the caller counts its calls). */
  evaluations(): number;
}

/** The check and its progress (read it when the check is interrupted). */
export function vjpColumnCheck(v: VjpColumns, s: ResolvedCheckOptions): { check: ColumnCheck<FunctionReport>; progress: ColumnProgress } {
  const progress = newProgress(v.point.length);
  return { check: run(v, s, progress), progress };
}

function* run(v: VjpColumns, s: ResolvedCheckOptions, progress: ColumnProgress): ColumnCheck<FunctionReport> {
  const tensors = slotTensors(v.inputSlots);
  const tallies = new ColumnTallies(tensors, s);
  const tallyAt = new Int32Array(v.point.length);
  tensors.forEach((t, k) => tallyAt.fill(k, v.inputSlots[k].offset, v.inputSlots[k].offset + v.inputSlots[k].size));
  const { ybar } = v;
  const outcome = yield* checkColumns(
    {
      point: v.point,
      output0: v.output0,
      quantities: 1,
      reduce: (out, into) => {
        let g = 0;
        for (let k = 0; k < out.length; k++) g += out[k] * ybar[k];
        into[0] = g;
      },
      claimed: v.claimed,
      tallyOf: (_r, j) => ({ tally: tallies.tallies[tallyAt[j]], index: j }),
      onUnresolved: (_r, j, steps, estimates) => tallies.sequence(tensors[tallyAt[j]].name, j, steps, estimates),
    },
    s,
    progress,
  );
  const report = tallies.report(outcome);
  const located = [...report.failures, ...report.unresolved].map((e) => tallies.withSequence(locateInputEntry(v.inputSlots, e)));
  return { ...report, ...functionFields('vjp', v.name, v.evaluations(), outcome), ...(v.drawSeed !== undefined ? { drawSeed: v.drawSeed } : {}), located };
}
