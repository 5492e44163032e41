import { describe, expect, it } from 'vitest';
import { activationNames, activations, identity, relu, sigmoid } from '../../src/engine/activation.js';

const EPS = Number.EPSILON;

describe('sigmoid', () => {
  it('has σ(0) = ½ and σ′(0) = ¼ exactly', () => {
    // Closed form: σ(z) = 1 / (1 + e^(−z)), σ′(z) = σ(z)(1 − σ(z)); both exact in binary at 0.
    expect(sigmoid.value(0)).toBe(0.5);
    expect(sigmoid.derivative(0)).toBe(0.25);
  });

  it('matches the closed form at ordinary inputs', () => {
    // σ(1) = 1 / (1 + e⁻¹) = 0.7310585786300049 (scipy.special.expit(1)); σ′(z) = σ(z)·(1 − σ(z)).
    expect(sigmoid.value(1)).toBeCloseTo(0.7310585786300049, 15);
    for (const z of [-7.5, -2, -0.3, 0.3, 1, 2, 7.5]) {
      const s = 1 / (1 + Math.exp(-z));
      expect(Math.abs(sigmoid.value(z) - s)).toBeLessThanOrEqual(4 * EPS * s);
      expect(Math.abs(sigmoid.derivative(z) - s * (1 - s))).toBeLessThanOrEqual(1e-14 * s * (1 - s));
    }
  });

  it('is symmetric: σ(−z) = 1 − σ(z), and σ′ is even', () => {
    for (const z of [0.1, 1, 3, 10, 36, 100]) {
      expect(Math.abs(sigmoid.value(-z) + sigmoid.value(z) - 1)).toBeLessThanOrEqual(2 * EPS);
      expect(sigmoid.derivative(-z)).toBe(sigmoid.derivative(z));
    }
  });

  it('keeps full relative accuracy in the tails, where 1 − σ(z) would cancel', () => {
    // For large z: σ(−z) = e^(−z) / (1 + e^(−z)) ≈ e^(−z)(1 − e^(−z)), σ′(z) ≈ e^(−z)(1 − 2e^(−z)).
    // At z = 40 the correction terms are below 1e−17 relative, so e^(−z) itself is the reference.
    expect(sigmoid.value(-40) / Math.exp(-40)).toBeCloseTo(1, 14);
    expect(sigmoid.derivative(40) / Math.exp(-40)).toBeCloseTo(1, 14);
    expect(sigmoid.derivative(-40) / Math.exp(-40)).toBeCloseTo(1, 14);
  });

  it.each([1000, -1000, 1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE])('is finite and saturates cleanly at z = %d', (z) => {
    const v = sigmoid.value(z);
    const d = sigmoid.derivative(z);
    expect(Number.isFinite(v)).toBe(true);
    expect(Number.isFinite(d)).toBe(true);
    // e^(−1000) ≈ 5e−435 underflows: σ is 0 or 1 and σ′ is 0 to double precision, never NaN or negative.
    expect(v).toBe(z > 0 ? 1 : 0);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThanOrEqual(Number.MIN_VALUE);
  });

  it('is smooth (no kinks)', () => {
    expect(sigmoid.piecewise).toBe(false);
    expect([-1, 0, 1].map((z) => sigmoid.region(z))).toEqual([1, 1, 1]);
  });
});

describe('relu', () => {
  it('is max(0, z)', () => {
    expect([-2, -1e-300, 0, 1e-300, 3.5].map((z) => relu.value(z))).toEqual([0, 0, 0, 1e-300, 3.5]);
  });

  it('has derivative 0 below 0, 1 above, and 0 at exactly 0 (PyTorch `z > 0` convention)', () => {
    expect(relu.derivative(-3)).toBe(0);
    expect(relu.derivative(-Number.MIN_VALUE)).toBe(0);
    expect(relu.derivative(0)).toBe(0);
    expect(relu.derivative(-0)).toBe(0);
    expect(relu.derivative(Number.MIN_VALUE)).toBe(1);
    expect(relu.derivative(3)).toBe(1);
  });

  it('reports its smooth pieces: −1 below, 0 on the kink, +1 above', () => {
    expect(relu.piecewise).toBe(true);
    expect(relu.region(-1)).toBe(-1);
    expect(relu.region(-Number.MIN_VALUE)).toBe(-1);
    expect(relu.region(0)).toBe(0);
    expect(relu.region(-0)).toBe(0);
    expect(relu.region(Number.MIN_VALUE)).toBe(1);
    expect(relu.region(1)).toBe(1);
  });
});

describe('identity', () => {
  it('is z with derivative 1 everywhere and no kinks', () => {
    expect([-2.5, 0, 7].map((z) => identity.value(z))).toEqual([-2.5, 0, 7]);
    expect([-2.5, 0, 7].map((z) => identity.derivative(z))).toEqual([1, 1, 1]);
    expect(identity.piecewise).toBe(false);
    expect(identity.region(-3)).toBe(1);
  });
});

describe('activations registry', () => {
  it('lists sigmoid, relu and identity by name', () => {
    expect(activationNames).toEqual(['sigmoid', 'relu', 'identity']);
    expect(activations.sigmoid).toBe(sigmoid);
    expect(activations.relu.name).toBe('relu');
    expect(activations.identity.name).toBe('identity');
  });
});
