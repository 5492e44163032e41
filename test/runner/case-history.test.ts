/**
 * Generators that trip state (issue 21, item 3): a cache keyed by part of a case is caught within the
 * default runs, shrunk to the smallest case, and its printed replay fails again on a new instance.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import type { GradientCase, GradientResult, Implementation } from '../../src/adapters/implementation.js';
import { buildCase, type CaseRecipe } from '../../src/arbitraries/build-case.js';
import { caseHistory, COMPANION_HISTORIES, PLAIN_WEIGHT, repeatedRow, REPEATED_ROW_ODDS } from '../../src/arbitraries/case-history.js';

beforeEach(() => {
  for (const name of ['GRADCHECK_SEED', 'GRADCHECK_PATH', 'GRADCHECK_PRELUDE', 'GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE']) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const reference = referenceImplementation();
const correct = (c: GradientCase): GradientResult => reference.gradients(c) as GradientResult;

/** Memoises answers by `key(case)`: a bug unless the key is the whole case. */
function memo(name: string, key: (c: GradientCase) => unknown): Implementation {
  const cache = new Map<string, GradientResult>();
  return {
    name,
    gradients(c) {
      const k = JSON.stringify(key(c));
      if (!cache.has(k)) cache.set(k, correct(c));
      return cache.get(k)!;
    },
  };
}
const byInputs = () => memo('cache keyed by the inputs', (c) => c.inputs);
const byWeights = () => memo('cache keyed by the weights', (c) => c.parameters);
const byWholeCase = () => memo('cache keyed by the whole case', (c) => [c.network, c.parameters, c.inputs, c.targets, c.reduction]);

const recipe: CaseRecipe = {
  network: { inputs: 2, layers: [{ outputs: 3, activation: 'sigmoid', bias: true }, { outputs: 1, activation: 'identity', bias: true }] },
  batch: { size: 3, magnitude: 1, targetMagnitude: 1 },
  weights: { regime: 'ordinary', scale: 1, biasScale: 1, saturation: 8, kinkFraction: 0.5 },
  reduction: 'mean',
  seed: 52,
};

describe('case histories', () => {
  it('draws each companion in 1 case of 10, so 100 runs miss a one-kind bug with probability below 1e-4', () => {
    const p = 1 / (PLAIN_WEIGHT + COMPANION_HISTORIES.length);
    expect(p).toBe(0.1);
    expect((1 - p) ** 100).toBeLessThan(1e-4);
    const drawn = fc.sample(caseHistory(), { numRuns: 20_000, seed: 7 });
    for (const kind of COMPANION_HISTORIES) {
      // Binomial(20000, 0.1): σ ≈ 42; 5σ either side.
      const count = drawn.filter((h) => h === kind).length;
      expect(Math.abs(count - 2000)).toBeLessThan(5 * 42.5);
    }
    expect(fc.sample(repeatedRow(), { numRuns: 8000, seed: 7 }).filter(Boolean).length / 8000).toBeCloseTo(1 / REPEATED_ROW_ODDS, 1);
  });

  it('builds companions that share exactly the part they name', () => {
    const plain = buildCase(recipe);
    expect(plain.before).toBeUndefined();
    const sameInputs = buildCase({ ...recipe, history: 'same-inputs' });
    expect(Array.from(sameInputs.before!.inputs.data)).toEqual(Array.from(plain.inputs.data));
    expect(Array.from(sameInputs.before!.targets.data)).toEqual(Array.from(plain.targets.data));
    expect(sameInputs.before!.params.some((v, k) => v !== plain.params[k])).toBe(true);
    expect(Array.from(sameInputs.params)).toEqual(Array.from(plain.params));
    const sameWeights = buildCase({ ...recipe, history: 'same-weights' });
    expect(Array.from(sameWeights.before!.params)).toEqual(Array.from(plain.params));
    expect(sameWeights.before!.inputs.data.some((v, k) => v !== plain.inputs.data[k])).toBe(true);
    const repeated = buildCase({ ...recipe, history: 'repeated' });
    expect(Array.from(repeated.before!.params)).toEqual(Array.from(plain.params));
    expect(Array.from(repeated.before!.inputs.data)).toEqual(Array.from(plain.inputs.data));
    expect(repeated.before!.inputs.data).not.toBe(plain.inputs.data);
    expect(sameInputs.description).toBe('[2 → sigmoid 3 → identity 1], batch 3, MSE mean, seed 52, after the same inputs with other weights');
    expect(sameInputs.before!.description).toBe(`its inputs with other weights, checked before ${sameInputs.description}`);
  });

  it('repeats the first sample as the last, in batches of two rows or more', () => {
    const c = buildCase({ ...recipe, repeatedRow: true });
    const row = (n: number) => Array.from(c.inputs.data.slice(n * 2, n * 2 + 2));
    expect(row(2)).toEqual(row(0));
    expect(c.targets.data[2]).toBe(c.targets.data[0]);
    expect(row(1)).not.toEqual(row(0));
    expect(c.description).toBe('[2 → sigmoid 3 → identity 1], batch 3, MSE mean, first row repeated last, seed 52');
    const single = buildCase({ ...recipe, batch: { ...recipe.batch, size: 1 }, repeatedRow: true });
    expect(single.description).not.toContain('repeated');
  });
});

describe('a cache keyed by part of the case', () => {
  it.each([
    ['the inputs', byInputs, 'after the same inputs with other weights'],
    ['the weights', byWeights, 'after the same weights with other inputs'],
  ])('keyed by %s is caught in the default 100 runs on every seed, shrunk to [1 → identity 1], and replays on a new instance', async (_, create, companion) => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const result = await runGradientProperty(create(), { seed, fresh: create, diagnose: false });
      expect(result.verdict, `seed ${seed}`).toBe('fail');
      expect(result.runs).toBeLessThanOrEqual(100);
      expect(result.counterexample!.description).toMatch(/^\[1 → identity 1\], batch 1, MSE sum, /);
      expect(result.counterexample!.description).toContain(companion);
      expect(result.message).toContain(companion);
      const replay = await runGradientProperty(create(), { seed, path: result.path, diagnose: false });
      expect(replay.verdict, `replay of seed ${seed}`).toBe('fail');
    }
  });

  it('keyed by the whole case is a true memo and passes', async () => {
    for (const seed of [1, 2, 3]) expect((await runGradientProperty(byWholeCase(), { seed, fresh: byWholeCase })).verdict).toBe('pass');
  });
});
