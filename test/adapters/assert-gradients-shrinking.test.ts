/**
 * The property runner's shrinking and replay, on planted bugs in the reference implementation.
 * Expected shapes come from the bugs' definitions and the generators' documented shrink targets.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import type { GradientCase, GradientResult, Implementation } from '../../src/adapters/implementation.js';

// The machinery's own expectations assume no GRADCHECK_* settings from the calling shell.
beforeEach(() => {
  for (const name of ['GRADCHECK_SEED', 'GRADCHECK_PATH', 'GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE']) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const reference = referenceImplementation();

function planted(name: string, change: (c: GradientCase, result: GradientResult) => GradientResult): Implementation {
  return { name, gradients: (c) => change(c, reference.gradients(c) as GradientResult) };
}

/** Wrong only with two or more hidden layers: every dL/dW1 entry is off by 0.01. */
const deepBug = planted('deep bug', (c, r) =>
  c.network.layers.length >= 3 ? { ...r, parameters: [{ ...r.parameters[0], W: r.parameters[0].W.map((row) => row.map((v) => v + 0.01)) }, ...r.parameters.slice(1)] } : r,
);

/** Wrong only with batch > 1: parameter gradients of the first sample alone (dL/dx stays right). */
const batchBug: Implementation = {
  name: 'batch bug',
  gradients(c) {
    const full = reference.gradients(c) as GradientResult;
    const first = reference.gradients({ ...c, inputs: [c.inputs[0]], targets: [c.targets[0]] }) as GradientResult;
    return { ...full, parameters: first.parameters, loss: undefined };
  },
};

describe('runGradientProperty shrinking', () => {
  it.each([1, 2, 3])('a bug that needs two hidden layers shrinks to exactly two hidden layers of width 1 (seed %i)', async (seed) => {
    const result = await runGradientProperty(deepBug, { seed, runs: 100 });
    expect(result.verdict).toBe('fail');
    expect(result.error).toBeUndefined();
    const network = result.counterexample!.report.case.network;
    expect(network.layers).toHaveLength(3);
    expect(network.layers.slice(0, 2).map((l) => l.outputs)).toEqual([1, 1]);
  });

  it.each([1, 2, 3])('a bug that needs batch > 1 shrinks to batch 2 (seed %i)', async (seed) => {
    const result = await runGradientProperty(batchBug, { seed, runs: 100 });
    expect(result.verdict).toBe('fail');
    expect(result.error).toBeUndefined();
    expect(result.counterexample!.report.case.inputs).toHaveLength(2);
  });
});

describe('runGradientProperty replay', () => {
  it('replaying the printed seed and path reproduces the same counterexample (option and environment)', async () => {
    const first = await runGradientProperty(batchBug, { seed: 7, runs: 100 });
    expect(first.verdict).toBe('fail');
    const byOption = await runGradientProperty(batchBug, { seed: first.seed, path: first.path });
    vi.stubEnv('GRADCHECK_SEED', String(first.seed));
    vi.stubEnv('GRADCHECK_PATH', first.path!);
    const byEnv = await runGradientProperty(batchBug);
    for (const replay of [byOption, byEnv]) {
      expect(replay.verdict).toBe('fail');
      expect(replay.counterexample!.description).toBe(first.counterexample!.description);
      expect(replay.counterexample!.report.case.parameters).toEqual(first.counterexample!.report.case.parameters);
      expect(replay.counterexample!.report.report.failures).toEqual(first.counterexample!.report.report.failures);
      expect(replay.path).toBe(first.path);
    }
  });

  it('the same seed without a path reproduces the whole run', async () => {
    const a = await runGradientProperty(deepBug, { seed: 11, runs: 50 });
    const b = await runGradientProperty(deepBug, { seed: 11, runs: 50 });
    expect(b.path).toBe(a.path);
    expect(b.counterexample!.description).toBe(a.counterexample!.description);
  });
});
