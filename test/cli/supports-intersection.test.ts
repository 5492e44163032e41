// The intersection of a worker's supports with the user's constraints: lists in the user's order,
// bias as sets of settings, the tighter bound, and an empty result named by both sides.
import { describe, expect, it } from 'vitest';
import { intersectSupports, type Supports } from '../../src/arbitraries/supports.js';

const user = (supports: Supports) => ({ supports, name: (f: string) => `--${f}` });
const worker = (supports: Supports) => ({ supports, name: (f: string) => `worker.${f}` });

describe('intersectSupports', () => {
  it('keeps what only one side constrains, intersects lists in the user\'s order, takes the tighter bound', () => {
    expect(intersectSupports(user({ activations: ['relu', 'sigmoid', 'identity'], maxWidth: 3 }), worker({ activations: ['sigmoid', 'relu'], minWidth: 2, maxWidth: 8, bias: true }))).toEqual({
      activations: ['relu', 'sigmoid'],
      bias: true,
      minWidth: 2,
      maxWidth: 3,
    });
    expect(intersectSupports(user({}), worker({}))).toEqual({});
  });

  it.each<[Supports, Supports, string, string]>([
    [{ bias: 'mixed' }, { bias: false }, 'bias', 'false'],
    [{ bias: true }, { bias: 'mixed' }, 'bias', 'true'],
    [{ bias: 'mixed' }, { bias: 'mixed' }, 'bias', '"mixed"'],
  ])('bias %j ∩ %j', (a, b, field, expected) => {
    expect(JSON.stringify(intersectSupports(user(a), worker(b))[field as 'bias'])).toBe(expected);
  });

  it.each<[Supports, Supports, string]>([
    [{ reductions: ['mean'] }, { reductions: ['sum', 'half-sum'] }, 'no case satisfies both --reductions mean and worker.reductions sum,half-sum: they share none'],
    [{ bias: true }, { bias: false }, 'no case satisfies both --bias on and worker.bias off'],
    [{ minDepth: 4 }, { maxDepth: 2 }, 'no case satisfies both --minDepth 4 and worker.maxDepth 2'],
    [{ maxBatch: 1 }, { minBatch: 3 }, 'no case satisfies both worker.minBatch 3 and --maxBatch 1'],
  ])('%j ∩ %j is empty', (a, b, message) => {
    expect(() => intersectSupports(user(a), worker(b), 'cases')).toThrow(`cases: ${message}`);
  });
});
