/**
 * The reference engine's analytic gradients (dL/dθ and dL/dx) agree with the finite-difference checker
 * on random networks of every activation and reduction, with and without bias, batch 1 to 6.
 *
 * Seed: GRADCHECK_SEED, else this suite's fixed seed (reproducible CI); runs scale with GRADCHECK_RUNS_SCALE.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkCase } from '../src/arbitraries/network-case.js';
import { fastCheckParameters, propertyTimeout } from '../src/runner/property-parameters.js';
import { checkNetwork } from '../src/check/strategies/check-network.js';
import { renderReport } from '../src/check/report/render-report.js';
import { activationNames } from '../src/engine/activation.js';
import { reductions } from '../src/engine/loss.js';

const parameters = fastCheckParameters(15, { where: 'properties/engine-gradients', seedWhenUnset: 1 });
console.info(`properties/engine-gradients: fast-check seed ${parameters.seed}, ${parameters.numRuns} runs per property (replay: GRADCHECK_SEED=${parameters.seed})`);

describe('engine gradients agree with finite differences', { timeout: propertyTimeout(parameters.numRuns * 10) }, () => {
  const combinations = activationNames.flatMap((activation) => reductions.flatMap((reduction) => [true, false].map((bias) => [activation, reduction, bias] as const)));

  it.each(combinations)('%s layers, MSE %s, bias %s', (activation, reduction, bias) => {
    const cases = networkCase({ activations: [activation], outputActivations: [activation], reductions: [reduction], bias, maxBatch: 6 });
    fc.assert(
      fc.property(cases, (c) => {
        const report = checkNetwork(c);
        expect(report.verdict, renderReport(report)).toBe('pass');
      }),
      parameters,
    );
  });

  it('mixed activations, reductions and weight regimes', () => {
    fc.assert(
      fc.property(networkCase({ maxBatch: 6 }), (c) => {
        const report = checkNetwork(c);
        expect(report.verdict, renderReport(report)).toBe('pass');
      }),
      { ...parameters, numRuns: parameters.numRuns * 10 },
    );
  });
});
