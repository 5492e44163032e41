import { describe, expect, it } from 'vitest';
import { centralDifference, oneSidedDifference } from '../../src/check/numerics/central-difference.js';
import { estimate, estimateAtBestStep, EstimateWorkspace, leastCentralUncertainty } from '../../src/check/numerics/estimator.js';
import { absoluteError, relativeError } from '../../src/check/numerics/relative-error.js';
import { CENTRAL_EXPONENTS, ONE_SIDED_EXPONENTS, richardson } from '../../src/check/numerics/richardson.js';
import { centralStep, EPSILON, optimalStep, richardsonStep } from '../../src/check/numerics/step.js';

describe('step sizes', () => {
  // ε = 2⁻⁵², so ε^(1/3) = 2^(−52/3) ≈ 6.0554544523933395e−6 (Numerical Recipes §5.7: h ∝ ε^(1/3) for central differences).
  const cubeRootEps = 2 ** (-52 / 3);

  it('uses machine epsilon', () => {
    expect(EPSILON).toBe(2 ** -52);
  });

  it('is ε^(1/3) ≈ 6.055e−6 for |x| ≤ 1', () => {
    expect(cubeRootEps).toBeCloseTo(6.0554544523933395e-6, 20);
    for (const x of [0, 0.5, -1, 1, -0.001]) {
      expect(centralStep(x) / cubeRootEps).toBeCloseTo(1, 14);
      expect(optimalStep(2, x) / cubeRootEps).toBeCloseTo(1, 14);
    }
  });

  it('scales with |x| beyond 1', () => {
    expect(centralStep(1000) / (1000 * cubeRootEps)).toBeCloseTo(1, 14);
    expect(centralStep(-250) / (250 * cubeRootEps)).toBeCloseTo(1, 14);
    // So that x + h never rounds back to x: h/|x| stays ≈ 6e−6 ≫ ε.
    const x = 1e12;
    expect(x + centralStep(x)).not.toBe(x);
  });

  it('uses ε^(1/(p+1)) for order p: the Richardson base steps', () => {
    // Two levels on central differences: error O(h⁶), so h ∝ ε^(1/7) = 2^(−52/7) ≈ 5.8047e−3; one level: 2^(−52/5) ≈ 7.401e−4.
    expect(richardsonStep(0, 2) / 2 ** (-52 / 7)).toBeCloseTo(1, 14);
    expect(richardsonStep(0, 2)).toBeCloseTo(5.8047e-3, 7);
    expect(richardsonStep(0, 1)).toBeCloseTo(7.401e-4, 7);
    expect(richardsonStep(-8, 2) / (8 * 2 ** (-52 / 7))).toBeCloseTo(1, 14);
    expect(optimalStep(1, 0) / 2 ** -26).toBeCloseTo(1, 14); // forward differences: √ε
  });
});

describe('relativeError', () => {
  it('is 0 for equal values, including both 0', () => {
    expect(relativeError(3.25, 3.25)).toBe(0);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(-0, 0)).toBe(0);
  });

  it('is |a − b| / max(|a|, |b|) and symmetric', () => {
    expect(relativeError(2, 3)).toBeCloseTo(1 / 3, 15);
    expect(relativeError(3, 2)).toBe(relativeError(2, 3));
    expect(relativeError(-4, 1)).toBe(relativeError(1, -4));
    expect(relativeError(-4, 1)).toBeCloseTo(5 / 4, 15);
  });

  it('is 1 against an exact zero, and at most 2 (opposite signs)', () => {
    expect(relativeError(1e-300, 0)).toBe(1);
    expect(relativeError(0, -5)).toBe(1);
    expect(relativeError(7, -7)).toBe(2);
  });

  it('absoluteError is |a − b|', () => {
    expect(absoluteError(-1.5, 2)).toBe(3.5);
    expect(absoluteError(2, -1.5)).toBe(3.5);
  });
});

describe('difference formulas', () => {
  it('central differences are exact on quadratics', () => {
    // f(t) = (3 + t)², f′(0) = 6; (f(h) − f(−h)) / 2h = 12h / 2h.
    expect(centralDifference((t) => (3 + t) ** 2, 0.5)).toBe(6);
  });

  it('one-sided differences are exact on lines, on either side', () => {
    const f = (t: number): number => 2 - 4 * t;
    expect(oneSidedDifference(f, f(0), 0.25, 1)).toBe(-4);
    expect(oneSidedDifference(f, f(0), 0.25, -1)).toBe(-4);
  });
});

describe('Richardson extrapolation', () => {
  const f = (t: number): number => Math.exp(1 + t); // f′(0) = e
  const central = (h: number): number => (f(h) - f(-h)) / (2 * h);

  it('removes the h² term exactly from a pure h² error series', () => {
    // D(h) = 1 + h²: D(2) = 5, D(1) = 2 → (4·2 − 5) / 3 = 1.
    expect(richardson([5, 2], CENTRAL_EXPONENTS)).toEqual({ value: 1, error: 4 });
    // D(h) = 1 + h + h²: D(4) = 21, D(2) = 7, D(1) = 3 → level 1: [−7, −1], level 2: (4·(−1) + 7) / 3 = 1.
    expect(richardson([21, 7, 3], ONE_SIDED_EXPONENTS).value).toBe(1);
  });

  it('on exp at x = 1 is far more accurate than plain central differences', () => {
    for (const h of [0.1, 0.02, 5.8e-3]) {
      const estimates = [central(h), central(h / 2), central(h / 4)];
      const { value, error } = richardson(estimates, CENTRAL_EXPONENTS);
      const trueError = Math.abs(value - Math.E);
      // Better than the finest plain estimate it was built from…
      expect(trueError).toBeLessThan(Math.abs(estimates[2] - Math.E) / 100);
      // …and the error estimate bounds the true error.
      expect(trueError).toBeLessThanOrEqual(error);
    }
    // Better than plain central differences at their own optimal step ε^(1/3).
    const h = richardsonStep(1, 2);
    const best = richardson([central(h), central(h / 2), central(h / 4)], CENTRAL_EXPONENTS);
    expect(Math.abs(best.value - Math.E)).toBeLessThan(Math.abs(central(centralStep(1)) - Math.E));
    expect(Math.abs(best.value - Math.E)).toBeLessThan(1e-12);
  });

  it('estimate of exp at 1 is within its own error bound of e', () => {
    const d = estimate((t) => Math.exp(1 + t), Math.E, 1, { levels: 2, precision: 'float64' });
    expect(d.method).toBe('central');
    expect(d.kink).toBe('none');
    expect(d.converged).toBe(true);
    expect(Math.abs(d.value - Math.E)).toBeLessThanOrEqual(d.truncation + d.rounding);
    expect(Math.abs(d.value - Math.E)).toBeLessThan(1e-11);
    // The extrapolated estimates start at half the base step: the base step itself only takes part in the rate test.
    expect(d.step).toBe(richardsonStep(1, 2) / 2);
  });
});

describe('leastCentralUncertainty', () => {
  // What the screen (strategies/screen-network.ts) reads as the entry-by-entry check's floor: on a
  // kink-aware line that crosses no kink, no estimate reports less uncertainty, whatever its curvature,
  // scale, gain or the steps its search tries (smooth, saturating and steep lines below).
  it('is at most the uncertainty, and the rounding, of every estimate of a kink-aware line with no crossing', () => {
    let refined = 0;
    let retried = 0;
    const w = new EstimateWorkspace();
    const spare = new EstimateWorkspace();
    for (const x of [0, 0.3, -2, 40, 1e4]) {
      for (const gain of [0.5, 1, 10, 1e3]) {
        for (const [a, b, c] of [[1, 1, 0], [1e-8, 1, 3], [1, 50, 0.1], [5, 1e3, 0], [1e3, 0.01, 1e-6]]) {
          const f = (t: number): number => a * Math.tanh(b * gain * (x + t)) + c * (gain * (x + t)) ** 2 + 1;
          const settings = { levels: 2, precision: 'float64' as const, lossRounding: (loss: number) => 2 ** -53 * (Math.abs(loss) + 1) };
          const line = { kinkAware: true, at: (t: number) => f(t), crossed: () => false };
          const least = leastCentralUncertainty(f(0), x, settings, gain);
          estimateAtBestStep(w, spare, line, f(0), x, settings, gain);
          if (w.evaluations > 16) retried++;
          else if (w.evaluations > 8) refined++;
          expect(w.rounding).toBeGreaterThanOrEqual(least);
          expect(w.truncation + w.rounding).toBeGreaterThanOrEqual(least);
          if (w.band !== undefined) expect(w.band.rounding).toBeGreaterThanOrEqual(least);
        }
      }
    }
    // The lines reach the searches that shrink the step, not only the first stencil.
    expect(refined + retried).toBeGreaterThan(0);
  });
});
