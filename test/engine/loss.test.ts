import { describe, expect, it } from 'vitest';
import { mseGradientInto, mseLoss, reductionScale, reductions } from '../../src/engine/loss.js';

// Hand-computed example: prediction − target = [1, 0, −2, 1], so Σr² = 1 + 0 + 4 + 1 = 6 over 4 elements.
const prediction = Float64Array.from([1, 2, 3, 4]);
const target = Float64Array.from([0, 2, 5, 3]);

describe('mseLoss', () => {
  it('mean averages over all elements: 6 / 4', () => {
    expect(mseLoss(prediction, target, 'mean')).toBe(1.5);
  });
  it('sum is Σr² = 6', () => {
    expect(mseLoss(prediction, target, 'sum')).toBe(6);
  });
  it('half-sum is ½Σr² = 3', () => {
    expect(mseLoss(prediction, target, 'half-sum')).toBe(3);
  });
  it('is 0 when prediction equals target', () => {
    for (const r of reductions) expect(mseLoss(target, target, r)).toBe(0);
  });
  it('has the documented scale factors c in L = c·Σr²', () => {
    expect(reductionScale('mean', 4)).toBe(0.25);
    expect(reductionScale('mean', 6)).toBe(1 / 6);
    expect(reductionScale('sum', 6)).toBe(1);
    expect(reductionScale('half-sum', 6)).toBe(0.5);
    expect(reductions).toEqual(['mean', 'sum', 'half-sum']);
  });
});

describe('mseGradientInto', () => {
  // dL/dŷ = 2c·r: mean 2r/4, sum 2r, half-sum r.
  it.each([
    ['mean', [0.5, 0, -1, 0.5]],
    ['sum', [2, 0, -4, 2]],
    ['half-sum', [1, 0, -2, 1]],
  ] as const)('%s gives the closed-form gradient', (reduction, expected) => {
    const out = new Float64Array(4);
    mseGradientInto(out, prediction, target, reduction);
    expect(Array.from(out)).toEqual(expected);
  });

  it('mean divides by the batch times the outputs (N·K), not by N', () => {
    // 3 rows × 2 outputs, all residuals 1: L = 6/6 = 1, dL/dŷ = 2/6 each.
    const p = new Float64Array(6).fill(2);
    const t = new Float64Array(6).fill(1);
    expect(mseLoss(p, t, 'mean')).toBe(1);
    const g = new Float64Array(6);
    mseGradientInto(g, p, t, 'mean');
    for (const v of g) expect(v).toBeCloseTo(1 / 3, 15);
  });
});
