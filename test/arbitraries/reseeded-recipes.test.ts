import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { architectureBounds } from '../../src/arbitraries/architecture.js';
import type { CaseRecipe } from '../../src/arbitraries/build-case.js';
import { networkCase } from '../../src/arbitraries/network-case.js';
import { coupledBatchRecipes, entriesOf, reseedCount, ReseedBudgets, reseededSmallerRecipes } from '../../src/arbitraries/reseeded-recipes.js';
import { smallerArchitectures } from '../../src/arbitraries/smaller-architectures.js';

const recipe: CaseRecipe = {
  network: { inputs: 2, layers: [{ outputs: 3, activation: 'sigmoid', bias: true }, { outputs: 1, activation: 'identity', bias: true }] },
  batch: { size: 3, magnitude: 1, targetMagnitude: 1 },
  weights: { regime: 'saturating', scale: 1, biasScale: 0.5, saturation: 10, kinkFraction: 0.5 },
  reduction: 'mean',
  seed: 41,
};
const bounds = architectureBounds();

describe('reseededSmallerRecipes', () => {
  it('tries the first four smaller architectures and the smaller batches, each under the three next seeds, nothing else changed', () => {
    const candidates = [...reseededSmallerRecipes(recipe, bounds, 1, 999_999)];
    const networks = [...smallerArchitectures(recipe.network, bounds)].slice(0, 4);
    const expected = [
      ...networks.flatMap((network) => [42, 43, 44].map((seed) => ({ ...recipe, network, seed }))),
      ...[1, 2].flatMap((size) => [42, 43, 44].map((seed) => ({ ...recipe, batch: { ...recipe.batch, size }, seed }))),
    ];
    expect(candidates).toEqual(expected);
  });

  it('wraps seeds within [0, maxSeed] and has none when maxSeed is 0', () => {
    expect([...reseededSmallerRecipes({ ...recipe, seed: 9 }, bounds, 1, 10)].slice(0, 3).map((r) => r.seed)).toEqual([10, 0, 1]);
    expect([...reseededSmallerRecipes({ ...recipe, seed: 0 }, bounds, 1, 0)]).toEqual([]);
  });

  it('has no candidate for the smallest case', () => {
    const smallest: CaseRecipe = { ...recipe, network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity', bias: true }] }, batch: { ...recipe.batch, size: 1 } };
    expect([...reseededSmallerRecipes(smallest, bounds, 1, 999_999)]).toEqual([]);
  });
});

describe('seeds per smaller structure from the search (ReseedBudgets)', () => {
  it('counts a structure\'s entries: parameters and inputs', () => {
    // [2 → sigmoid 3 → identity 1], batch 3: W1 2·3 + b1 3 + W2 3·1 + b2 1 = 13 parameters, x 3·2 = 6.
    expect(entriesOf(recipe)).toBe(19);
    expect(entriesOf({ network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity', bias: false }] }, batch: { ...recipe.batch, size: 3 } })).toBe(4);
  });

  it('gives ⌈ln 8 · searched / candidate⌉ seeds, at least 3', () => {
    // By hand: ln 8 = 2.0794415; 2.0794415 · 774 / 3 = 536.50 → 537 (a failure at run 42 of 18 entries, a candidate of 3).
    expect(reseedCount(774, 3)).toBe(537);
    expect(reseedCount(19, 19)).toBe(3);
    expect(reseedCount(1, 100)).toBe(3);
  });

  it('misses a structure whose entries show the bug at the search\'s rate with probability ≤ 1/8', () => {
    for (const [searched, candidate] of [[774, 3], [50, 4], [3650, 4], [22, 22]]) {
      const s = reseedCount(searched, candidate);
      // Each seed shows it with probability candidate/searched (per-entry rate 1/searched).
      expect((1 - candidate / searched) ** s).toBeLessThanOrEqual(1 / 8);
    }
  });

  it('a generated root gets (run + 1) × its entries; its shrinks inherit; other recipes get 3', () => {
    const budgets = new ReseedBudgets();
    budgets.generated(recipe, 9);
    const child: CaseRecipe = { ...recipe, batch: { ...recipe.batch, size: 2 } };
    budgets.inherit(child, recipe);
    expect(budgets.seeds(recipe, 4)).toBe(reseedCount(10 * 19, 4));
    expect(budgets.seeds(child, 4)).toBe(reseedCount(10 * 19, 4));
    expect(budgets.seeds({ ...recipe }, 4)).toBe(3);
  });

  it('reseededSmallerRecipes tries each structure under the seeds it is given', () => {
    const candidates = [...reseededSmallerRecipes(recipe, bounds, 1, 999_999, (e) => e)];
    const networks = [...smallerArchitectures(recipe.network, bounds)].slice(0, 4);
    const structures = [...networks.map((network) => ({ network, batch: recipe.batch })), ...[1, 2].map((size) => ({ network: recipe.network, batch: { ...recipe.batch, size } }))];
    expect(candidates.length).toBe(structures.reduce((n, s) => n + entriesOf(s), 0));
  });
});

describe('networkCase shrinking past values that hide a bug', () => {
  // Seeds 0 and 1 only. The bug shows under seed 0 in a network with a width ≥ 2, and under seed 1 in
  // [1 → identity 1]: a value-dependent bug whose smallest network needs another seed. The smallest
  // failing case is [1 → identity 1], batch 1, seed 1; from a seed-0 failure, fast-check shrinking one
  // field at a time stops at [1 → identity 2], seed 0, and only a smaller network tried under the next
  // seed reaches it.
  const hides = (c: { seed: number; network: { layers: readonly { outputs: number }[] } }) => {
    const wide = c.network.layers.some((l) => l.outputs >= 2);
    return c.seed === 0 ? wide : !wide;
  };
  const property = () => fc.property(networkCase({ maxSeed: 1, reductions: ['sum'] }), (c) => !hides(c));

  it.each(Array.from({ length: 10 }, (_, k) => k + 1))('ends at [1 → identity 1], batch 1, seed 1 (fast-check seed %i)', (seed) => {
    const details = fc.check(property(), { seed });
    expect(details.counterexample![0].description).toBe('[1 → identity 1], batch 1, MSE sum, seed 1');
  });

  it('a printed path replays the same shrunk case', () => {
    const details = fc.check(property(), { seed: 4 });
    const again = fc.check(property(), { seed: 4, path: details.counterexamplePath! });
    expect(again.counterexample![0].description).toBe(details.counterexample![0].description);
  });
});

describe('coupledBatchRecipes', () => {
  const square: CaseRecipe = { ...recipe, network: { inputs: 1, layers: [{ outputs: 4, activation: 'identity', bias: true }, { outputs: 1, activation: 'identity', bias: true }] }, batch: { ...recipe.batch, size: 4 } };

  it('shrinks the batch with every width of its size (to the lowest, the midpoint, one less), under its own seed and the three next', () => {
    const candidates = [...coupledBatchRecipes(square, bounds, 1, 999_999)];
    const at = (w: number) => ({ ...square.network, layers: [{ ...square.network.layers[0], outputs: w }, square.network.layers[1]] });
    expect(candidates).toEqual([1, 2, 3].flatMap((w) => [41, 42, 43, 44].map((seed) => ({ ...square, network: at(w), batch: { ...square.batch, size: w }, seed }))));
  });

  it('has none when no width equals the batch, or at the smallest batch', () => {
    expect([...coupledBatchRecipes({ ...recipe, batch: { ...recipe.batch, size: 4 } }, bounds, 1, 999_999)]).toEqual([]);
    expect([...coupledBatchRecipes({ ...square, batch: { ...square.batch, size: 1 }, network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity', bias: true }] } }, bounds, 1, 999_999)]).toEqual([]);
  });
});

describe('networkCase shrinking a bug that needs a width equal to the batch', () => {
  // Fails only when some layer's width equals the batch (≥ 2), as a sum over the wrong axis does: the
  // batch and the widths, shrunk one at a time, each undo the equality; shrunk together they reach 2.
  const needsEqual = (c: { inputs: { rows: number }; network: { layers: readonly { outputs: number }[] } }) => c.inputs.rows >= 2 && c.network.layers.some((l) => l.outputs === c.inputs.rows);
  const property = () => fc.property(networkCase({ reductions: ['sum'] }), (c) => !needsEqual(c));

  it.each(Array.from({ length: 10 }, (_, k) => k + 1))('ends at [1 → identity 2], batch 2 (fast-check seed %i)', (seed) => {
    const details = fc.check(property(), { seed });
    expect(details.counterexample![0].description).toMatch(/^\[1 → identity 2\], batch 2, MSE sum, seed \d+$/);
  });
});
