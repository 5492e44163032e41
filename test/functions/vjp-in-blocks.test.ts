/**
 * checkVjpInBlocks (the worker path of a full VJP check) against checkVjp on the same functions: the
 * same verdicts, counts, failing and unresolved entries and calls of f, whatever the block size.
 */
import { describe, expect, it } from 'vitest';
import { checkVjp } from '../../src/check/functions/check-vjp.js';
import { checkVjpInBlocks } from '../../src/check/functions/vjp-in-blocks.js';
import { blockEntries, MAX_BATCH_NUMBERS } from '../../src/check/functions/column-check.js';
import type { DifferentiableFunction } from '../../src/check/functions/differentiable-function.js';
import type { VjpRule } from '../../src/check/functions/check-vjp.js';
import type { NamedTensors, TensorLike } from '../../src/check/functions/tensor.js';
import { conv1d, conv1dVjp, buggyConv1dVjp } from '../../examples/typescript/functions/conv1d.js';
import { tanh, tanhVjp, buggyTanhVjp } from '../../examples/typescript/functions/tanh.js';
import { gaussian, seededRandom } from '../../src/engine/random-parameters.js';

const named = (r: Readonly<Record<string, TensorLike>> | TensorLike): Readonly<Record<string, TensorLike>> =>
  r instanceof Float64Array || 'data' in r ? { y: r as TensorLike } : (r as Readonly<Record<string, TensorLike>>);

/** The function answered asynchronously, as a worker answers it. */
function batched(f: DifferentiableFunction, vjp: VjpRule, inputs: NamedTensors, wrt: string[]) {
  let batches = 0;
  return {
    problem: {
      evaluate: async (xs: readonly NamedTensors[]) => {
        batches++;
        return xs.map((x) => named(f(x)));
      },
      vjp: async (x: NamedTensors, c: NamedTensors) => named(vjp(x, c)),
      inputs,
      wrt,
      name: 'f',
    },
    batches: () => batches,
  };
}

const random = seededRandom('blocks');
const tensor = (shape: number[]) => ({ shape, data: Float64Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => gaussian(random)) });
const convInputs = { x: tensor([2, 16]), w: tensor([4, 2, 3]), b: tensor([4]) };
const tanhInputs = { x: { shape: [5], data: Float64Array.of(0.3, -1.2, 2.5, 0, 9) } };

describe('checkVjpInBlocks', () => {
  for (const [title, f, vjp, inputs, wrt] of [
    ['correct conv1d', conv1d, conv1dVjp, convInputs, ['x', 'w', 'b']],
    ['buggy conv1d', conv1d, buggyConv1dVjp, convInputs, ['x', 'w', 'b']],
    ['correct tanh', tanh, tanhVjp, tanhInputs, ['x']],
    ['buggy tanh', tanh, buggyTanhVjp, tanhInputs, ['x']],
  ] as const) {
    it(`gives checkVjp's report on the ${title}`, async () => {
      const slow = checkVjp({ f, vjp, inputs, wrt, seed: 4 });
      const b = batched(f, vjp, inputs, [...wrt]);
      const fast = await checkVjpInBlocks('test', b.problem, { seed: 4 });
      expect(fast.verdict).toBe(slow.verdict);
      expect(fast.counts).toEqual(slow.counts);
      expect(fast.tensors).toEqual(slow.tensors);
      expect(fast.failures).toEqual(slow.failures);
      expect(fast.unresolved).toEqual(slow.unresolved);
      expect(fast.located.map((l) => l.label)).toEqual(slow.located.map((l) => l.label));
      expect(fast.lossNoise).toEqual(slow.lossNoise);
      // Calls of f: the same points (the same generator drives both).
      expect(fast.evaluations).toBe(slow.evaluations);
      // One round trip per stencil round of a block, not one per call.
      expect(b.batches()).toBeLessThan(fast.evaluations / 4);
    });
  }
  it('keeps a stage batch (3 points per entry, θ and outputs each) within MAX_BATCH_NUMBERS for any size', () => {
    for (const [n, m] of [[1, 1], [100, 10], [5000, 5000], [1e6, 1]]) expect(blockEntries(n, m, 1) * 3 * (n + m)).toBeLessThanOrEqual(Math.max(MAX_BATCH_NUMBERS, 3 * (n + m)));
    expect(blockEntries(1e7, 1, 1)).toBe(1);
  });
});
