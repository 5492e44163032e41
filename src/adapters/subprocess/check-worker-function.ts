/**
 * Checks a worker's named function at one point: its VJP (or JVP) by `checkVjp` (`checkJvp`), run against
 * the worker's answers in batches (check/functions/batched-calls.ts), so the same estimator and judge
 * decide, and a round trip carries every call one stage of the check needs.
 */
import { checkJvp } from '../../check/functions/check-jvp.js';
import { checkVjp } from '../../check/functions/check-vjp.js';
import { runBatched, type BatchedCall, type BatchedOp } from '../../check/functions/batched-calls.js';
import { checkVjpInBlocks, type BatchedProgress } from '../../check/functions/vjp-in-blocks.js';
import type { FunctionReport } from '../../check/functions/function-report.js';
import { toTensor, type NamedTensors, type Tensor, type TensorLike } from '../../check/functions/tensor.js';
import type { CheckOptions } from '../../check/strategies/check-options.js';
import type { FunctionCallCase } from './function-calls.js';
import type { WorkerImplementation } from './spawn-worker.js';

/** A worker's function at one point: which function, its inputs, and the differentiated ones. */
export interface WorkerFunctionPoint {
  readonly function: string;
  readonly inputs: Readonly<Record<string, TensorLike>>;
  readonly wrt: readonly string[];
}

/**
 * Checks the worker's `vjp` (default) or `jvp` of one function at one point; `evaluations` in the
 * report counts the `evaluate` cases the worker answered.
 *
 * @example
 * ```ts
 * const report = await checkWorkerFunction(worker, { function: 'softmax', inputs: { z }, wrt: ['z'] }, 'vjp', { seed: 1 });
 * ```
 */
export async function checkWorkerFunction(
  worker: Pick<WorkerImplementation, 'functionCalls'>,
  point: WorkerFunctionPoint,
  rule: 'vjp' | 'jvp' = 'vjp',
  options: CheckOptions = {},
  /** Stops the check between two batches (`CheckInterrupted`, check/functions/drive.ts). */
  signal?: AbortSignal,
  /** Kept up to date while the check runs: what an interrupted check had done. */
  progress: BatchedProgress = { evaluations: 0 },
): Promise<FunctionReport> {
  const inputs: NamedTensors = Object.fromEntries(Object.entries(point.inputs).map(([k, v]) => [k, toTensor('checkWorkerFunction', `inputs.${k}`, v)]));
  let evaluations = 0;
  const source = async (calls: readonly BatchedCall[]) => {
    const answers: Record<string, Tensor>[] = new Array(calls.length);
    for (const op of ['evaluate', 'vjp', 'jvp'] as BatchedOp[]) {
      const indices = calls.flatMap((c, k) => (c.op === op ? [k] : []));
      if (indices.length === 0) continue;
      const cases: FunctionCallCase[] = indices.map((k) => ({
        function: point.function,
        inputs: calls[k].inputs,
        ...(op === 'vjp' ? { cotangent: calls[k].vector } : op === 'jvp' ? { tangent: calls[k].vector } : {}),
      }));
      const results = await worker.functionCalls(op, cases);
      results.forEach((r, j) => {
        if (r instanceof Error) throw r;
        answers[indices[j]] = r;
      });
      if (op === 'evaluate') evaluations += indices.length;
    }
    return answers;
  };
  const where = `${point.function} (${rule})`;
  if (rule === 'vjp' && (options.strategy ?? 'full') === 'full') {
    // Entry by entry in blocks: bounded memory, and the event loop (signals) runs between batches.
    const one = async (call: BatchedCall) => (await source([call]))[0];
    const report = await checkVjpInBlocks(
      where,
      {
        evaluate: async (xs) => source(xs.map((x) => ({ op: 'evaluate' as const, inputs: x }))),
        vjp: async (x, cotangent) => one({ op: 'vjp', inputs: x, vector: cotangent }),
        inputs,
        wrt: point.wrt,
        name: point.function,
      },
      options,
      signal,
      progress,
    );
    return { ...report, evaluations };
  }
  const { result } = await runBatched(where, inputs, source, signal, (rules) =>
    rule === 'vjp'
      ? checkVjp({ f: rules.f, vjp: rules.vjp, inputs, wrt: point.wrt, name: point.function, ...options })
      : checkJvp({ f: rules.f, jvp: rules.jvp, inputs, wrt: point.wrt, name: point.function, ...options }),
  );
  return { ...result, evaluations };
}
