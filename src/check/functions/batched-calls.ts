/**
 * Runs a synchronous function check against a function (and its rules) answered asynchronously in
 * batches, such as a worker process. The check runs against a cache; a call it makes that is not
 * cached yet is recorded and answered with a stand-in (f at the checked point, zero gradients), the
 * recorded calls are fetched in one batch, and the check is re-run until it makes no uncached call.
 * The check is deterministic, so every run follows the real one up to its first uncached call, which
 * it records: each round adds at least one call of the real run, and the last run is the real one,
 * with every value real. This is `CachedObjective`'s scheme (adapters/cached-objective.ts), one level up:
 * whole function calls instead of loss values.
 */
import { GradcheckError } from '../../errors.js';
import { CheckInterrupted } from './drive.js';
import type { DifferentiableFunction } from './differentiable-function.js';
import type { NamedTensors, Tensor, TensorLike } from './tensor.js';

/** What is asked of the batch source: f's outputs, a VJP for a cotangent, or a JVP for a tangent. */
export type BatchedOp = 'evaluate' | 'vjp' | 'jvp';

/** One call to answer: f's inputs and, for `vjp` and `jvp`, the cotangent or tangent. */
export interface BatchedCall {
  readonly op: BatchedOp;
  readonly inputs: NamedTensors;
  readonly vector?: NamedTensors;
}

/** Answers calls in one batch, in order: outputs for `evaluate`, gradients by input for `vjp`, products by output for `jvp`. */
export type BatchSource = (calls: readonly BatchedCall[]) => Promise<Readonly<Record<string, TensorLike>>[]>;

/** The synchronous stand-ins a check is run with. */
export interface BatchedRules {
  readonly f: DifferentiableFunction;
  readonly vjp: (inputs: NamedTensors, cotangent: NamedTensors) => Readonly<Record<string, TensorLike>>;
  readonly jvp: (inputs: NamedTensors, tangent: NamedTensors) => Readonly<Record<string, TensorLike>>;
}

/**
 * A guard against a check that never settles (it cannot happen for a deterministic check, which adds
 * one real call per round at least): far above the rounds a check takes, one per step scale it uses.
 */
export const MAX_BATCH_ROUNDS = 10_000;

/**
 * Runs `check` until every call it makes is answered by `source`; returns its result, the calls fetched
 * and the rounds taken. An aborted `signal` stops it between rounds (`CheckInterrupted`).
 */
export async function runBatched<R>(where: string, inputs: NamedTensors, source: BatchSource, signal: AbortSignal | undefined, check: (rules: BatchedRules) => R): Promise<{ result: R; calls: number; rounds: number }> {
  const cache = new Map<string, Readonly<Record<string, TensorLike>>>();
  const [base] = await source([{ op: 'evaluate', inputs: copy(inputs) }]);
  cache.set(keyOf('evaluate', inputs), base);
  let calls = 1;
  const pending = new Map<string, BatchedCall>();
  const zerosLike = (named: Readonly<Record<string, TensorLike>>): Record<string, Tensor> =>
    Object.fromEntries(Object.entries(named).map(([k, v]) => {
      const t = v instanceof Float64Array ? { shape: [v.length], data: v } : v;
      return [k, { shape: t.shape, data: new Float64Array(t.data.length) }];
    }));
  const ask = (op: BatchedOp, x: NamedTensors, vector: NamedTensors | undefined, standIn: () => Readonly<Record<string, TensorLike>>) => {
    const key = keyOf(op, x, vector);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (!pending.has(key)) pending.set(key, { op, inputs: copy(x), ...(vector !== undefined ? { vector: copy(vector) } : {}) });
    return standIn();
  };
  const rules: BatchedRules = {
    f: (x) => ask('evaluate', x, undefined, () => base),
    vjp: (x, cotangent) => ask('vjp', x, cotangent, () => zerosLike(x)),
    jvp: (x, tangent) => ask('jvp', x, tangent, () => zerosLike(base)),
  };
  for (let round = 1; round <= MAX_BATCH_ROUNDS; round++) {
    const result = check(rules);
    if (pending.size === 0) return { result, calls, rounds: round };
    const batch = [...pending.entries()];
    pending.clear();
    if (signal?.aborted) throw new CheckInterrupted(where, signal.reason);
    let answers: Readonly<Record<string, TensorLike>>[];
    try {
      answers = await source(batch.map(([, c]) => c));
    } catch (error) {
      if (signal?.aborted) throw new CheckInterrupted(where, signal.reason);
      throw error;
    }
    batch.forEach(([key], k) => cache.set(key, answers[k]));
    calls += batch.length;
  }
  throw new GradcheckError(where, `the check did not settle in ${MAX_BATCH_ROUNDS} rounds of batched calls`);
}

function copy(named: NamedTensors): NamedTensors {
  return Object.fromEntries(Object.entries(named).map(([k, t]) => [k, { shape: [...t.shape], data: Float64Array.from(t.data) }]));
}

/** A call's identity: the op and every tensor's name, shape and exact bits. */
function keyOf(op: BatchedOp, x: NamedTensors, vector?: NamedTensors): string {
  const part = (named: NamedTensors) =>
    Object.keys(named)
      .sort()
      .map((k) => `${k}:${named[k].shape.join('x')}:${Buffer.from(named[k].data.buffer, named[k].data.byteOffset, named[k].data.byteLength).toString('base64')}`)
      .join('|');
  return `${op}#${part(x)}${vector !== undefined ? `#${part(vector)}` : ''}`;
}
