/**
 * Cases `npm run bench:regimes` found (bench/regime-cases.ts builds them from their seeds, outside the
 * project's generators), replayed: the engine's own gradients, so the expected verdict is `pass`, and
 * the largest entry moved by 1e-2 of itself plus 1e-6 (a planted bug: at a trained optimum every
 * gradient is rounding, ~1e-14, so a relative error alone is below what any check can see), so the
 * expected verdict is `fail`.
 */
import { describe, expect, it } from 'vitest';
import { trainedCase, unnormalisedCase } from '../../bench/regime-cases.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { renderReport } from '../../src/check/report/render-report.js';
import type { NetworkCase } from '../../src/check/objective/network-objective.js';

function planted(c: NetworkCase): { parameters: Float64Array; inputs: Float64Array } {
  const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
  const parameters = g.parameters.slice();
  let at = 0;
  for (let i = 1; i < parameters.length; i++) if (Math.abs(parameters[i]) > Math.abs(parameters[at])) at = i;
  parameters[at] += 1e-2 * parameters[at] + 1e-6;
  return { parameters, inputs: g.inputs };
}

describe('regimes outside the generators, replayed', () => {
  // Before θ's own piece (numerics/estimator.ts, `onOwnPiece`) and units within rounding of their kinks
  // counted as on them (engine/units-on-kinks.ts): INCONCLUSIVE, kinks on both sides of θ within 1e-13.
  it.each([
    [1, 20000060],
    [1, 20000086],
    [2, 20010067],
    [2, 20010079],
    [2, 20010084],
  ])('a ReLU network with %d hidden layer(s) trained to its optimum (seed %d) passes, full and fast, and a planted error fails', (depth, seed) => {
    const { c, label } = trainedCase('relu', depth, seed);
    for (const strategy of ['full', 'fast'] as const) {
      const report = checkNetwork(c, { strategy, seed });
      expect(report.verdict, `${label}\n${renderReport(report)}`).toBe('pass');
      expect(checkNetwork(c, { strategy, seed, claimed: planted(c) }).verdict).toBe('fail');
    }
  });

  it('inputs of 1e5 with weights of 1e-5: fast mode does not fail the correct gradient from a probe its entries contradict', () => {
    // Before: the probe over all of θ, its step scaled by max|θ| = |x|, failed from an agreement band
    // (W1 dir 0: claimed 3116.75, numeric −0.42) while every entry passed (targeted-probes.ts).
    const seed = 20070148;
    const { c } = unnormalisedCase(1e5, seed);
    const report = checkNetwork(c, { strategy: 'fast', seed });
    expect(report.verdict, renderReport(report)).toBe('pass');
    expect(checkNetwork(c, { strategy: 'fast', seed, claimed: planted(c) }).verdict).toBe('fail');
  });
});
