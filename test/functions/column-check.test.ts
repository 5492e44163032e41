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
    const e = stageEstimateInto(new StageEstimate(), g(-h), g(0), g(h), g(2 * h), h, 2 * h, 0);
    expect(e.value).toBeCloseTo(2, 12);
    // Up to the rounding of the differences of values near 1: ε/h ≈ 2e-13.
    expect(e.truncation).toBeCloseTo(3 * h * h, 12);
    // Regime: the second difference (−2) dominates the third, so the stencil is trusted.
    expect(e.converged).toBe(true);
  });
  it('rejects a stencil whose third difference outweighs its second: an odd cubic, a kink at 0.9h', () => {
    const h = 2 ** -10;
    const odd = (t: number) => 2 * t + 3 * t ** 3;
    expect(stageEstimateInto(new StageEstimate(), odd(-h), odd(0), odd(h), odd(2 * h), h, 2 * h, 0).converged).toBe(false);
    // g = t + max(0, t − a): |Δ³|/6h = (2a − h)/6h = 0.133 > |F − B|/2 = (h − a)/2h = 0.05 at a = 0.9h (column-stage.ts).
    const kink = (t: number) => t + Math.max(0, t - 0.9 * h);
    expect(stageEstimateInto(new StageEstimate(), kink(-h), kink(0), kink(h), kink(2 * h), h, 2 * h, 0).converged).toBe(false);
    // … and accepts it at a = 0.5h, where Δ³ = 0 (the judge then sees C = 1 + 0.25 and refines a claim of 1).
    const half = (t: number) => t + Math.max(0, t - 0.5 * h);
    const e = stageEstimateInto(new StageEstimate(), half(-h), half(0), half(h), half(2 * h), h, 2 * h, 0);
    expect(e.converged).toBe(true);
    expect(e.value).toBeCloseTo(1.25, 12);
  });
  it('is the cubic through −a, 0, a, b for unequal realised offsets too', () => {
    const g = (t: number) => 1 + 2 * t - t * t + 3 * t ** 3;
    const [a, b] = [1e-3, 2.1e-3];
    expect(stageEstimateInto(new StageEstimate(), g(-a), g(0), g(a), g(b), a, b, 0).value).toBeCloseTo(2, 10);
  });
  it('steps by the estimator’s finest first-stencil step, realised as the estimator realises it', () => {
    // Levels 2: h_R = ε^(1/7)·max(1, |x|) (step.ts), finest step h_R/8.
    expect(stageStep(0.3, 'float64', 2)).toBe(Math.pow(2 ** -52, 1 / 7) / 8);
    expect(stageStep(1000, 'float64', 2)).toBe((Math.pow(2 ** -52, 1 / 7) * 1000) / 8);
    const out = new Float64Array(3);
    const h = stageStep(0.3, 'float64', 2);
    expect(stencilOffsets(0.3, h, 'float64', out)).toBe(true);
    expect([...out]).toEqual([-((0.3 + h) - 0.3), (0.3 + h) - 0.3, (0.3 + 2 * h) - 0.3]);
    // x off the float32 grid: the estimator would move it; the stage leaves such an entry to the estimator.
    expect(stencilOffsets(0.3, 2 ** -8, 'float32', out)).toBe(false);
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

describe('the column check gives the estimator’s verdicts on drawn layers', () => {
  // y = tanh(s·(A x + b)) with A 4×n, at weight scales 0.1 … 10 (saturated at the top), the rule right or one
  // entry of ∂/∂x scaled by 1 + r, r from 1e-7 (below rtol) to 1e-2.
  it('40 drawn cases: the same verdict, counts and failing entries as checkLoss alone', () => {
    const draw = seededRandom('drawn layers');
    for (let c = 0; c < 40; c++) {
      const n = 1 + (c % 6);
      const scale = [0.1, 1, 3, 10][c % 4];
      const A = Float64Array.from({ length: 4 * n }, () => gaussian(draw));
      const bias = Float64Array.from({ length: 4 }, () => gaussian(draw));
      const f: DifferentiableFunction = ({ x }) => {
        const y = new Float64Array(4);
        for (let k = 0; k < 4; k++) {
          let z = bias[k];
          for (let i = 0; i < n; i++) z += A[k * n + i] * x.data[i];
          y[k] = Math.tanh(scale * z);
        }
        return y;
      };
      const r = [0, 1e-7, 1e-4, 1e-2][Math.floor(c / 4) % 4];
      const wrong = c % n;
      const vjp: VjpRule = ({ x }, { y }) => {
        const out = f({ x }) as Float64Array;
        const g = new Float64Array(n);
        for (let k = 0; k < 4; k++) for (let i = 0; i < n; i++) g[i] += A[k * n + i] * scale * (1 - out[k] ** 2) * y.data[k];
        g[wrong] *= 1 + r;
        return { x: g };
      };
      const inputs = { x: { shape: [n], data: Float64Array.from({ length: n }, () => gaussian(draw)) } };
      const ours = checkVjp({ f, vjp, inputs });
      const alone = estimatorOnly(f, vjp, inputs, ['x']);
      expect([c, ours.verdict, ours.counts, ours.failures.map((e) => e.index)]).toEqual([c, alone.verdict, alone.counts, alone.failures.map((e) => e.index)]);
    }
  });
});

describe('calls of f', () => {
  it('softmax-CE at 32×100: most entries settled by the column stage, the small ones refined, fewer calls than the estimator alone', () => {
    const inputs = { z: tensor([32, 100]), p: softmax({ z: tensor([32, 100]) }) };
    const report = checkVjp({ f: softmaxCrossEntropy, vjp: softmaxCrossEntropyVjp, inputs, wrt: ['z'] });
    expect(report.verdict).toBe('pass');
    const { columnSettled, refined } = report.stages!;
    expect(columnSettled + refined).toBe(3200);
    expect(columnSettled).toBeGreaterThan(1600);
    // 1 + 3 a stage entry + ECnoise (≤ 46) + a refined entry's estimator stencils, minus the stage's 3 points it reuses.
    expect(report.evaluations).toBeGreaterThan(3 * 3200);
    // The estimator alone (checkLoss on the same scalar) takes 25,668 calls here (bench/compare-functions.ts, before).
    expect(report.evaluations).toBeLessThan(1 + 3 * 3200 + 46 + 10 * refined);
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
