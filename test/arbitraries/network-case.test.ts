import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkCase } from '../../src/arbitraries/network-case.js';
import { buildCase, type CaseRecipe } from '../../src/arbitraries/build-case.js';
import { describeGeneratedCase } from '../../src/arbitraries/describe-generated-case.js';
import { GradcheckError } from '../../src/errors.js';

const recipe: CaseRecipe = {
  network: { inputs: 3, layers: [{ outputs: 2, activation: 'relu', bias: true }, { outputs: 1, activation: 'identity', bias: true }] },
  batch: { size: 1, magnitude: 1, targetMagnitude: 1 },
  weights: { regime: 'ordinary', scale: 1, biasScale: 0.5, saturation: 10, kinkFraction: 0.5 },
  reduction: 'sum',
  seed: 1234,
};

describe('networkCase', () => {
  it('describes a case in one line (the format of issue 4)', () => {
    expect(describeGeneratedCase(recipe)).toBe('[3 → relu 2 → identity 1], batch 1, MSE sum, seed 1234');
    const unusual: CaseRecipe = { ...recipe, batch: { ...recipe.batch, size: 2, magnitude: 0.01 }, weights: { ...recipe.weights, regime: 'near-kink', scale: 2 } };
    expect(describeGeneratedCase(unusual)).toBe('[3 → relu 2 → identity 1], batch 2, MSE sum, inputs ±0.01, near-kink weights, weight scale 2, seed 1234');
  });

  it('prints as its description in fast-check reports', () => {
    expect(fc.stringify(buildCase(recipe))).toBe('[3 → relu 2 → identity 1], batch 1, MSE sum, seed 1234');
  });

  it('rebuilds the same case bit for bit from its recipe', () => {
    for (const c of fc.sample(networkCase(), { numRuns: 30, seed: 1 })) {
      const again = buildCase(c.recipe);
      expect(again.params).toEqual(c.params);
      expect(again.inputs).toEqual(c.inputs);
      expect(again.targets).toEqual(c.targets);
      expect(again.description).toBe(c.description);
    }
  });

  it('generates consistent shapes and passes constraints on to each part', () => {
    const cases = fc.sample(networkCase({ maxDepth: 2, maxBatch: 2, reductions: ['mean'], regimes: ['ordinary'], maxSeed: 9 }), { numRuns: 50, seed: 2 });
    for (const c of cases) {
      expect(c.network.layers.length).toBeLessThanOrEqual(2);
      expect(c.inputs.rows).toBeLessThanOrEqual(2);
      expect(c.targets.rows).toBe(c.inputs.rows);
      expect(c.inputs.cols).toBe(c.network.inputCount);
      expect(c.targets.cols).toBe(c.network.outputCount);
      expect(c.params.length).toBe(c.network.parameterCount);
      expect(c.reduction).toBe('mean');
      expect(c.seed).toBeLessThanOrEqual(9);
    }
  });

  it('shrinks the network, then the batch, then the values: "batch ≥ 2 and depth ≥ 2" ends at the smallest such case', () => {
    const details = fc.check(fc.property(networkCase(), (c) => !(c.inputs.rows >= 2 && c.network.layers.length >= 2)), { seed: 3 });
    // Expected: every documented shrink target (width 1, identity, bias on, magnitude 1, ordinary, scale 1, sum, seed 0).
    expect(details.counterexample![0].description).toBe('[1 → identity 1 → identity 1], batch 2, MSE sum, seed 0');
  });

  it.each([
    [{ maxDept: 3 }, 'networkCase: constraints.maxDept is not a constraint of networkCase; expected one of minDepth'],
    [{ maxSeed: -1 }, 'networkCase: constraints.maxSeed is -1; expected an integer in [0, 2147483647]'],
    [{ maxDepth: 0 }, 'architecture: constraints.maxDepth is 0; expected an integer in [1, 64]'],
    [{ maxBatch: 0 }, 'batch: constraints.maxBatch is 0; expected an integer in [1, 256]'],
    [{ kinkFraction: -0.5 }, 'weights: constraints.kinkFraction is -0.5; expected a number in [0, 1]'],
    [{ reductions: [] }, `reduction: constraints.reductions is []; expected a non-empty list of 'mean', 'sum', 'half-sum'`],
  ])('rejects %j', (constraints, message) => {
    expect(() => networkCase(constraints as never)).toThrow(GradcheckError);
    expect(() => networkCase(constraints as never)).toThrow(message);
  });
});
