/**
 * Options and environment of the property runner: runs, seed, path, progress, and cases that honour
 * the implementation's declared conventions.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import { resolvePropertyParameters } from '../../src/runner/property-parameters.js';
import type { Conventions } from '../../src/adapters/conventions.js';
import type { GradientCase, Implementation } from '../../src/adapters/implementation.js';
import { GradcheckError } from '../../src/errors.js';

// The machinery's own expectations assume no GRADCHECK_* settings from the calling shell.
beforeEach(() => {
  for (const name of ['GRADCHECK_SEED', 'GRADCHECK_PATH', 'GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE']) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('resolvePropertyParameters', () => {
  it('takes options first, then the environment, then defaults', () => {
    expect(resolvePropertyParameters({ runs: 7, seed: 3, path: '1:0' }, 100, { GRADCHECK_RUNS: '50', GRADCHECK_SEED: '9', GRADCHECK_PATH: '2' })).toEqual({ runs: 7, seed: 3, path: '1:0', seedSource: 'option' });
    expect(resolvePropertyParameters({}, 100, { GRADCHECK_RUNS: '50', GRADCHECK_SEED: '-9', GRADCHECK_PATH: '2:4' })).toEqual({ runs: 50, seed: -9, path: '2:4', seedSource: 'GRADCHECK_SEED' });
    const fallback = resolvePropertyParameters({}, 100, {});
    expect(fallback).toMatchObject({ runs: 100, path: undefined, seedSource: 'random' });
    expect(Number.isInteger(fallback.seed)).toBe(true);
  });

  it('scales runs by GRADCHECK_RUNS_SCALE (test:deep sets 100), rounding and keeping at least one', () => {
    expect(resolvePropertyParameters({ runs: 20 }, 100, { GRADCHECK_RUNS_SCALE: '100' }).runs).toBe(2000);
    expect(resolvePropertyParameters({}, 100, { GRADCHECK_RUNS: '30', GRADCHECK_RUNS_SCALE: '0.5' }).runs).toBe(15);
    expect(resolvePropertyParameters({ runs: 3 }, 100, { GRADCHECK_RUNS_SCALE: '0.01' }).runs).toBe(1);
  });

  it('ignores empty environment variables', () => {
    expect(resolvePropertyParameters({ seed: 1 }, 10, { GRADCHECK_RUNS: '', GRADCHECK_PATH: ' ', GRADCHECK_RUNS_SCALE: '' })).toEqual({ runs: 10, seed: 1, path: undefined, seedSource: 'option' });
  });

  it.each([
    [{ GRADCHECK_SEED: 'abc' }, 'runGradientProperty: environment variable GRADCHECK_SEED is "abc"; expected an integer in [-2147483648, 2147483647]'],
    [{ GRADCHECK_SEED: '4294967296' }, 'runGradientProperty: environment variable GRADCHECK_SEED is "4294967296"; expected an integer in [-2147483648, 2147483647]'],
    [{ GRADCHECK_RUNS: '0' }, 'runGradientProperty: environment variable GRADCHECK_RUNS is "0"; expected a positive integer'],
    [{ GRADCHECK_RUNS_SCALE: '-1' }, 'runGradientProperty: environment variable GRADCHECK_RUNS_SCALE is "-1"; expected a number > 0'],
    [{ GRADCHECK_SEED: '1', GRADCHECK_PATH: '3;1' }, 'runGradientProperty: GRADCHECK_PATH is "3;1"; expected a fast-check path such as "3:1:0"'],
    [{ GRADCHECK_PATH: '3:1' }, 'runGradientProperty: GRADCHECK_PATH is "3:1" but no seed is given; a path only replays together with its seed (options.seed or GRADCHECK_SEED)'],
  ])('rejects a bad environment %j', (env, message) => {
    expect(() => resolvePropertyParameters({}, 100, env)).toThrow(GradcheckError);
    expect(() => resolvePropertyParameters({}, 100, env)).toThrow(message);
  });
});

describe('runGradientProperty options', () => {
  it('reports progress after each random case', async () => {
    const calls: [number, number][] = [];
    const result = await runGradientProperty(referenceImplementation(), { seed: 2, runs: 12, onProgress: (done, total) => calls.push([done, total]) });
    expect(result.verdict).toBe('pass');
    expect(calls).toEqual(Array.from({ length: 12 }, (_, k) => [k + 1, 12]));
  });

  it('passes constraints to the generator', async () => {
    const seen: GradientCase[] = [];
    const spy: Implementation = { name: 'spy', gradients: (c) => (seen.push(c), referenceImplementation().gradients(c)) };
    const progress: number[] = [];
    await runGradientProperty(spy, { seed: 4, runs: 30, onProgress: (n) => progress.push(n), constraints: { maxDepth: 1, minBatch: 3, maxBatch: 3, activations: ['sigmoid'] } });
    // 30 random cases; the calls include their companions (case-history.ts), which share their shape.
    expect(progress).toHaveLength(30);
    expect(seen.length).toBeGreaterThanOrEqual(30);
    expect(seen.every((c) => c.network.layers.length === 1 && c.inputs.length === 3)).toBe(true);
  });

  it.each<[string, Partial<Conventions>]>([
    ['out-in weights', { weightLayout: 'out-in' }],
    ['negative gradients', { returns: 'negative-gradient' }],
    ['updates with a learning rate', { returns: 'update', learningRate: 0.1 }],
    ['per-sample calls with mean reduction', { batch: 'per-sample', reduction: 'mean' }],
    ['half-sum only, out-in', { reduction: 'half-sum', weightLayout: 'out-in' }],
  ])('the reference engine passes in any declared conventions (%s), and only the declared reduction is asked', async (_, conventions) => {
    const inner = referenceImplementation({ conventions });
    const reductions = new Set<string>();
    const spy: Implementation = { name: 'reference', conventions, gradients: (c) => (reductions.add(c.reduction), inner.gradients(c)) };
    const result = await runGradientProperty(spy, { seed: 6, runs: 40 });
    expect(result.message).toMatch(/^PASS/);
    if (conventions.reduction) expect([...reductions]).toEqual([conventions.reduction]);
    else expect(reductions.size).toBe(3);
  });

  it("checks against the implementation's own loss in self mode", async () => {
    const result = await runGradientProperty(referenceImplementation(), { seed: 1, runs: 20, mode: 'self' });
    expect(result.verdict).toBe('pass');
  });
});
