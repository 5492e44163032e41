/**
 * Runs a `ColumnCheck` (column-check.ts): synchronously against an in-process function, or against a
 * batch source (a worker) with one await per batch, checking an `AbortSignal` before every batch so
 * that an interrupt stops the check within one batch (a batch is bounded by `MAX_BATCH_NUMBERS`).
 */
import { GradcheckError } from '../../errors.js';
import { pointOf, type ColumnCheck, type OutputBatch, type PointBatch } from './column-check.js';

/** Thrown by `driveAsync` when its signal is aborted: the check stopped between two batches. */
export class CheckInterrupted extends GradcheckError {
  constructor(
    where: string,
    readonly reason: unknown,
  ) {
    super(where, `interrupted (${String(reason)}) between two batches of calls`);
  }
}

/**
 * Runs the check with `evaluate` answering every point synchronously; θ is one buffer, moved and
 * restored per point (`evaluate` must not keep it).
 */
export function driveSync<R>(check: ColumnCheck<R>, point: Float64Array, evaluate: (theta: Float64Array) => Float64Array): R {
  const theta = Float64Array.from(point);
  let step = check.next();
  while (!step.done) {
    const outputs = step.value.map((move) => {
      if (move.direction !== undefined) {
        const out = evaluate(pointOf(point, move, theta));
        theta.set(point);
        return out;
      }
      theta[move.j] = point[move.j] + move.t;
      const out = evaluate(theta);
      theta[move.j] = point[move.j];
      return out;
    });
    step = check.next(outputs);
  }
  return step.value;
}

/**
 * Runs the check against `evaluate`, which answers a batch of points asynchronously; stops with
 * `CheckInterrupted` when `signal` is aborted (before a batch, or when the batch's answer fails after
 * the abort: the worker was closed under it).
 */
export async function driveAsync<R>(where: string, check: ColumnCheck<R>, evaluate: (points: PointBatch) => Promise<OutputBatch>, signal?: AbortSignal): Promise<R> {
  let step = check.next();
  while (!step.done) {
    if (signal?.aborted) throw new CheckInterrupted(where, signal.reason);
    let outputs: OutputBatch;
    try {
      outputs = await evaluate(step.value);
    } catch (error) {
      if (signal?.aborted) throw new CheckInterrupted(where, signal.reason);
      throw error;
    }
    step = check.next(outputs);
  }
  return step.value;
}
