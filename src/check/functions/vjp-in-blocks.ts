/**
 * `checkVjp` (strategy `full`) for a function answered asynchronously in batches (a worker's): the same
 * column check (vjp-columns.ts, column-check.ts) driven one batch at a time (drive.ts), so memory stays
 * bounded, the event loop runs between batches, and an aborted `signal` stops the check before the next
 * batch. Gives the same report as `checkVjp` on the same function (test/functions/vjp-in-blocks.test.ts).
 */
import { layoutSlots, packTensors, type TensorSlot } from './differentiable-function.js';
import { readNamedTensors } from './function-inputs.js';
import type { FunctionReport } from './function-report.js';
import { drawTensors } from './random-tensors.js';
import { toTensor, type NamedTensors, type Tensor, type TensorLike } from './tensor.js';
import { resolveCheckOptions, type CheckOptions } from '../strategies/check-options.js';
import { GradcheckError } from '../../errors.js';
import { pointOf, type ColumnProgress, type Move } from './column-check.js';
import { driveAsync } from './drive.js';
import { vjpColumnCheck } from './vjp-columns.js';

/** f's outputs at each of a batch of inputs, in order; and the VJP rule, both possibly asynchronous. */
export interface BatchedVjpProblem {
  readonly evaluate: (inputs: readonly NamedTensors[]) => Promise<readonly Readonly<Record<string, TensorLike>>[]>;
  readonly vjp: (inputs: NamedTensors, cotangent: NamedTensors) => Promise<Readonly<Record<string, TensorLike>>>;
  readonly inputs: NamedTensors;
  readonly wrt: readonly string[];
  readonly name: string;
}

/** How far a batched check got: read it after `CheckInterrupted`. */
export interface BatchedProgress {
  progress?: ColumnProgress;
  evaluations: number;
}

/**
 * Checks the VJP of a batched function against finite differences of ⟨f(x), ȳ⟩, entry by entry.
 * `signal` stops it between batches (`CheckInterrupted`); `progress` is kept up to date for that case.
 */
export async function checkVjpInBlocks(where: string, problem: BatchedVjpProblem, options: CheckOptions = {}, signal?: AbortSignal, progress: BatchedProgress = { evaluations: 0 }): Promise<FunctionReport> {
  const { inputs, wrt, name } = problem;
  const laid = layoutSlots(wrt.map((n) => ({ name: n, shape: inputs[n].shape })));
  const point = packTensors(laid.slots, inputs, laid.size);
  const seed = options.seed ?? 0;
  const label = options.label ?? `${name} VJP, random cotangent (seed ${seed})`;
  const resolved = resolveCheckOptions({ ...options, label }, where);
  const inputsAt = (theta: Float64Array): NamedTensors => {
    const named: Record<string, Tensor> = { ...inputs };
    for (const s of laid.slots) named[s.name] = { shape: s.shape, data: theta.slice(s.offset, s.offset + s.size) };
    return named;
  };
  const first = outputsOf(where, (await problem.evaluate([inputs]))[0]);
  progress.evaluations++;
  const outputSlots = layoutSlots(Object.keys(first).map((n) => ({ name: n, shape: first[n].shape }))).slots;
  const outputSize = outputSlots.reduce((a, s) => a + s.size, 0);
  const cotangent = drawTensors(outputSlots, seed, 'cotangent');
  const ybar = packTensors(outputSlots, cotangent, outputSize);
  const claimedTensors = readNamedTensors(where, 'vjp(inputs, cotangent)', await problem.vjp(inputs, cotangent), laid.slots, undefined, Object.keys(inputs));
  const claimed = packTensors(laid.slots, claimedTensors, laid.size);
  const theta = new Float64Array(point.length);
  const evaluate = async (moves: readonly Move[]): Promise<Float64Array[]> => {
    const answers = await problem.evaluate(moves.map((m) => inputsAt(pointOf(point, m, theta))));
    progress.evaluations += moves.length;
    return answers.map((a) => flatOutputs(where, outputsOf(where, a), outputSlots, outputSize));
  };
  const { check, progress: columns } = vjpColumnCheck(
    { point, output0: flatOutputs(where, first, outputSlots, outputSize), ybar, claimed, inputSlots: laid.slots, name, drawSeed: seed, evaluations: () => progress.evaluations },
    resolved,
  );
  progress.progress = columns;
  return driveAsync(where, check, evaluate, signal);
}

function outputsOf(where: string, result: Readonly<Record<string, TensorLike>>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, toTensor(where, `f output ${k}`, v)]));
}

/** The outputs laid flat as at the checked point; a missing or reshaped output is named. */
function flatOutputs(where: string, outputs: Record<string, Tensor>, slots: readonly TensorSlot[], size: number): Float64Array {
  const flat = new Float64Array(size);
  for (const s of slots) {
    const t = outputs[s.name];
    if (t === undefined) throw new GradcheckError(where, `f returned no output ${s.name} at a shifted point; it did at the checked point`);
    if (t.data.length !== s.size) throw new GradcheckError(where, `f output ${s.name} has ${t.data.length} entries at a shifted point; it had ${s.size} at the checked point`);
    for (let k = 0; k < s.size; k++) flat[s.offset + k] = t.data[k];
  }
  for (let k = 0; k < size; k++) if (!Number.isFinite(flat[k])) throw new GradcheckError(where, `f output entry ${k} is ${flat[k]} at a shifted point; expected finite numbers`);
  return flat;
}
