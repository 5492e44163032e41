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
