/**
 * The alternative backward passes against closed forms derived by hand for one-unit networks.
 * [1 → sigmoid 1], batch 1, MSE sum: z = wx + b, a = σ(z), dL/db = 2(a − y)·D, dL/dw = dL/db·x, where D is
 * σ'(z) = a(1 − a) when correct and the mistaken factor otherwise.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import type { NetworkCase } from '../../src/check/objective/network-objective.js';
import { variantGradients, type DerivativeMistake } from '../../src/diagnosis/backward-variant.js';

const s = (t: number): number => 1 / (1 + Math.exp(-t));

describe('derivative mistakes on [1 → sigmoid 1]', () => {
  const [w, b, x, y] = [0.8, -0.3, 1.5, 0.2];
  const z = w * x + b;
  const a = s(z);
  const nc: NetworkCase = {
    network: new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'sigmoid' }] }),
    params: Float64Array.from([w, b]),
    inputs: matrixFromRows([[x]]),
    targets: matrixFromRows([[y]]),
    reduction: 'sum',
  };
  const factors: [DerivativeMistake, string, number][] = [
    ['missing', '1', 1],
    ['of-activation', "σ'(a) = σ(a)(1 − σ(a))", s(a) * (1 - s(a))],
    ['activation-value', 'a', a],
    ['formula-on-z', 'z(1 − z)', z * (1 - z)],
    ['squared', "σ'(z)²", (a * (1 - a)) ** 2],
    ['zeroed-beyond', '0 (cut-off below |z|)', 0],
  ];
  it.each(factors)('%s: D = %s', (mistake, _formula, D) => {
    const g = variantGradients(nc, { derivative: { mistake, layers: [1], cutoff: Math.abs(z) / 2 } });
    expect(g.parameters[1]).toBeCloseTo(2 * (a - y) * D, 14);
    expect(g.parameters[0]).toBeCloseTo(2 * (a - y) * D * x, 14);
  });

  it("the correct pass uses D = σ'(z) = a(1 − a)", () => {
    expect(variantGradients(nc, {}).parameters[1]).toBeCloseTo(2 * (a - y) * a * (1 - a), 15);
  });
});

describe('propagation mistakes on [1 → identity 1 → identity 1], MSE half-sum', () => {
  // ŷ = w₂(w₁x + b₁) + b₂, e = ŷ − y; correct: dw₂ = e·a₁, dw₁ = e·w₂·x, db₁ = e·w₂.
  const [w1, b1, w2, b2, x, y] = [0.7, 0.1, -1.3, 0.4, 2, 0.5];
  const a1 = w1 * x + b1;
  const e = w2 * a1 + b2 - y;
  const nc: NetworkCase = {
    network: new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'identity' }, { outputs: 1, activation: 'identity' }] }),
    params: Float64Array.from([w1, b1, w2, b2]),
    inputs: matrixFromRows([[x]]),
    targets: matrixFromRows([[y]]),
    reduction: 'half-sum',
  };

  it('updated weights: the error reaches layer 1 through w₂ − η·e·a₁', () => {
    const g = variantGradients(nc, { propagate: 'updated-weights', learningRate: 0.1 });
    expect(g.parameters[2]).toBeCloseTo(e * a1, 14);
    expect(g.parameters[0]).toBeCloseTo(e * (w2 - 0.1 * e * a1) * x, 14);
  });

  it("the previous layer's weights: the error reaches layer 1 through w₁", () => {
    expect(variantGradients(nc, { propagate: 'previous-layer-weights' }).parameters[0]).toBeCloseTo(e * w1 * x, 14);
  });

  it('dL/dx = e·w₂·w₁ when correct', () => {
    expect(variantGradients(nc, {}).inputs[0]).toBeCloseTo(e * w2 * w1, 14);
  });
});

describe('batch mistakes on [1 → identity 1], batch 2, MSE sum', () => {
  // ŷₙ = w·xₙ + b, eₙ = 2(ŷₙ − yₙ); correct db = e₀ + e₁, dw = e₀x₀ + e₁x₁.
  const [w, b] = [0.5, -0.2];
  const xs = [1, -3];
  const ys = [0.25, 1];
  const es = xs.map((x, n) => 2 * (w * x + b - ys[n]));
  const nc: NetworkCase = {
    network: new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'identity' }] }),
    params: Float64Array.from([w, b]),
    inputs: matrixFromRows(xs.map((x) => [x])),
    targets: matrixFromRows(ys.map((t) => [t])),
    reduction: 'sum',
  };
  it('bias from the first sample: db = e₀, dw unchanged', () => {
    const g = variantGradients(nc, { biasGradient: 'first-sample' });
    expect(g.parameters[1]).toBeCloseTo(es[0], 14);
    expect(g.parameters[0]).toBeCloseTo(es[0] * xs[0] + es[1] * xs[1], 14);
  });
  it('bias averaged: db = (e₀ + e₁)/2', () => {
    expect(variantGradients(nc, { biasGradient: 'mean' }).parameters[1]).toBeCloseTo((es[0] + es[1]) / 2, 14);
  });
  it('last sample only: dw = e₁x₁, db = e₁', () => {
    const g = variantGradients(nc, { weightGradient: 'last-sample' });
    expect(g.parameters[0]).toBeCloseTo(es[1] * xs[1], 14);
    expect(g.parameters[1]).toBeCloseTo(es[1], 14);
  });
});

describe('the newer derivative mistakes, by hand', () => {
  const [w, b, x, y] = [0.8, -0.3, 1.5, 0.2];
  const z = w * x + b;
  const a = s(z);
  const sigmoidCase = (relu: boolean): NetworkCase => ({
    network: new Network({ inputs: 1, layers: [{ outputs: 1, activation: relu ? 'relu' : 'sigmoid' }] }),
    params: Float64Array.from([w, relu ? -2 : b]),
    inputs: matrixFromRows([[x]]),
    targets: matrixFromRows([[y]]),
    reduction: 'sum',
  });
  const D = (nc: NetworkCase, derivative: Parameters<typeof variantGradients>[1]['derivative']) => {
    const g = variantGradients(nc, { derivative }).parameters[1];
    const pred = nc.network.prediction(nc.network.forward(nc.params, nc.inputs))[0];
    return g / (2 * (pred - y));
  };
  it("sigmoid: scaled 3 gives 3σ', tanh's formula 1 − a², the step 1 (z > 0), a floor 0.3 gives max(σ', 0.3)", () => {
    const nc = sigmoidCase(false);
    expect(D(nc, { mistake: 'scaled', layers: [1], factor: 3 })).toBeCloseTo(3 * a * (1 - a), 14);
    expect(D(nc, { mistake: 'tanh-formula', layers: [1] })).toBeCloseTo(1 - a * a, 14);
    expect(D(nc, { mistake: 'step', layers: [1] })).toBe(z > 0 ? 1 : 0);
    expect(D(nc, { mistake: 'floored', layers: [1], floor: 0.3 })).toBeCloseTo(Math.max(a * (1 - a), 0.3), 14);
  });
  it('relu at z = 0.8·1.5 − 2 < 0: leaky slope 0.1 gives 0.1, the inverted mask 1, the negated sign −0 (0)', () => {
    const nc = sigmoidCase(true);
    expect(D(nc, { mistake: 'leaky', layers: [1], slope: 0.1 })).toBeCloseTo(0.1, 14);
    expect(D(nc, { mistake: 'inverted-mask', layers: [1] })).toBeCloseTo(1, 14);
    expect(Math.abs(D(nc, { mistake: 'negated-relu', layers: [1] }))).toBe(0);
  });
  it('only: a sigmoid-only mistake leaves a relu layer alone', () => {
    const nc = sigmoidCase(true);
    expect(variantGradients(nc, { derivative: { mistake: 'missing', layers: [1], only: 'sigmoid' } }).parameters).toEqual(variantGradients(nc, {}).parameters);
  });
});

describe('bias and weight mistakes on [1 → identity 2], batch 2, MSE sum', () => {
  // ŷₙⱼ = w_j·xₙ + b_j, eₙⱼ = 2(ŷₙⱼ − yₙⱼ): db without an axis is Σₙⱼ eₙⱼ in every entry; over the wrong axis db_j = Σ_i e_{j,i}.
  const w = [0.5, -1];
  const bb = [0.1, 0.2];
  const xs = [1, -2];
  const ys = [[0.3, -0.4], [1, 0.5]];
  const e = xs.map((x, n) => w.map((wj, j) => 2 * (wj * x + bb[j] - ys[n][j])));
  const nc: NetworkCase = {
    network: new Network({ inputs: 1, layers: [{ outputs: 2, activation: 'identity' }] }),
    params: Float64Array.from([...w, ...bb]),
    inputs: matrixFromRows(xs.map((x) => [x])),
    targets: matrixFromRows(ys),
    reduction: 'sum',
  };
  it('summed without an axis', () => {
    const total = e.flat().reduce((p, q) => p + q, 0);
    expect([...variantGradients(nc, { biasGradient: 'total' }).parameters.subarray(2)].map((v) => v - total).every((v) => Math.abs(v) < 1e-14)).toBe(true);
  });
  it('summed over the wrong axis (batch 2 = outputs 2)', () => {
    const g = variantGradients(nc, { biasGradient: 'wrong-axis' }).parameters;
    expect(g[2]).toBeCloseTo(e[0][0] + e[0][1], 14);
    expect(g[3]).toBeCloseTo(e[1][0] + e[1][1], 14);
  });
  it('weights averaged: dw_j = Σₙ eₙⱼxₙ / 2, db summed; weight decay λ = 0.01 adds 0.01·w_j', () => {
    const avg = variantGradients(nc, { weightGradient: 'mean' }).parameters;
    expect(avg[0]).toBeCloseTo((e[0][0] * xs[0] + e[1][0] * xs[1]) / 2, 14);
    expect(avg[2]).toBeCloseTo(e[0][0] + e[1][0], 14);
    const decay = variantGradients(nc, { weightDecay: 0.01 }).parameters;
    expect(decay[1]).toBeCloseTo(e[0][1] * xs[0] + e[1][1] * xs[1] + 0.01 * w[1], 14);
    expect(decay[3]).toBeCloseTo(e[0][1] + e[1][1], 14);
  });
});
