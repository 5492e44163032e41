/**
 * `checkVjp` (strategy `full`) for a function answered asynchronously in batches (a worker's): the VJP
 * is the gradient of ⟨f(x), ȳ⟩ for the same seeded cotangent, checked by `checkLossInBlocks` (the same
 * estimator, tally and judge as `checkLoss`), so memory stays bounded and the event loop runs between
 * batches. Gives the same report as `checkVjp` on the same function (test/functions/vjp-in-blocks.test.ts).
 */
import { layoutSlots, packTensors, slotTensors, type TensorSlot } from './differentiable-function.js';
import { readNamedTensors } from './function-inputs.js';
import type { FunctionReport } from './function-report.js';
import { locateInputEntry } from './locate.js';
import { checkLossInBlocks } from './loss-in-blocks.js';
import { drawTensors } from './random-tensors.js';
import { toTensor, type NamedTensors, type Tensor, type TensorLike } from './tensor.js';
import type { CheckOptions } from '../strategies/check-options.js';

/** f's outputs at each of a batch of inputs, in order; and the VJP rule, both possibly asynchronous. */
export interface BatchedVjpProblem {
  readonly evaluate: (inputs: readonly NamedTensors[]) => Promise<readonly Readonly<Record<string, TensorLike>>[]>;
  readonly vjp: (inputs: NamedTensors, cotangent: NamedTensors) => Promise<Readonly<Record<string, TensorLike>>>;
  readonly inputs: NamedTensors;
  readonly wrt: readonly string[];
  readonly name: string;
}

/** Checks the VJP of a batched function against finite differences of ⟨f(x), ȳ⟩, entry by entry. */
export async function checkVjpInBlocks(where: string, problem: BatchedVjpProblem, options: CheckOptions = {}): Promise<FunctionReport> {
  const { inputs, wrt, name } = problem;
  const laid = layoutSlots(wrt.map((n) => ({ name: n, shape: inputs[n].shape })));
  const point = packTensors(laid.slots, inputs, laid.size);
  let evaluations = 0;
  let outputSlots: TensorSlot[] | undefined;
  let ybar: Float64Array = new Float64Array(0);
  const seed = options.seed ?? 0;
  const inputsAt = (theta: Float64Array): NamedTensors => {
    const named: Record<string, Tensor> = { ...inputs };
    for (const s of laid.slots) named[s.name] = { shape: s.shape, data: theta.slice(s.offset, s.offset + s.size) };
    return named;
  };
  const outputsOf = (result: Readonly<Record<string, TensorLike>>): Record<string, Tensor> =>
    Object.fromEntries(Object.entries(result).map(([k, v]) => [k, toTensor(where, `f output ${k}`, v)]));
  // ⟨f(θ), ȳ⟩ summed in the output layout's order, as checkVjp's loss sums it.
  const inner = (outputs: Record<string, Tensor>): number => {
    let g = 0;
    for (const s of outputSlots!) {
      const t = outputs[s.name];
      if (t === undefined || t.data.length !== s.size) return NaN;
      for (let k = 0; k < s.size; k++) g += t.data[k] * ybar[s.offset + k];
    }
    return g;
  };
  const first = outputsOf((await problem.evaluate([inputs]))[0]);
  evaluations++;
  outputSlots = layoutSlots(Object.keys(first).map((n) => ({ name: n, shape: first[n].shape }))).slots;
  const cotangent = drawTensors(outputSlots, seed, 'cotangent');
  ybar = packTensors(outputSlots, cotangent, outputSlots.reduce((a, s) => a + s.size, 0));
  const claimedTensors = readNamedTensors(where, 'vjp(inputs, cotangent)', await problem.vjp(inputs, cotangent), laid.slots, undefined, Object.keys(inputs));
  const claimed = packTensors(laid.slots, claimedTensors, laid.size);
  const loss = async (points: readonly Float64Array[]): Promise<number[]> => {
    const answers = await problem.evaluate(points.map(inputsAt));
    evaluations += points.length;
    return answers.map((a) => inner(outputsOf(a)));
  };
  const label = options.label ?? `${name} VJP, random cotangent (seed ${seed})`;
  const report = await checkLossInBlocks({ loss, point, claimed, tensors: slotTensors(laid.slots) }, { ...options, label }, where);
  const located = [...report.failures, ...report.unresolved].map((e) => locateInputEntry(laid.slots, e));
  return { ...report, check: 'vjp', function: name, evaluations, drawSeed: seed, located };
}
