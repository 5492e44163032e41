/**
 * The function arbitraries and runFunctionProperty: shapes within the declared ranges, values in their
 * regimes, a failure shrunk to the smallest shapes, and replay from the printed seed and path.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { functionInputs, drawFunctionInputs, type FunctionSignature } from '../../src/arbitraries/function-inputs.js';
import { runFunctionProperty } from '../../src/runner/function-property.js';
import { GradcheckError } from '../../src/errors.js';
import { tanh, tanhVjp, buggyTanhVjp } from '../../examples/typescript/functions/tanh.js';
import { softmaxCrossEntropy, softmaxCrossEntropyVjp, buggySoftmaxCrossEntropyVjp } from '../../examples/typescript/functions/softmax-cross-entropy.js';
import { conv1d, buggyConv1dVjp } from '../../examples/typescript/functions/conv1d.js';

const ce: FunctionSignature = {
  inputs: { z: { shape: ['B', 'C'] }, p: { shape: ['B', 'C'], differentiable: false, values: 'probabilities' } },
  dims: { B: { min: 1, max: 4 }, C: { min: 2, max: 5 } },
};
const conv: FunctionSignature = {
  inputs: { x: { shape: ['C', 'L'] }, w: { shape: ['O', 'C', 'K'] }, b: { shape: ['O'] } },
  dims: { C: { min: 1, max: 3 }, L: { min: 4, max: 9 }, O: { min: 1, max: 3 }, K: { min: 2, max: 4 } },
};

describe('functionInputs', () => {
  it('draws shapes within the declared ranges, shared dimensions equal, targets on the simplex', () => {
    fc.assert(
      fc.property(functionInputs(ce), (c) => {
        const [b, k] = c.inputs.z.shape;
        expect(c.inputs.p.shape).toEqual([b, k]);
        expect(b >= 1 && b <= 4 && k >= 2 && k <= 5).toBe(true);
        for (let r = 0; r < b; r++) expect(Math.abs(c.inputs.p.data.slice(r * k, (r + 1) * k).reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-15);
        expect(c.wrt).toEqual(['z']);
      }),
      { numRuns: 50, seed: 1 },
    );
  });
  it('scales values by regime and puts near-kink values within 1e-6…1e-2 of a kink', () => {
    const sig: FunctionSignature = { inputs: { x: { shape: [400] } }, kinks: [0] };
    const rms = (r: 'unit' | 'large' | 'small') => Math.sqrt(drawFunctionInputs(sig, {}, r, 3).inputs.x.data.reduce((s, v) => s + v * v, 0) / 400);
    expect(rms('large') / rms('unit')).toBeCloseTo(100, 8);
    expect(rms('small') / rms('unit')).toBeCloseTo(0.01, 10);
    const near = drawFunctionInputs(sig, {}, 'near-kink', 3).inputs.x.data;
    expect(near.every((v) => Math.abs(v) >= 1e-6 && Math.abs(v) <= 1e-2)).toBe(true);
  });
  it('narrows ranges by constraints and names the ones that cannot be met', () => {
    fc.assert(fc.property(functionInputs(ce, { dims: { C: { min: 3, max: 3 } } }), (c) => c.inputs.z.shape[1] === 3), { numRuns: 20, seed: 2 });
    expect(() => functionInputs(ce, { dims: { C: { min: 7 } } })).toThrow('functionInputs: dimension C: the function takes 2…5 and the constraints ask for 7…5; the ranges do not meet');
    expect(() => functionInputs(ce, { dims: { Q: { min: 1 } } })).toThrow('functionInputs: constraints.dims.Q is not a dimension of the function; expected one of B, C');
    expect(() => functionInputs({ inputs: { x: { shape: ['N'] } } })).toThrow('functionInputs: inputs.x.shape names dimension "N", which dims does not declare');
    expect(() => functionInputs(ce, { regimes: ['near-kink'] })).toThrow('functionInputs: constraints.regimes names "near-kink" but the signature declares no kinks');
  });
});

describe('runFunctionProperty', () => {
  const tanhSig: FunctionSignature = { inputs: { x: { shape: ['N'] } }, dims: { N: { min: 1, max: 6 } } };
  it('passes correct rules', async () => {
    expect((await runFunctionProperty({ name: 'tanh', f: tanh, vjp: tanhVjp, signature: tanhSig }, { runs: 20, seed: 5 })).verdict).toBe('pass');
    expect((await runFunctionProperty({ name: 'ce', f: softmaxCrossEntropy, vjp: softmaxCrossEntropyVjp, signature: ce }, { runs: 20, seed: 5 })).verdict).toBe('pass');
  });
  it('shrinks a failure to the smallest shapes that still fail: B = 2 for a forgotten 1/B (B = 1 hides it)', async () => {
    const result = await runFunctionProperty({ name: 'ce', f: softmaxCrossEntropy, vjp: buggySoftmaxCrossEntropyVjp, signature: ce }, { runs: 30, seed: 7 });
    expect(result.verdict).toBe('fail');
    expect(result.counterexample!.case.dims).toEqual({ B: 2, C: 2 });
    expect(result.counterexample!.case.regime).toBe('unit');
    expect(result.message).toContain('counterexample: B=2, C=2, regime unit');
    expect(result.message).toContain(`replay: GRADCHECK_SEED=7 GRADCHECK_PATH="${result.path}"`);
  });
  it('shrinks the conv bug to every dimension at its minimum, and replays it from seed and path', async () => {
    const spec = { name: 'conv1d', f: conv1d, vjp: buggyConv1dVjp, signature: conv };
    const result = await runFunctionProperty(spec, { runs: 20, seed: 11 });
    expect(result.counterexample!.case.dims).toEqual({ C: 1, L: 4, O: 1, K: 2 });
    // K = 2: x̄[0, j] is wrong for j ≥ K − 1 = 1 (examples/typescript/functions/conv1d.ts).
    expect(result.counterexample!.report.located.map((l) => l.label)).toEqual(['x[0,1]', 'x[0,2]', 'x[0,3]']);
    const replayed = await runFunctionProperty(spec, { runs: 20, seed: 11, path: result.path });
    expect(replayed.counterexample!.case.description).toBe(result.counterexample!.case.description);
  });
  it('fails a bug that shows in every case on the first', async () => {
    const result = await runFunctionProperty({ name: 'tanh', f: tanh, vjp: buggyTanhVjp, signature: tanhSig }, { runs: 10, seed: 1 });
    expect(result.verdict).toBe('fail');
    expect(result.counterexample!.case.dims).toEqual({ N: 1 });
  });
  it('rejects unknown options and a spec without a check', async () => {
    await expect(runFunctionProperty({ f: tanh, vjp: tanhVjp, signature: tanhSig }, { rusn: 3 } as never)).rejects.toThrow(/^runFunctionProperty: options\.rusn is not an option of runFunctionProperty/);
    await expect(runFunctionProperty({ signature: tanhSig })).rejects.toThrow(GradcheckError);
  });
});
