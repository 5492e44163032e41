import { describe, expect, it } from 'vitest';
import { ReferenceBackprop } from '../../mutants/reference-backprop.js';
import type { GradientCase } from '../../src/adapters/implementation.js';

// Hand-derived closed forms for the smallest networks (written out in each test's comment).
describe('the reference backprop', () => {
  const impl = new ReferenceBackprop();

  it('[1 → identity 1], batch 2, MSE mean: dL/dw = (2/N)Σ(wx + b − y)x, dL/db = (2/N)Σ(wx + b − y)', () => {
    // w = 1, b = 0, x = (1, 2), y = (0, 0): ŷ = (1, 2); L = (1 + 4)/2 = 2.5; dL/dw = (1 + 4) = 5; dL/db = (1 + 2) = 3.
    const c: GradientCase = {
      id: 1,
      seed: 0,
      network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity' }] },
      parameters: [{ W: [[1]], b: [0] }],
      inputs: [[1], [2]],
      targets: [[0], [0]],
      reduction: 'mean',
    };
    const r = impl.gradients(c);
    expect(r.parameters[0].W[0][0]).toBeCloseTo(5, 14);
    expect(r.parameters[0].b![0]).toBeCloseTo(3, 14);
    expect(r.loss).toBeCloseTo(2.5, 14);
  });

  it("[1 → sigmoid 1], batch 1, MSE sum at z = 0: σ(0) = ½, σ'(0) = ¼, so dL/db = 2(½ − y)·¼", () => {
    // w = 3, b = 0, x = 0, y = 1: dL/db = 2(−½)(¼) = −0.25; dL/dw = dL/db · x = 0; L = ¼.
    const c: GradientCase = {
      id: 2,
      seed: 0,
      network: { inputs: 1, layers: [{ outputs: 1, activation: 'sigmoid' }] },
      parameters: [{ W: [[3]], b: [0] }],
      inputs: [[0]],
      targets: [[1]],
      reduction: 'sum',
    };
    const r = impl.gradients(c);
    expect(r.parameters[0].b![0]).toBeCloseTo(-0.25, 15);
    expect(r.parameters[0].W[0][0]).toBe(0);
    expect(r.loss).toBeCloseTo(0.25, 15);
  });

  it('[1 → identity 1 → identity 1], MSE half-sum: dL/dw₁ = (ŷ − y)·w₂·x by the chain rule', () => {
    // w₁ = 2, b₁ = 0, w₂ = 3, b₂ = 0, x = 1, y = 0: ŷ = 6; dL/dw₂ = 6·2 = 12; dL/dw₁ = 6·3·1 = 18; dL/db₁ = 18.
    const c: GradientCase = {
      id: 3,
      seed: 0,
      network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity' }, { outputs: 1, activation: 'identity' }] },
      parameters: [{ W: [[2]], b: [0] }, { W: [[3]], b: [0] }],
      inputs: [[1]],
      targets: [[0]],
      reduction: 'half-sum',
    };
    const r = impl.gradients(c);
    expect(r.parameters[1].W[0][0]).toBeCloseTo(12, 13);
    expect(r.parameters[0].W[0][0]).toBeCloseTo(18, 13);
    expect(r.parameters[0].b![0]).toBeCloseTo(18, 13);
  });
});
