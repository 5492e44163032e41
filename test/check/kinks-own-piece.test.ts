/**
 * Kinks on both sides of θ closer than any step whose rounding can resolve them, below the grid floor
 * too: the reference engine's line is differentiated on θ's own piece (numerics/estimator.ts,
 * `onOwnPiece`; docs/verdicts.md). Expected values by hand: [1 → relu 2 → identity 1], batch 1,
 * half-sum, x = 1, W1 = [1, −1], b1 = [−1 + 2^−44, 1 + 2^−44], so z = (2^−44, 2^−44) exactly (each sum
 * is exact in float64): both units on, and x moved by t gives z = (2^−44 + t, 2^−44 − t), so unit b
 * turns off at t = 2^−44 ≈ 5.7e-14 and unit a at −2^−44, far below the grid floor (2^13 ulps of x ≈
 * 1.8e-12); both are 85× their own rounding (γ₃·Σ|a·w| ≈ 6.7e-16) from their kinks, so no correct
 * implementation has them on other pieces. With ŷ = W2_a·z_a + W2_b·z_b + b2 and e = ŷ − y:
 * dL/dx = e·(W2_a − W2_b) (unit a passes x on with slope 1, unit b with −1).
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { renderReport } from '../../src/check/report/render-report.js';

const network = new Network({ inputs: 1, layers: [{ outputs: 2, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
const z = 2 ** -44;
const [w2a, w2b, b2, y] = [2, 3, 0.5, 0.25];
// Layout W1 (1×2), b1, W2 (2×1), b2.
const params = Float64Array.from([1, -1, -1 + z, 1 + z, w2a, w2b, b2]);
const c = { network, params, inputs: matrixFromRows([[1]]), targets: matrixFromRows([[y]]), reduction: 'half-sum' as const };
const e = w2a * z + w2b * z + b2 - y;
// dL/dθ by hand: W1 = (x·e·W2_a, x·e·W2_b), b1 = (e·W2_a, e·W2_b), W2 = (e·z_a, e·z_b), b2 = e.
const parameters = Float64Array.from([e * w2a, e * w2b, e * w2a, e * w2b, e * z, e * z, e]);
const exact = e * (w2a - w2b);

describe('kinks on both sides below every resolvable step: θ’s own piece', () => {
  it.each(['incremental', 'plain'] as const)('the exact dL/dx passes, reported beside a kink (%s objective)', (objective) => {
    const report = checkNetwork(c, { objective, claimed: { parameters, inputs: Float64Array.from([exact]) } });
    expect(report.verdict, renderReport(report)).toBe('pass');
    expect(report.tensors.find((t) => t.name === 'x')!.unresolved).toBe(0);
  });

  it.each([
    ['unit b off (e·W2_a)', e * w2a],
    ['unit a off (−e·W2_b)', -e * w2b],
    ['both off (0)', 0],
    ['0.1% off', exact * 1.001],
  ])('a claim with %s fails', (_, claim) => {
    for (const objective of ['incremental', 'plain'] as const) {
      const report = checkNetwork(c, { objective, claimed: { parameters, inputs: Float64Array.from([claim]) } });
      expect(report.verdict, renderReport(report)).toBe('fail');
      expect(report.failures.map((f) => `${f.tensor} ${f.nearKink}`)).toEqual(['x true']);
    }
  });
});

describe('a unit exactly on its kink beside two units within 2^−44 of theirs: the kink rule on θ’s own piece', () => {
  // x = 1, W1 = [1, 1, −1], b1 = [−1, −1 + 2^−44, 1 + 2^−44]: z = (0, 2^−44, 2^−44) exactly. Unit a is on its
  // kink (any slope s ∈ [0, 1] is a valid convention); b and c are on, and x moved by t turns c off at
  // t = 2^−44 and b off at −2^−44, inside every stencil. Held on their pieces, b and c pass x on with
  // slopes 1 and −1, and unit a's one-sided slopes are 1 (t > 0) and 0: dL/dx = e·(s·W2_a + W2_b − W2_c).
  const net = new Network({ inputs: 1, layers: [{ outputs: 3, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
  const [va, vb, vc] = [2, 3, 5];
  const theta = Float64Array.from([1, 1, -1, -1, -1 + z, 1 + z, va, vb, vc, b2]);
  const k = { network: net, params: theta, inputs: matrixFromRows([[1]]), targets: matrixFromRows([[y]]), reduction: 'half-sum' as const };
  const err = vb * z + vc * z + b2 - y;
  const grads = net.gradients(theta, k.inputs, k.targets, k.reduction).parameters;
  const claimFor = (s: number): number => err * (s * va + vb - vc);

  it.each([0, 0.5, 1])('the convention s = %d passes, at the kink', (s) => {
    const report = checkNetwork(k, { claimed: { parameters: grads, inputs: Float64Array.from([claimFor(s)]) } });
    expect(report.verdict, renderReport(report)).toBe('pass');
    expect(report.tensors.find((t) => t.name === 'x')!.unresolved).toBe(0);
  });

  it.each([
    ['s = 1.5, outside every convention', claimFor(1.5)],
    ['unit c held off', err * vb],
  ])('a claim with %s fails', (_, claim) => {
    const report = checkNetwork(k, { claimed: { parameters: grads, inputs: Float64Array.from([claim]) } });
    expect(report.verdict, renderReport(report)).toBe('fail');
    expect(report.failures.map((f) => f.tensor)).toEqual(['x']);
  });
});
