// Issue 20, item 1 (fast mode): properties/strategies.test.ts at GRADCHECK_RUNS_SCALE=100 found fast
// mode failing cases the full check passed. Each had one entry planted wrong (×1.02, ×1.001), and the
// probe that failed was right: its numeric directional derivative matched the exact one
// (Σ gᵢvᵢ with the planted error removed) to 1e-16 relative, within its uncertainty. The entry check
// was the weaker side: its converged estimate at the default step had an uncertainty of 2.6% of the
// derivative (truncation-bound near an optimum) or twice the probe's (rounding-bound), so it passed
// the wrong claim.
// The entry check now takes a second stencil at its best step when that is smaller than the default
// and predicted to halve its uncertainty (estimateAtBestStep, numerics/estimator.ts): both strategies
// then fail the truncation-bound entry. The rounding-bound one (best step above the default) stays
// below the entry check's floor at 0.1%: fast mode fails it by a probe, whose error the planted one
// explains; 1% off, both fail the entry. Correct gradients pass throughout.
import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { renderReport } from '../../src/check/report/render-report.js';
import type { NetworkCase } from '../../src/check/objective/network-objective.js';
import { REFINE_GAIN } from '../../src/check/numerics/estimator.js';
import { bestStepScale, predictedGain } from '../../src/check/numerics/step.js';
import { createMatrix } from '../../src/engine/matrix.js';
import type { NetworkSpec } from '../../src/engine/dense-layer.js';
import { Network } from '../../src/engine/network.js';

function networkCase(spec: NetworkSpec, params: number[], inputs: number[], targets: number[], batch: number): NetworkCase {
  const network = new Network(spec);
  const outputs = spec.layers[spec.layers.length - 1].outputs;
  return {
    network,
    params: Float64Array.from(params),
    inputs: createMatrix(batch, spec.inputs, Float64Array.from(inputs)),
    targets: createMatrix(batch, outputs, Float64Array.from(targets)),
    reduction: 'sum',
  };
}

// GRADCHECK_SEED=4174 GRADCHECK_RUNS_SCALE=100 npx vitest run properties/strategies, "fast mode calls the
// same judge": [4 → sigmoid 2 (no bias)], batch 2, MSE sum, inputs ±10, near-optimum weights, seed 76483,
// entry 7 (W1[3,1]) × 1.02. Before: the full check passed it (−1.131904e-8 vs −1.109710e-8 ± 2.9e-10,
// truncation-bound, best step c* ≈ 0.2); a probe failed it (6.128896e-9 vs 6.262440e-9 ± 4.5e-13).
const nearOptimum = networkCase(
  { inputs: 4, layers: [{ outputs: 2, activation: 'sigmoid', bias: false }] },
  [2.3324655498319182, -0.5577264796356282, 0.25301652702618094, -0.4393198674440959, -0.7068197877311332, -0.49121801436075685, -0.7158478000288538, 0.7843092242742832],
  [-3.5288765689058565, 0.7694559328553785, 7.834904504540017, 1.9088041847813964, -1.8528993801717686, 5.240567261554567, 9.368778141803698, 6.697327910353994],
  [3.4870478312065887e-7, 0.3270753261015697, 5.576681805046591e-7, 0.3501884903662145],
  2,
);

// GRADCHECK_SEED=4174, same property, after the truncation-bound fix alone: [1 → identity 1 → identity 1 →
// sigmoid 1], batch 1, MSE sum, saturating weights, seed 101793, entry 3 (b2) × 1.001. The full check
// passes it (−3.145209e-9 vs −3.142064e-9 ± 6.0e-12, rounding-bound: T = 3.4e-15, c* ≈ 3.4); a probe
// through it at a step 17× larger (|b3| = 17.4 sets the group's scale) fails it (± 1.4e-12).
const saturating = networkCase(
  {
    inputs: 1,
    layers: [
      { outputs: 1, activation: 'identity', bias: true },
      { outputs: 1, activation: 'identity', bias: true },
      { outputs: 1, activation: 'sigmoid', bias: true },
    ],
  },
  [-0.2331675381727746, 0.14526770014830945, 0.4241235108745407, -0.36122392599307446, -0.27572189228450483, -17.394696106353248],
  [-0.7397105614876175],
  [-0.19187446847636558],
  1,
);

const cases = [
  { name: 'near optimum, inputs ±10 (truncation-bound)', c: nearOptimum, entry: 7, planted: 1.02 },
  { name: 'saturating (rounding-bound)', c: saturating, entry: 3, planted: 1.01 },
];

function claimedWith(c: NetworkCase, entry: number, factor: number) {
  const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
  const parameters = Float64Array.from(g.parameters);
  parameters[entry] *= factor;
  return { parameters, inputs: g.inputs };
}

describe.each(cases)('the entry check at its best step: $name', ({ c, entry, planted }) => {
  it.each(['fast', 'full'] as const)('correct gradients: %s mode passes', (strategy) => {
    const report = checkNetwork(c, { strategy, claimed: claimedWith(c, entry, 1), screen: false });
    expect(report.verdict, renderReport(report)).toBe('pass');
  });

  it.each([
    ['fast', planted],
    ['full', planted],
    ['fast', 1.01],
    ['full', 1.01],
  ] as const)('%s mode fails the entry off by ×%f, by the entry check', (strategy, factor) => {
    const report = checkNetwork(c, { strategy, claimed: claimedWith(c, entry, factor), screen: false });
    expect(report.verdict, renderReport(report)).toBe('fail');
    expect(report.failures.filter((f) => f.direction === undefined).map((f) => f.index)).toEqual([entry]);
  });
});

describe('a rounding-bound entry 0.1% off (saturating case): below the entry check\'s floor', () => {
  const g = saturating.network.gradients(saturating.params, saturating.inputs, saturating.targets, saturating.reduction);
  const error = Math.abs(0.001 * g.parameters[3]);

  it('full mode passes it: its uncertainty is above the error', () => {
    const report = checkNetwork(saturating, { claimed: claimedWith(saturating, 3, 1.001), screen: false });
    expect(report.verdict, renderReport(report)).toBe('pass');
  });

  it('fast mode fails it by a probe, by no more than the planted error explains', () => {
    const report = checkNetwork(saturating, { strategy: 'fast', claimed: claimedWith(saturating, 3, 1.001) });
    expect(report.verdict, renderReport(report)).toBe('fail');
    for (const f of report.failures) {
      expect(f.direction).toBeDefined();
      expect(f.absoluteError).toBeLessThanOrEqual(error + f.tolerance);
    }
  });
});

describe('when a second stencil is spent', () => {
  it('c* = (R/(q·T))^(1/(q+1)) with q = 2·levels; 1 when either error is 0', () => {
    // R = q·T·c^(q+1) at c = 2, q = 4: 4·1e-12·32.
    expect(bestStepScale(1e-12, 4 * 1e-12 * 32, 2)).toBeCloseTo(2, 12);
    expect(bestStepScale(0, 1e-12, 2)).toBe(1);
    expect(bestStepScale(1e-12, 0, 2)).toBe(1);
  });

  it('the predicted gain is 1 at c* = 1, 3.6 at ½ (q = 4); REFINE_GAIN = 2 is reached near c* = 0.6 (and 2.5, not used)', () => {
    expect(predictedGain(1, 2)).toBeCloseTo(1, 12);
    // (1 + 4/32)/(5/16) = 3.6
    expect(predictedGain(0.5, 2)).toBeCloseTo(3.6, 12);
    expect(REFINE_GAIN).toBe(2);
    expect(predictedGain(0.6, 2)).toBeGreaterThan(REFINE_GAIN);
    expect(predictedGain(0.62, 2)).toBeLessThan(REFINE_GAIN);
    expect(predictedGain(2.4, 2)).toBeLessThan(REFINE_GAIN);
    expect(predictedGain(2.5, 2)).toBeGreaterThan(REFINE_GAIN);
  });
});
