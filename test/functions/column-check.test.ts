/**
 * The two-stage column check (src/check/functions/column-check.ts, column-stage.ts): the stage's
 * formulas on polynomials whose derivatives are known in closed form, its regime test on a kink, the
 * same verdicts and entries as `checkLoss` (the estimator alone) on the same scalar, the calls it takes,
 * a saturated case reported as checking nothing, and an unresolved entry named with its steps.
 */
import { describe, expect, it } from 'vitest';
import { StageEstimate, stageEstimateInto, stageStep, stencilOffsets } from '../../src/check/functions/column-stage.js';
import { checkVjp } from '../../src/check/functions/check-vjp.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { drawTensors } from '../../src/check/functions/random-tensors.js';
import { layoutSlots, packTensors, FlatFunction, type DifferentiableFunction } from '../../src/check/functions/differentiable-function.js';
import type { VjpRule } from '../../src/check/functions/check-vjp.js';
import type { NamedTensors, Tensor } from '../../src/check/functions/tensor.js';
import { renderFunctionReport } from '../../src/check/functions/render-function-report.js';
import { runFunctionProperty } from '../../src/runner/function-property.js';
import { tanh, tanhVjp, buggyTanhVjp } from '../../examples/typescript/functions/tanh.js';
import { softmax, softmaxCrossEntropy, softmaxCrossEntropyVjp, buggySoftmaxCrossEntropyVjp } from '../../examples/typescript/functions/softmax-cross-entropy.js';
import { conv1d, conv1dVjp, buggyConv1dVjp } from '../../examples/typescript/functions/conv1d.js';
import { layerNorm, layerNormVjp, buggyLayerNormVjp } from '../../examples/typescript/functions/layer-norm.js';
import { gaussian, seededRandom } from '../../src/engine/random-parameters.js';

const random = seededRandom('columns');
const tensor = (shape: number[], scale = 1): Tensor => ({ shape, data: Float64Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => scale * gaussian(random)) });

describe('the column stage', () => {
  it('is exact on a cubic and charges |C − D| = h²·|g‴|/6 as truncation', () => {
    // g(t) = 1 + 2t − t² + 3t³: g′(0) = 2, g‴ = 18, so D(h) = 2 + 3h² and C = 2 (the cubic through four points of a cubic).
    const g = (t: number) => 1 + 2 * t - t * t + 3 * t ** 3;
    const h = 2 ** -10;
    const e = stageEstimateInto(new StageEstimate(), g(-h), g(0), g(h), g(2 * h), h, 0);
    expect(e.value).toBeCloseTo(2, 12);
    expect(e.truncation).toBeCloseTo(3 * h * h, 15);
    // Regime: the second difference (−2) dominates the third, so the stencil is trusted.
    expect(e.converged).toBe(true);
  });
  it('rejects a stencil whose third difference outweighs its second: an odd cubic, a kink at 0.9h', () => {
    const h = 2 ** -10;
    const odd = (t: number) => 2 * t + 3 * t ** 3;
    expect(stageEstimateInto(new StageEstimate(), odd(-h), odd(0), odd(h), odd(2 * h), h, 0).converged).toBe(false);
    // g = t + max(0, t − a): |Δ³|/6h = (2a − h)/6h = 0.133 > |F − B|/2 = (h − a)/2h = 0.05 at a = 0.9h (column-stage.ts).
    const kink = (t: number) => t + Math.max(0, t - 0.9 * h);
    expect(stageEstimateInto(new StageEstimate(), kink(-h), kink(0), kink(h), kink(2 * h), h, 0).converged).toBe(false);
    // … and accepts it at a = 0.5h, where Δ³ = 0 (the judge then sees C = 1 + 0.25 and refines a claim of 1).
    const half = (t: number) => t + Math.max(0, t - 0.5 * h);
    const e = stageEstimateInto(new StageEstimate(), half(-h), half(0), half(h), half(2 * h), h, 0);
    expect(e.converged).toBe(true);
    expect(e.value).toBeCloseTo(1.25, 12);
  });
  it('steps by the power of two nearest ε^(1/3)·max(1, |x|), realised exactly, and refuses a stencil off the grid', () => {
    expect(stageStep(0.3, 'float64')).toBe(2 ** -17); // ε^(1/3) = 6.06e-6, log2 = −17.33
    expect(stageStep(1000, 'float64')).toBe(2 ** -7); // 6.06e-3, log2 = −7.37
    const out = new Float64Array(3);
    expect(stencilOffsets(0.3, 2 ** -17, 'float64', out)).toBe(true);
    expect([...out]).toEqual([-(2 ** -17), 2 ** -17, 2 ** -16]);
    // 1 − 2⁻⁵³ is the largest double below 1: x + h crosses into [1, 2), where 2⁻⁵³ steps do not exist.
    expect(stencilOffsets(1 - 2 ** -53, 2 ** -53, 'float64', out)).toBe(false);
  });
});

/** checkLoss on g = ⟨f, ȳ⟩ with checkVjp's cotangent: the estimator alone. */
function estimatorOnly(f: DifferentiableFunction, vjp: VjpRule, inputs: NamedTensors, wrt: string[], seed = 0) {
  const fn = new FlatFunction('t', f, inputs, wrt);
  const ybar = packTensors(fn.outputSlots, drawTensors(fn.outputSlots, seed, 'cotangent'), fn.outputSize);
  const cot: Record<string, Tensor> = {};
  for (const s of fn.outputSlots) cot[s.name] = { shape: s.shape, data: ybar.slice(s.offset, s.offset + s.size) };
  const claimedNamed = vjp(inputs, cot) as Record<string, Tensor>;
  const claimed = packTensors(fn.inputSlots, Object.fromEntries(Object.entries(claimedNamed).map(([k, v]) => [k, v instanceof Float64Array ? { shape: [v.length], data: v } : v])), fn.inputSize);
  const out = new Float64Array(fn.outputSize);
  const loss = (theta: Float64Array) => {
    fn.evaluate(theta, out);
    return out.reduce((a, v, k) => a + v * ybar[k], 0);
  };
  return checkLoss({ loss, point: fn.point, claimed, tensors: layoutSlots(fn.inputSlots).slots.map((s) => ({ name: s.name, layer: 0, kind: s.name, rows: 1, cols: s.size, offset: s.offset })) });
}

const scalarBox = (g: (v: number) => number, d: (v: number) => number): [DifferentiableFunction, VjpRule] => [
  ({ x }) => ({ shape: x.shape, data: x.data.map(g) }),
  ({ x }, { y }) => ({ x: x.data.map((v, i) => d(v) * y.data[i]) }),
];

describe('the column check gives the estimator’s verdicts', () => {
  const cases: [string, DifferentiableFunction, VjpRule, NamedTensors, string[]][] = [
    ['tanh', tanh, tanhVjp, { x: tensor([7]) }, ['x']],
    ['buggy tanh', tanh, buggyTanhVjp, { x: tensor([7]) }, ['x']],
    ['softmax-CE', softmaxCrossEntropy, softmaxCrossEntropyVjp, { z: tensor([3, 5]), p: softmax({ z: tensor([3, 5]) }) }, ['z']],
    ['buggy softmax-CE', softmaxCrossEntropy, buggySoftmaxCrossEntropyVjp, { z: tensor([3, 5]), p: softmax({ z: tensor([3, 5]) }) }, ['z']],
    ['conv1d', conv1d, conv1dVjp, { x: tensor([2, 8]), w: tensor([2, 2, 3]), b: tensor([2]) }, ['x', 'w', 'b']],
    ['buggy conv1d', conv1d, buggyConv1dVjp, { x: tensor([2, 8]), w: tensor([2, 2, 3]), b: tensor([2]) }, ['x', 'w', 'b']],
    ['layer norm', layerNorm, layerNormVjp, { x: tensor([2, 4]), gamma: tensor([4]), beta: tensor([4]) }, ['x', 'gamma', 'beta']],
    ['buggy layer norm', layerNorm, buggyLayerNormVjp, { x: tensor([2, 4]), gamma: tensor([4]), beta: tensor([4]) }, ['x', 'gamma', 'beta']],
    // Black boxes the stage cannot settle: kinks closer than any step, a fast wiggle, a steep transition.
    ['two kinks', ...scalarBox((v) => Math.abs(v - 1e-9) + Math.abs(v + 2e-9), () => 0), { x: Float64Array.of(0.3, 1e-6, 0) } as never, ['x']],
    ['fast sine', ...scalarBox((v) => v + 1e-7 * Math.sin(1e6 * v), () => 1), { x: Float64Array.of(0.3, 1e-6, 0) } as never, ['x']],
    ['steep tanh', ...scalarBox((v) => Math.tanh(1e5 * v), (v) => 1e5 / Math.cosh(1e5 * v) ** 2), { x: Float64Array.of(0.3, 1e-6, 0) } as never, ['x']],
  ];
  for (const [title, f, vjp, inputs, wrt] of cases) {
    it(title, () => {
      const ours = checkVjp({ f, vjp, inputs, wrt });
      const alone = estimatorOnly(f, vjp, Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v instanceof Float64Array ? { shape: [v.length], data: v } : v])), wrt);
      expect(ours.verdict).toBe(alone.verdict);
      expect(ours.counts).toEqual(alone.counts);
      expect(ours.failures.map((e) => e.index)).toEqual(alone.failures.map((e) => e.index));
      expect(ours.unresolved.map((e) => e.index)).toEqual(alone.unresolved.map((e) => e.index));
    });
  }
});

describe('calls of f', () => {
  it('softmax-CE at 32×100: every entry settled by the column stage, 3 calls an entry plus f(x) and the noise measurement', () => {
    const inputs = { z: tensor([32, 100]), p: softmax({ z: tensor([32, 100]) }) };
    const report = checkVjp({ f: softmaxCrossEntropy, vjp: softmaxCrossEntropyVjp, inputs, wrt: ['z'] });
    expect(report.verdict).toBe('pass');
    expect(report.stages).toEqual({ columnSettled: 3200, refined: 0, negligible: 0 });
    // 1 + 3·3200 + ECnoise's samples (9 a spacing, a few spacings: numerics/noise.ts).
    expect(report.evaluations).toBeGreaterThan(3 * 3200);
    expect(report.evaluations).toBeLessThanOrEqual(1 + 3 * 3200 + 9 * 5);
  });
});

describe('a case that checks nothing', () => {
  it('tanh saturated at x ≈ ±100: inconclusive, said so, a rule claiming 0 alike', () => {
    const inputs = { x: Float64Array.of(100, -120, 95, 130) };
    const zero: VjpRule = ({ x }) => ({ x: new Float64Array(x.data.length) });
    for (const vjp of [tanhVjp, zero]) {
      const report = checkVjp({ f: tanh, vjp, inputs });
      expect(report.verdict).toBe('inconclusive');
      expect(report.checksNothing).toBe(true);
      expect(report.stages!.negligible).toBe(4);
      expect(renderFunctionReport(report)).toContain("Checks nothing: every entry's claim and numeric value lie within the estimate's own uncertainty (a saturated function?)");
    }
    // A rule wrong by more than the noise is still caught there: 1 − tanh instead of 1 − tanh² is 2 at x = −120.
    expect(checkVjp({ f: tanh, vjp: buggyTanhVjp, inputs }).verdict).toBe('fail');
    // One live entry is enough to check something.
    expect(checkVjp({ f: tanh, vjp: tanhVjp, inputs: { x: Float64Array.of(100, 0.5) } }).checksNothing).toBeUndefined();
  });
  it('is counted apart by the property runner, not as a pass', async () => {
    const result = await runFunctionProperty({ name: 'tanh', f: tanh, vjp: tanhVjp, signature: { inputs: { x: { shape: ['N'] } }, dims: { N: { min: 1, max: 3 } } } }, { runs: 10, seed: 3, regimes: ['large'] });
    expect(result.checkedNothing).toBeGreaterThan(0);
    expect(result.message).toContain(`${result.checkedNothing} of 10 cases checked nothing (every entry within its own uncertainty: a saturated function), not counted as passes`);
  });
});

describe('an unresolved entry', () => {
  const [f, vjp] = scalarBox((v) => v + 1e-7 * Math.sin(1e6 * v), () => 1);
  it('is located with the steps the estimator tried and its estimate at each', () => {
    const report = checkVjp({ f, vjp, inputs: { x: Float64Array.of(0.3) } });
    expect(report.verdict).toBe('inconclusive');
    const [l] = report.located;
    expect(l.label).toBe('x[0]');
    expect(l.steps!.length).toBeGreaterThan(2);
    // Steps shrink 4× a retry (numerics/estimator.ts), largest first; each estimate is that step's central difference.
    const g = (t: number) => (0.3 + t + 1e-7 * Math.sin(1e6 * (0.3 + t))) * report.located[0].entry.claimed;
    l.steps!.forEach((h, k) => expect(l.estimates![k]).toBeCloseTo((g(h) - g(-h)) / (2 * h), 6));
    expect(renderFunctionReport(report)).toMatch(/x\[0\]: claimed .* did not converge \(last step .*\); steps tried \S+ → \S+, /);
  });
  it('makes the property run inconclusive with the case, the entry and a replay that finds it again', async () => {
    const signature = { inputs: { x: { shape: ['N'] } }, dims: { N: { min: 1, max: 2 } } } as const;
    const result = await runFunctionProperty({ name: 'wiggle', f, vjp, signature }, { runs: 5, seed: 9, regimes: ['unit'] });
    expect(result.verdict).toBe('inconclusive');
    const path = result.inconclusiveCase!.path;
    expect(result.message).toContain(`first inconclusive case: ${result.inconclusiveCase!.case.description}`);
    expect(result.message).toMatch(/\n {2}x\[\d\]: claimed .* did not converge .*; steps tried /);
    expect(result.message).toContain(`replay: GRADCHECK_SEED=9 GRADCHECK_PATH="${path}"`);
    const again = await runFunctionProperty({ name: 'wiggle', f, vjp, signature }, { runs: 5, seed: 9, path, regimes: ['unit'] });
    expect(again.inconclusiveCase!.case.description).toBe(result.inconclusiveCase!.case.description);
  });
});
