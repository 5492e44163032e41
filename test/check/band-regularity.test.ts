/**
 * The agreement band fails a claim only from a finest stencil whose differences show its assumption
 * (numerics/estimator.ts, `regularDifferences`; docs/verdicts.md): one sign, and no larger at smaller
 * steps than at the steps above them; without it, it passes only what every estimate agrees with.
 * Expected verdicts come from closed-form derivatives, or a higher-precision difference (NumPy longdouble).
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../src/check/numerics/estimator.js';
import { judge } from '../../src/check/numerics/judge.js';
import { buildCase, type GeneratedCase } from '../../src/arbitraries/build-case.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { renderReport } from '../../src/check/report/render-report.js';

const T = { rtol: 1e-6, atol: 0 };
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('the band needs differences its assumption allows', () => {
  // θ = (w₁, b₁, w₂, x), L = (w₂·σ(w₁·x + b₁) − y)², an unnormalised input x ~ 1e3 with w₁ ~ 1e-3 (z = O(1)),
  // along v = (1, −½, ¾, 0.6), as fast mode's probe over every tensor moves it: the step is scaled by
  // max(1, |x|) = x, so every stencil moves z by ~x·h, tens of units, where the loss is nowhere near its
  // asymptotic regime. The claim is the chain rule by hand: 2r·(w₂σ′·x, w₂σ′, σ, w₂σ′·w₁)·v, exact.
  // Before the rule, three of these correct claims failed (the band read a flat truncation as bounded).
  it.each([
    [1e-3, 0, 2, 1000, 0],
    [2e-3, -1, 1.5, 1000, 0.3],
    [1e-3, 0.5, -1, 3000, 1],
    [-1e-3, 0.2, 2, 2000, -1],
  ])('w₁ %d, b₁ %d, w₂ %d, x %d, y %d: the exact directional derivative is never failed', (w1, b1, w2, x, y) => {
    const v = [1, -0.5, 0.75, 0.6];
    const p0 = [w1, b1, w2, x];
    const loss = (p: number[]): number => (p[2] * sigmoid(p[0] * p[3] + p[1]) - y) ** 2;
    const s = sigmoid(w1 * x + b1);
    const r = w2 * s - y;
    const ds = s * (1 - s);
    const g = [2 * r * w2 * ds * x, 2 * r * w2 * ds, 2 * r * s, 2 * r * w2 * ds * w1];
    const claim = g.reduce((sum, gi, i) => sum + gi * v[i], 0);
    const line = (t: number): number => loss(p0.map((q, i) => q + t * v[i]));
    const e = estimate(line, line(0), x, { levels: 2, precision: 'float64' });
    expect(e.converged).toBe(false);
    // Its differences grow as the step shrinks (or it has no band at all): nothing is failed from it,
    // and neither the truth nor a claim 1% off agrees with every estimate, so nothing is passed.
    expect(e.band?.regular ?? false).toBe(false);
    for (const c of [claim, 1.01 * claim, 0.99 * claim]) expect(judge(c, e, T).verdict).toBe('unresolved');
  });

  it('differences of both signs beyond the rounding model (noise the model does not cover): the noise is measured along the line, and the search run again with it', () => {
    let k = 0;
    const noisy = (t: number): number => 1 + 0.5 * t + ((k++ * 7919) % 13) * 1e-14;
    const e = estimate(noisy, noisy(0), 0, { levels: 2, precision: 'float64' });
    // Under δ = u·|L| the differences change sign beyond their slack; ECnoise reads the added noise
    // (values up to 1.2e-13), and under δ' = 4σ the sequence converges, its rounding bound that of δ'.
    expect(e.converged).toBe(true);
    expect(e.rounding).toBeGreaterThan(1e-11);
    // The slope is exactly 1/2; 0.505 is 1% off, 10⁷ rounding bounds from the estimate.
    expect(judge(0.5, e, T).verdict).toBe('pass');
    expect(judge(0.505, e, T).verdict).toBe('fail');
  });

  it('rounding just above a black box’s assumed bound breaks the pattern at the rounding level: a correct claim is passed, a wrong one still fails', () => {
    // Found by GRADCHECK_SEED=23353 npm run test:deep (properties/metamorphic.test.ts, α = 1): the
    // reference engine's loss handed to checkLoss as a black box, so δ is one rounding of L (times the
    // measured noise). Along W2[0,0] the central differences at t = 9.6e-5 … 1.2e-5 are off the truth
    // by 0.5e-12, −3.0e-12, 4.0e-12, 8.6e-12 against bounds δ/t of 0.9, 1.9, 3.8, 7.6e-12: differences
    // of both signs just beyond their slack, at 4e-8 of the value. The truth, 2.1166484364e-4, is the
    // same central difference in NumPy's 80-bit longdouble at the same steps (flat to 1e-15 there, so
    // truncation is below the float64 rounding): the engine's claim agrees with it to 1e-13.
    const c = buildCase({
      network: { inputs: 3, layers: [{ outputs: 3, activation: 'identity', bias: true }, { outputs: 4, activation: 'identity', bias: false }, { outputs: 2, activation: 'sigmoid', bias: false }, { outputs: 2, activation: 'sigmoid', bias: true }] },
      batch: { size: 2, magnitude: 0.01, targetMagnitude: 1 },
      weights: { regime: 'ordinary', scale: 2, biasScale: 0.5, saturation: 10, kinkFraction: 0.5 },
      reduction: 'sum',
      seed: 762646,
    });
    const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction).parameters;
    expect(Math.abs(g[c.network.tensors.find((t) => t.name === 'W2')!.offset] - 2.1166484364e-4)).toBeLessThan(1e-13);
    expectSettledAsBlackBox(c, 'W2', 0);
  });

  it('a saturated sigmoid whose loss rounds ten times above u·|L| along one weight: the noise is measured there, and the correct claim is settled', () => {
    // Found by GRADCHECK_SEED=777 npm run test:deep (properties/metamorphic.test.ts): z = 32.4 puts σ
    // within 1e-14 of 1, where it rounds to an ulp of 1 (1.1e-16), a loss error near 2.2e-17 against
    // δ = u·|L| = 2.3e-18; under δ the rate test read noise, the retries went to steps of 0.35 where
    // truncation shows, and the correct claim −1.46e-14 was unresolved. The truth, −1.46010540e-14, is
    // the same network's derivative in NumPy's 80-bit longdouble (its central differences agree to 3 digits).
    const c = buildCase({
      network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity', bias: true }, { outputs: 2, activation: 'sigmoid', bias: true }] },
      batch: { size: 1, magnitude: 10, targetMagnitude: 1 },
      weights: { regime: 'ordinary', scale: 2, biasScale: 0.5, saturation: 10, kinkFraction: 0.5 },
      reduction: 'mean',
      seed: 778768,
    });
    const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction).parameters;
    expect(g[c.network.tensors.find((t) => t.name === 'W2')!.offset] / -1.4601054e-14).toBeCloseTo(1, 6);
    // W2[0,0] itself is at the noise floor (±4e-14 under the measured noise): the planted error goes to W2[0,1].
    expectSettledAsBlackBox(c, 'W2', 1);
  });
});

/**
 * The engine's loss as a black box (`checkLoss`): its own gradients pass, and the same claim with entry
 * `col` of `tensor`'s first row scaled by 1 + 1e-4 fails there, and only there.
 */
function expectSettledAsBlackBox(c: GeneratedCase, tensor: string, col: number): void {
  const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction).parameters;
  const loss = (theta: Float64Array): number => c.network.loss(theta, c.inputs, c.targets, c.reduction);
  const report = checkLoss({ loss, point: c.params, claimed: g, tensors: c.network.tensors });
  expect(report.verdict, renderReport(report)).toBe('pass');
  const wrong = g.slice();
  wrong[c.network.tensors.find((t) => t.name === tensor)!.offset + col] *= 1 + 1e-4;
  const caught = checkLoss({ loss, point: c.params, claimed: wrong, tensors: c.network.tensors });
  expect(caught.verdict).toBe('fail');
  expect(caught.failures.map((f) => `${f.tensor}[${f.row},${f.col}]`)).toEqual([`${tensor}[0,${col}]`]);
}
