/**
 * Regression: the loss-scaling metamorphic property (GRADCHECK_SEED=7 GRADCHECK_RUNS_SCALE=100, path
 * 997:17:34:46, α = 1; also seeds 1 and 2026) left correct gradients INCONCLUSIVE. ECnoise along the
 * noise direction read σ = 2.0e-18 at its spacing, 1.26e-17 at 1/16 of it and 1.48e-17 at 16×: one
 * 9-sample reading ~6× low. The smaller spacing disagreed, so the noise was rejected and each loss
 * value taken within u·|L| = 4.4e-18, below its actual noise (σ ≈ 1e-17). W1[1,1]'s central
 * differences (7.9e-8, truncation ~0) then looked noisy, its forward sequence converged (as one-sided
 * sequences of a smooth loss do), the search shrank its step as if past a kink, and the estimates at
 * 4.5e-5 sat 3.8e-13 off, outside their rounding bounds: unresolved. A smaller spacing reading more is
 * now taken as the noise (numerics/noise.ts); the entry converges at the default step.
 */
import { describe, expect, it } from 'vitest';
import { measureNoise, noiseDirection, noiseLevel } from '../../src/check/numerics/noise.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { createMatrix } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';

// [2 → sigmoid 2 → sigmoid 1 → sigmoid 2 (no bias) → identity 1], batch 1, MSE sum, inputs ±0.01, weight scale 0.5, seed 120334.
const network = new Network({
  inputs: 2,
  layers: [
    { outputs: 2, activation: 'sigmoid', bias: true },
    { outputs: 1, activation: 'sigmoid', bias: true },
    { outputs: 2, activation: 'sigmoid', bias: false },
    { outputs: 1, activation: 'identity', bias: true },
  ],
});
const params = Float64Array.from([
  0.18406553907212744, -0.10508813563309655, 0.7226436888304281, 0.22876083287237345, 0.13066270370653027, -0.2972502761961738, -0.12571229984736448,
  -0.08264751943160563, 0.15616182077862803, 0.4264502421272906, -0.7718842587513259, -0.23597233937124318, -0.1080205504154396, 0.4258550380214373,
]);
const inputs = createMatrix(1, 2, Float64Array.from([0.005677134248057661, 0.00819553410308893]));
const targets = createMatrix(1, 1, Float64Array.from([0.052907486034800666]));
const loss = (theta: Float64Array): number => network.loss(theta, inputs, targets, 'sum');
const claimed = network.gradients(params, inputs, targets, 'sum').parameters;
const u = 2 ** -53;
/** W1[1,1], the entry left unresolved. */
const W1_11 = 3;

describe('noise under-read by one ECnoise table: a smaller spacing reading more is the noise', () => {
  it('the case: L = 0.03946, the loss the property saw', () => {
    expect(loss(params)).toBeCloseTo(0.039461918888076625, 16);
  });

  it('the readings: low at the spacing, over 4× more at 1/16 of it; the level taken is the smaller spacing’s, above u·|L|', () => {
    const { direction, scale } = noiseDirection(params, 0);
    const along = (t: number): number => loss(params.map((v, i) => v + t * direction[i]));
    const table = (spacing: number): number[] => Array.from({ length: 9 }, (_, i) => along((i - 4) * spacing));
    const spacing = Math.cbrt(u) * scale;
    const base = noiseLevel(table(spacing)).sigma!;
    const smaller = noiseLevel(table(spacing / 16)).sigma!;
    expect(smaller / base).toBeGreaterThan(4);
    const outcome = measureNoise(along, scale, 'float64');
    expect(outcome.sigma).toBe(smaller);
    expect(outcome.sigma!).toBeGreaterThan(u * loss(params));
  });

  it('correct gradients pass; W1[1,1] 1% off fails', () => {
    expect(checkLoss({ loss, point: params, claimed }).verdict).toBe('pass');
    const wrong = claimed.slice();
    wrong[W1_11] *= 1.01;
    const report = checkLoss({ loss, point: params, claimed: wrong });
    expect(report.verdict).toBe('fail');
    expect(report.failures.map((f) => f.index)).toEqual([W1_11]);
  });
});
