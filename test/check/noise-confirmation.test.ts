/**
 * Regression (issue 20 item 1): the loss-scaling metamorphic property (GRADCHECK_SEED=31337
 * GRADCHECK_RUNS_SCALE=100, path 2238:14:15:31:31:31:46, α = 1) left correct gradients of a saturated
 * sigmoid INCONCLUSIVE. The black box's noise, read by ECnoise at σ ≈ 4e-16, was rejected because the
 * 16× smaller spacing read it about 6× smaller: over such moves the output 1 − 5.5e-12 changes by less
 * than an ulp, so consecutive points round alike. The loss then fell back to u·|L| = 2.2e-16 per value,
 * below what its saturated output rounds by (2·|ŷ − y|·u ≈ 3e-16 from σ alone), and one difference of
 * b1[0,1] fell outside that bound. Noise that the smaller spacing still reads, only less, is now
 * confirmed by a 16× larger spacing, where no kink or smooth part could read the same (numerics/noise.ts).
 */
import { describe, expect, it } from 'vitest';
import { measureNoise, noiseDirection, noiseLevel } from '../../src/check/numerics/noise.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { createMatrix } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';

const network = new Network({ inputs: 2, layers: [{ outputs: 4, activation: 'identity', bias: true }, { outputs: 1, activation: 'sigmoid', bias: false }] });
// [2 → identity 4 → sigmoid 1 (no bias)], batch 2, MSE sum, inputs ±10, weight scale 2, seed 48814.
const params = Float64Array.from([
  0.15302059966053008, 1.752617511341983, 0.12005777734686085, -2.152315223469877, 0.764101900241803, 0.7073659689518068, 0.3680766978327549, 0.6886914743218343,
  -0.4087711957703816, 0.20947469666862373, 0.3840443902750521, -0.061706399260791786, -0.2349752133315274, -0.693137955827773, 1.1011984816537168, 1.47206731665304,
]);
const inputs = createMatrix(2, 2, Float64Array.from([3.5685023294408746, 4.009680761936208, -4.7899880261457035, 6.820037263409975]));
const targets = createMatrix(2, 1, Float64Array.from([-0.24328680146100612, -0.386829795636655]));
const loss = (theta: Float64Array): number => network.loss(theta, inputs, targets, 'sum');
const claimed = network.gradients(params, inputs, targets, 'sum').parameters;
const u = 2 ** -53;
/** b1[0,1], the entry left unresolved. */
const B1_1 = 9;

describe('noise of a saturated sigmoid: confirmed at a larger spacing when the smaller one reads it smaller', () => {
  it('the case: the second output is 1 − 5.5e-12, the loss 1.98', () => {
    const prediction = network.prediction(network.forward(params, inputs));
    expect(1 - prediction[1]).toBeGreaterThan(5e-12);
    expect(1 - prediction[1]).toBeLessThan(6e-12);
    expect(loss(params)).toBeCloseTo(1.9824883080967144, 15);
  });

  it('ECnoise reads σ ≈ 4e-16 (above u·|L|), about 6× less at 1/16 the spacing, and the same at 16×', () => {
    const { direction, scale } = noiseDirection(params, 0);
    const along = (t: number): number => loss(params.map((v, i) => v + t * direction[i]));
    const table = (spacing: number): number[] => Array.from({ length: 9 }, (_, i) => along((i - 4) * spacing));
    const outcome = measureNoise(along, scale, 'float64');
    if (outcome.sigma === undefined) throw new Error(`noise not read: ${outcome.reason}`);
    const sigma = outcome.sigma;
    expect(sigma).toBeGreaterThan(u * loss(params));
    expect(sigma).toBeLessThan(1e-15);
    const smaller = noiseLevel(table(outcome.spacing / 16)).sigma!;
    expect(sigma / smaller).toBeGreaterThan(4); // outside ECnoise's factor 4: no confirmation there
    const larger = noiseLevel(table(outcome.spacing * 16)).sigma!;
    expect(Math.max(sigma / larger, larger / sigma)).toBeLessThan(4);
  });

  it('a wiggle finer than the spacing is not taken for noise: smooth at 1/16 the spacing, though the same at 16×', () => {
    // f = v + 1e-7·sin(1e6·v) at 0.3 (test/functions/column-check.test.ts): its derivative 0.90 is not the trend's 1.
    const wiggle = (t: number): number => 0.3 + t + 1e-7 * Math.sin(1e6 * (0.3 + t));
    const spacing = Math.cbrt(u);
    const table = (h: number): number[] => Array.from({ length: 9 }, (_, i) => wiggle((i - 4) * h));
    const sigma = noiseLevel(table(spacing)).sigma!;
    const larger = noiseLevel(table(spacing * 16)).sigma!;
    expect(Math.max(sigma / larger, larger / sigma)).toBeLessThan(4);
    expect(noiseLevel(table(spacing / 16)).sigma).toBeUndefined();
    expect(measureNoise(wiggle, 1, 'float64').sigma).toBeUndefined();
  });

  it('correct gradients pass (were inconclusive at b1[0,1]), with the measured noise reported', () => {
    const report = checkLoss({ loss, point: params, claimed, tensors: network.tensors });
    expect(report.verdict).toBe('pass');
    expect(report.lossNoise).toBeGreaterThan(u * loss(params));
  });

  it('a claim of b1[0,1] 0.1% off still fails, and only that entry', () => {
    const wrong = claimed.slice();
    wrong[B1_1] *= 1.001;
    const report = checkLoss({ loss, point: params, claimed: wrong, tensors: network.tensors });
    expect(report.verdict).toBe('fail');
    expect(report.failures.map((f) => f.index)).toEqual([B1_1]);
  });
});
