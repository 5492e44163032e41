// conventionHints: for a failed check, which declared convention would make it pass. Each
// implementation below is the hand-written backprop of examples/typescript with its output re-shaped
// the way real code differs (negated, an update, another loss, transposed weights); expected texts
// follow the wording of issue 5.
import { describe, expect, it } from 'vitest';
import { checkImplementationCase, defineImplementation, type Conventions, type GradientCase, type GradientResult, type Reduction } from '../../src/index.js';
import { conventionHints } from '../../src/adapters/convention-hints.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { buggyHandWrittenBackprop, handWrittenBackprop } from '../../examples/typescript/hand-written-backprop.js';
import { networkCase } from '../workers/cases.js';

type Rows = number[][];
const transpose = (a: Rows): Rows => a[0].map((_, j) => a.map((row) => row[j]));

/**
 * The hand-written backprop with its result transformed and its case's loss optionally replaced.
 * `transposed` is an implementation in the other layout: it reads the case's W transposed and returns
 * its gradients in that layout (only square weights get through without a shape error).
 */
function variant(options: { scale?: number; transposed?: boolean; reduction?: Reduction; conventions?: Partial<Conventions>; nudge?: boolean }) {
  return defineImplementation({
    name: 'variant',
    conventions: options.conventions ?? {},
    async gradients(c: GradientCase): Promise<GradientResult> {
      const read = options.transposed ? { ...c, parameters: c.parameters.map((p) => ({ ...p, W: transpose(p.W) })) } : c;
      const r = await handWrittenBackprop.gradients(options.reduction ? { ...read, reduction: options.reduction } : read);
      const s = options.scale ?? 1;
      const parameters = r.parameters.map((p, l) => {
        const W = p.W.map((row, i) => row.map((v, j) => s * v * (options.nudge && l === 0 && i === 0 && j === 0 ? 1.01 : 1)));
        return { W: options.transposed ? transpose(W) : W, b: p.b?.map((v) => s * v) };
      });
      return { parameters, loss: r.loss };
    },
  });
}

const hidden = { outputs: 4, activation: 'sigmoid' as const };
async function hints(impl: ReturnType<typeof variant>, reduction: Reduction, layers = [hidden, { outputs: 2, activation: 'identity' as const }], inputs = 3, batch = 3) {
  const nc = networkCase(50, inputs, layers, batch, reduction);
  const result = await checkImplementationCase(impl, nc, { seed: 50, nextId: idCounter() });
  expect(result.verdict).toBe('fail');
  return conventionHints(result).map((h) => h.text);
}

describe('conventionHints', () => {
  it('says nothing for a check that passed', async () => {
    const nc = networkCase(50, 3, [hidden, { outputs: 2, activation: 'identity' }], 3, 'mean');
    expect(conventionHints(await checkImplementationCase(handWrittenBackprop, nc, { seed: 50, nextId: idCounter() }))).toEqual([]);
  });

  it('negated gradients', async () => {
    expect(await hints(variant({ scale: -1 }), 'mean')).toEqual(["these match if negated — declare returns: 'negative-gradient'"]);
    expect(await hints(variant({ conventions: { returns: 'negative-gradient' } }), 'mean')).toEqual(["these match if negated — declare returns: 'gradient'"]);
  });

  it('an update −rate·gradient declared as a gradient, or with another rate', async () => {
    expect(await hints(variant({ scale: -0.05 }), 'mean')).toEqual(["these match if read as updates −0.05·gradient — declare returns: 'update', learningRate: 0.05"]);
    expect(await hints(variant({ scale: -0.05, conventions: { returns: 'update', learningRate: 0.1 } }), 'mean')).toEqual([
      'these match if read as updates with learning rate 0.05, not 0.1 — declare learningRate: 0.05',
    ]);
    expect(await hints(variant({ conventions: { returns: 'update', learningRate: 0.1 } }), 'mean')).toEqual([
      "these match if read as plain gradients, not updates — declare returns: 'gradient'",
    ]);
  });

  it('a factor 2 or ½ between the sum and half-sum losses', async () => {
    expect(await hints(variant({ reduction: 'sum' }), 'half-sum')).toEqual([
      "these match if read as gradients of the 'sum' loss, 2 × the 'half-sum' loss — declare reduction: 'sum'",
    ]);
    expect(await hints(variant({ reduction: 'half-sum' }), 'sum')).toEqual([
      "these match if read as gradients of the 'half-sum' loss, ½ × the 'sum' loss — declare reduction: 'half-sum'",
    ]);
  });

  it('a factor of the element count, or of the batch size with one output (mean versus sum)', async () => {
    expect(await hints(variant({ reduction: 'sum' }), 'mean')).toEqual([
      "these match if read as gradients of the 'sum' loss, 6 × the 'mean' loss (the 3×2 element count) — declare reduction: 'sum'",
    ]);
    expect(await hints(variant({ reduction: 'half-sum' }), 'mean', [hidden, { outputs: 1, activation: 'identity' }], 3, 5)).toEqual([
      "these match if read as gradients of the 'half-sum' loss, 2.5 × the 'mean' loss (half the batch size) — declare reduction: 'half-sum'",
    ]);
    expect(await hints(variant({ reduction: 'mean' }), 'sum', [hidden, { outputs: 1, activation: 'identity' }], 3, 4)).toEqual([
      "these match if read as gradients of the 'mean' loss, 1/4 × the 'sum' loss (1 over the batch size) — declare reduction: 'mean'",
    ]);
  });

  it('per-sample implementations: the per-row sums are re-weighted like the loss', async () => {
    const perSample = variant({ reduction: 'sum', conventions: { batch: 'per-sample' } });
    expect(await hints(perSample, 'mean')).toEqual([
      "these match if read as gradients of the 'sum' loss, 6 × the 'mean' loss (the 3×2 element count) — declare reduction: 'sum'",
    ]);
  });

  it('transposed square weights, alone or with another difference', async () => {
    const square = [{ outputs: 3, activation: 'sigmoid' as const }, { outputs: 3, activation: 'identity' as const }];
    expect(await hints(variant({ transposed: true }), 'mean', square)).toEqual(["these match if the weights are read transposed — declare weightLayout: 'out-in'"]);
    expect(await hints(variant({ transposed: true, scale: -1 }), 'mean', square)).toEqual([
      "these match if the weights are read transposed and negated — declare weightLayout: 'out-in', returns: 'negative-gradient'",
    ]);
  });

  it('three differences at once; the returned loss tells a reduction factor from a learning rate', async () => {
    const square = [{ outputs: 3, activation: 'sigmoid' as const }, { outputs: 3, activation: 'identity' as const }];
    // −0.1 × 2 could be read as an update with rate 0.2, but then the loss (a plain sum) would not match.
    expect(await hints(variant({ transposed: true, scale: -0.1, reduction: 'sum' }), 'half-sum', square)).toEqual([
      "these match if the weights are read transposed and read as updates −0.1·gradient and read as gradients of the 'sum' loss, 2 × the 'half-sum' loss — " +
        "declare weightLayout: 'out-in', returns: 'update', learningRate: 0.1, reduction: 'sum'",
    ]);
  });

  it('suggests nothing when no convention makes every entry pass', async () => {
    expect(await hints(variant({ scale: -1, nudge: true }), 'mean')).toEqual([]); // negated, and one entry 1% off
    expect(await hints(buggyHandWrittenBackprop as ReturnType<typeof variant>, 'mean')).toEqual([]);
  });
});
