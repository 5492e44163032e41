/**
 * The agreement band is read only from a finest stencil whose differences show its assumption
 * (numerics/estimator.ts, `regularDifferences`; docs/verdicts.md): one sign, and no larger at smaller
 * steps than at the steps above them. Expected verdicts come from closed-form derivatives.
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../src/check/numerics/estimator.js';
import { judge } from '../../src/check/numerics/judge.js';

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
    // Its differences grow as the step shrinks: no band, so nothing is passed or failed from it.
    expect(e.band).toBeUndefined();
    expect(judge(claim, e, T).verdict).toBe('unresolved');
  });

  it('differences of both signs beyond the rounding model (noise the model does not cover): no band, never a fail', () => {
    let k = 0;
    const noisy = (t: number): number => 1 + 0.5 * t + ((k++ * 7919) % 13) * 1e-14;
    const e = estimate(noisy, noisy(0), 0, { levels: 2, precision: 'float64' });
    expect(e.converged).toBe(false);
    expect(e.band).toBeUndefined();
    // The slope is exactly 1/2; 0.505 is 1% off, but these estimates cannot say so under their model.
    expect(judge(0.5, e, T).verdict).toBe('unresolved');
    expect(judge(0.505, e, T).verdict).toBe('unresolved');
  });
});
