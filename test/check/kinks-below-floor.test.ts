/**
 * Kinks on both sides closer than ε^(2/3)·S: the reference engine's line shrinks its step on while its
 * rounding can still tell the pieces apart (numerics/estimator.ts, `belowKinkStep`; docs/verdicts.md,
 * Steps). Expected values by hand: [1 → relu 2 → identity 1], batch 1, half-sum, x = 1, W1 = [1, 1],
 * b1 = [−1 + 2^−36, −1 − 2^−36], so z = (2^−36, −2^−36) exactly (each sum is exact in float64): unit a
 * on, unit b off, and x moved by ±2^−36 ≈ 1.5e-11 (below ε^(2/3) ≈ 3.7e-11, above the grid floor
 * 2^13 ulps ≈ 1.8e-12) flips one of them, one on each side; both are 6e4× their own rounding from their
 * kinks, so no correct implementation has them on other pieces. With
 * ŷ = W2_a·z_a + W2_b·0 + b2 and e = ŷ − y: dL/dx = e·W2_a·1 (only unit a passes x on).
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { renderReport } from '../../src/check/report/render-report.js';

const network = new Network({ inputs: 1, layers: [{ outputs: 2, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
const z = 2 ** -36;
const [w2a, w2b, b2, y] = [2, 3, 0.5, 0.25];
// Layout W1 (1×2), b1, W2 (2×1), b2.
const params = Float64Array.from([1, 1, -1 + z, -1 - z, w2a, w2b, b2]);
const c = { network, params, inputs: matrixFromRows([[1]]), targets: matrixFromRows([[y]]), reduction: 'half-sum' as const };
const e = w2a * z + b2 - y;
// dL/dθ by hand: W1 = (x·e·W2_a, 0), b1 = (e·W2_a, 0), W2 = (e·z_a, 0), b2 = e.
const parameters = Float64Array.from([e * w2a, 0, e * w2a, 0, e * z, 0, e]);
const exact = e * w2a;

describe('kinks on both sides within ε^(2/3)·S', () => {
  it('the exact dL/dx passes (before: unresolved, both sides crossed at the step floor)', () => {
    const report = checkNetwork(c, { claimed: { parameters, inputs: Float64Array.from([exact]) } });
    expect(report.verdict, renderReport(report)).toBe('pass');
    const x = report.tensors.find((t) => t.name === 'x')!;
    expect(x.unresolved).toBe(0);
  });

  it('a claim with unit b on too (e·(W2_a + W2_b)) fails: b is off at θ, far beyond its rounding', () => {
    const report = checkNetwork(c, { claimed: { parameters, inputs: Float64Array.from([e * (w2a + w2b)]) } });
    expect(report.verdict, renderReport(report)).toBe('fail');
    expect(report.failures.map((f) => f.tensor)).toEqual(['x']);
  });
});
