import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reduction } from '../../src/arbitraries/reduction.js';
import { GradcheckError } from '../../src/errors.js';

describe('reduction', () => {
  it('draws every reduction by default and only the listed ones when constrained', () => {
    expect(new Set(fc.sample(reduction(), { numRuns: 100, seed: 1 }))).toEqual(new Set(['mean', 'sum', 'half-sum']));
    expect(new Set(fc.sample(reduction({ reductions: ['half-sum'] }), { numRuns: 20, seed: 1 }))).toEqual(new Set(['half-sum']));
  });

  it('shrinks to sum by default', () => {
    expect(fc.check(fc.property(reduction(), () => false), { seed: 2 }).counterexample![0]).toBe('sum');
  });

  it('rejects an unknown reduction', () => {
    const call = () => reduction({ reductions: ['mean', 'max' as never] });
    expect(call).toThrow(GradcheckError);
    expect(call).toThrow(`reduction: constraints.reductions contains "max"; expected only 'mean', 'sum', 'half-sum'`);
  });
});
