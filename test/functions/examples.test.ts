/**
 * The bundled TypeScript examples (examples/typescript/functions/): each correct rule passes, each buggy
 * one fails at exactly the entries its bug touches, derived by hand from the bug (named in each test).
 */
import { describe, expect, it } from 'vitest';
import { checkVjp } from '../../src/check/functions/check-vjp.js';
import { gaussian, seededRandom } from '../../src/engine/random-parameters.js';
import { tanh, tanhVjp, buggyTanhVjp } from '../../examples/typescript/functions/tanh.js';
import { softmax, softmaxVjp, buggySoftmaxVjp, softmaxCrossEntropy, softmaxCrossEntropyVjp, buggySoftmaxCrossEntropyVjp } from '../../examples/typescript/functions/softmax-cross-entropy.js';
import { layerNorm, layerNormVjp, buggyLayerNormVjp } from '../../examples/typescript/functions/layer-norm.js';
import { conv1d, conv1dVjp, buggyConv1dVjp } from '../../examples/typescript/functions/conv1d.js';

function randomTensor(shape: number[], seed: string, scale = 1): { shape: number[]; data: Float64Array } {
  const random = seededRandom(seed);
  const data = new Float64Array(shape.reduce((a, d) => a * d, 1));
  for (let k = 0; k < data.length; k++) data[k] = scale * gaussian(random);
  return { shape, data };
}

/** A row-stochastic target: softmax of random logits. */
function targetDistribution(rows: number, cols: number): { shape: number[]; data: Float64Array } {
  return softmax({ z: randomTensor([rows, cols], 'target') }) as { shape: number[]; data: Float64Array };
}

const failing = (report: ReturnType<typeof checkVjp>): string[] => report.located.filter((l) => l.entry.status === 'fail').map((l) => l.label);

describe('tanh', () => {
  const inputs = { x: randomTensor([3, 4], 'tanh') };
  it('the correct rule passes', () => {
    expect(checkVjp({ f: tanh, vjp: tanhVjp, inputs }).verdict).toBe('pass');
  });
  it('forgetting the square fails at every entry (1 − t ≠ 1 − t² unless t ∈ {0, 1})', () => {
    const report = checkVjp({ f: tanh, vjp: buggyTanhVjp, inputs });
    expect(report.verdict).toBe('fail');
    expect(report.counts.failed).toBe(12);
  });
});

describe('softmax', () => {
  const inputs = { z: randomTensor([2, 5], 'softmax', 2) };
  it('the correct rule passes', () => {
    expect(checkVjp({ f: softmax, vjp: softmaxVjp, inputs }).verdict).toBe('pass');
  });
  it('dropping the coupling term fails at every entry of z (⟨ȳ, s⟩ ≠ 0 for a Gaussian ȳ)', () => {
    const report = checkVjp({ f: softmax, vjp: buggySoftmaxVjp, inputs });
    expect(report.verdict).toBe('fail');
    expect(failing(report)).toHaveLength(10);
    expect(failing(report)[0]).toBe('z[0,0]');
  });
});

describe('softmax with cross-entropy', () => {
  const inputs = { z: randomTensor([3, 4], 'logits', 3), p: targetDistribution(3, 4) };
  it('the correct rule passes, with the target held fixed', () => {
    const report = checkVjp({ f: softmaxCrossEntropy, vjp: softmaxCrossEntropyVjp, inputs, wrt: ['z'], name: 'cross-entropy' });
    expect(report.verdict).toBe('pass');
    expect(report.tensors.map((t) => t.name)).toEqual(['z']);
  });
  it('forgetting the mean (×B with B = 3) fails at every entry of z', () => {
    const report = checkVjp({ f: softmaxCrossEntropy, vjp: buggySoftmaxCrossEntropyVjp, inputs, wrt: ['z'] });
    expect(report.verdict).toBe('fail');
    expect(failing(report)).toHaveLength(12);
  });
});

describe('layer normalisation', () => {
  const inputs = { x: randomTensor([3, 6], 'ln-x', 2), gamma: randomTensor([6], 'ln-gamma'), beta: randomTensor([6], 'ln-beta') };
  it('the correct rule passes for x, γ and β', () => {
    const report = checkVjp({ f: layerNorm, vjp: layerNormVjp, inputs });
    expect(report.verdict).toBe('pass');
    expect(report.tensors.map((t) => [t.name, t.verdict])).toEqual([['x', 'pass'], ['gamma', 'pass'], ['beta', 'pass']]);
  });
  it('dropping the variance term fails in x only; γ̄ and β̄ do not use it', () => {
    const report = checkVjp({ f: layerNorm, vjp: buggyLayerNormVjp, inputs });
    expect(report.tensors.map((t) => [t.name, t.verdict])).toEqual([['x', 'fail'], ['gamma', 'pass'], ['beta', 'pass']]);
    expect(report.located.every((l) => l.input === 'x')).toBe(true);
  });
});

describe('1-D convolution', () => {
  // C_in 2, L 7, C_out 3, K 3: the bug leaves x̄[c, j] right for j < K − 1 = 2 and wrong for j = 2…6.
  const inputs = { x: randomTensor([2, 7], 'conv-x'), w: randomTensor([3, 2, 3], 'conv-w'), b: randomTensor([3], 'conv-b') };
  it('the correct rule passes for x, w and b', () => {
    expect(checkVjp({ f: conv1d, vjp: conv1dVjp, inputs }).verdict).toBe('pass');
  });
  it('the kernel loop one tap short fails at x[c, j] for exactly j ≥ K − 1', () => {
    const report = checkVjp({ f: conv1d, vjp: buggyConv1dVjp, inputs });
    const expected = [0, 1].flatMap((c) => [2, 3, 4, 5, 6].map((j) => `x[${c},${j}]`));
    expect(failing(report)).toEqual(expected);
    expect(report.tensors.map((t) => [t.name, t.verdict])).toEqual([['x', 'fail'], ['w', 'pass'], ['b', 'pass']]);
  });
});

describe('fast mode on the bundled bugs', () => {
  it('fails the buggy conv1d and layer norm too, naming x (strategy fast, as the bench times it)', () => {
    const conv = { x: randomTensor([4, 64], 'cv-x'), w: randomTensor([8, 4, 5], 'cv-w'), b: randomTensor([8], 'cv-b') };
    const report = checkVjp({ f: conv1d, vjp: buggyConv1dVjp, inputs: conv, strategy: 'fast' });
    expect(report.verdict).toBe('fail');
    expect(new Set(report.located.map((l) => l.input))).toEqual(new Set(['x']));
    const ln = { x: randomTensor([8, 16], 'ln-x'), gamma: randomTensor([16], 'ln-g'), beta: randomTensor([16], 'ln-b') };
    expect(checkVjp({ f: layerNorm, vjp: buggyLayerNormVjp, inputs: ln, strategy: 'fast' }).tensors.map((t) => t.verdict)).toEqual(['fail', 'pass', 'pass']);
    expect(checkVjp({ f: layerNorm, vjp: layerNormVjp, inputs: ln, strategy: 'fast' }).verdict).toBe('pass');
  });
});
