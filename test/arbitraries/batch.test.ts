import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batch } from '../../src/arbitraries/batch.js';
import { drawBatch } from '../../src/arbitraries/draw-batch.js';
import { GradcheckError } from '../../src/errors.js';

const spec = { inputs: 3, layers: [{ outputs: 2, activation: 'identity' as const }] };

describe('batch', () => {
  it('draws sizes within bounds and magnitudes from the list', () => {
    const recipes = fc.sample(batch({ minBatch: 2, maxBatch: 5, magnitudes: [3, 7] }), { numRuns: 200, seed: 1 });
    expect(new Set(recipes.map((r) => r.size))).toEqual(new Set([2, 3, 4, 5]));
    expect(new Set(recipes.map((r) => r.magnitude))).toEqual(new Set([3, 7]));
  });

  it('draws inputs in [−m, m] and targets in [−t, t], shaped batch × inputs and batch × outputs', () => {
    const { inputs, targets } = drawBatch(spec, { size: 50, magnitude: 0.01, targetMagnitude: 2 }, 9);
    expect([inputs.rows, inputs.cols, targets.rows, targets.cols]).toEqual([50, 3, 50, 2]);
    expect(Math.max(...inputs.data.map(Math.abs))).toBeLessThanOrEqual(0.01);
    expect(Math.max(...targets.data.map(Math.abs))).toBeLessThanOrEqual(2);
    // Uniform on [−m, m]: 50·3 draws all within m/2 of 0 has probability 2^−150.
    expect(Math.max(...inputs.data.map(Math.abs))).toBeGreaterThan(0.005);
  });

  it('replays exactly from the seed, and a smaller batch keeps the first rows', () => {
    const big = drawBatch(spec, { size: 4, magnitude: 1, targetMagnitude: 1 }, 123);
    const again = drawBatch(spec, { size: 4, magnitude: 1, targetMagnitude: 1 }, 123);
    const small = drawBatch(spec, { size: 2, magnitude: 1, targetMagnitude: 1 }, 123);
    expect(again.inputs.data).toEqual(big.inputs.data);
    expect(small.inputs.data).toEqual(big.inputs.data.subarray(0, 6));
    expect(small.targets.data).toEqual(big.targets.data.subarray(0, 4));
    expect(drawBatch(spec, { size: 4, magnitude: 1, targetMagnitude: 1 }, 124).inputs.data).not.toEqual(big.inputs.data);
  });

  it('shrinks the size to minBatch', () => {
    const details = fc.check(fc.property(batch({ minBatch: 2 }), () => false), { seed: 4 });
    expect(details.counterexample![0]).toEqual({ size: 2, magnitude: 1, targetMagnitude: 1 });
  });

  it.each([
    [{ minBatch: 0 }, 'batch: constraints.minBatch is 0; expected an integer in [1, 256]'],
    [{ minBatch: 3, maxBatch: 2 }, 'batch: constraints.minBatch is 3 but constraints.maxBatch is 2; expected minBatch ≤ maxBatch'],
    [{ magnitudes: [1, -2] }, 'batch: constraints.magnitudes is [1, -2]; expected a non-empty list of finite numbers > 0'],
    [{ targetMagnitude: Infinity }, 'batch: constraints.targetMagnitude is Infinity; expected a finite number > 0'],
    [{ size: 3 }, 'batch: constraints.size is not a constraint of batch; expected one of minBatch, maxBatch, magnitudes, targetMagnitude'],
  ])('rejects %j', (constraints, message) => {
    expect(() => batch(constraints as never)).toThrow(GradcheckError);
    expect(() => batch(constraints as never)).toThrow(message);
  });
});
