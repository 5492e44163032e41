/**
 * A counterexample that depends on earlier calls (issue 12, item 5): the runner re-checks it fresh, at
 * once and after another case, says so in the message, and finds the earlier cases that make the
 * printed replay fail again on a new instance.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import { examineStateDependence } from '../../src/runner/state-dependence.js';
import { buildCase } from '../../src/arbitraries/build-case.js';
import { networkCase } from '../../src/arbitraries/network-case.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import type { GradientCase, GradientResult, Implementation } from '../../src/adapters/implementation.js';

beforeEach(() => {
  for (const name of ['GRADCHECK_SEED', 'GRADCHECK_PATH', 'GRADCHECK_PRELUDE', 'GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE']) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const reference = referenceImplementation();
const correct = (c: GradientCase): GradientResult => reference.gradients(c) as GradientResult;
const shapeOf = (c: GradientCase): string => JSON.stringify([c.network, c.inputs.length]);

/** Gradient buffers per architecture, added to on every call and never zeroed. */
function accumulating(): Implementation {
  const buffers = new Map<string, GradientResult>();
  return {
    name: 'accumulating',
    gradients(c) {
      const r = correct(c);
      const old = buffers.get(shapeOf(c));
      const sum: GradientResult = old
        ? { parameters: r.parameters.map((p, l) => ({ W: p.W.map((row, i) => row.map((v, j) => v + old.parameters[l].W[i][j])), ...(p.b && { b: p.b.map((v, j) => v + old.parameters[l].b![j]) }) })) }
        : { parameters: r.parameters };
      buffers.set(shapeOf(c), sum);
      return sum;
    },
  };
}

/** Answers every case with the gradients of the first case of the same shape it saw. */
function shapeCache(): Implementation {
  const cache = new Map<string, GradientResult>();
  return {
    name: 'shape cache',
    gradients(c) {
      if (!cache.has(shapeOf(c))) cache.set(shapeOf(c), correct(c));
      return cache.get(shapeOf(c))!;
    },
  };
}

/** Right for its first `n − 1` calls, then every gradient doubled (a buffer that overflows, say). */
function wrongFromCall(n: number): Implementation {
  let calls = 0;
  return {
    name: `wrong from call ${n}`,
    gradients(c) {
      const r = correct(c);
      return ++calls < n ? r : { parameters: r.parameters.map((p) => ({ W: p.W.map((row) => row.map((v) => 2 * v)), ...(p.b && { b: p.b.map((v) => 2 * v) }) })) };
    },
  };
}

/** Wrong the first time it sees a case (an uninitialised buffer on a cold cache), right when asked again. */
function wrongWhenCold(): Implementation {
  const seen = new Set<string>();
  return {
    name: 'wrong when cold',
    gradients(c) {
      const key = JSON.stringify([c.network, c.parameters, c.inputs, c.targets, c.reduction]);
      const cold = !seen.has(key);
      seen.add(key);
      const r = correct(c);
      return cold ? { parameters: r.parameters.map((p) => ({ ...p, W: p.W.map((row) => row.map((v) => 2 * v + 1)) })) } : r;
    },
  };
}

const negated: Implementation = {
  name: 'negated',
  gradients(c) {
    const r = correct(c);
    return { parameters: r.parameters.map((p) => ({ W: p.W.map((row) => row.map((v) => -v)), ...(p.b && { b: p.b.map((v) => -v) }) })) };
  },
};

describe('a failure that depends on earlier calls', () => {
  it('is said to (the counterexample alone passes on a fresh instance), and its replay line (seed, path and prelude) fails again on a new instance', async () => {
    // Wrong from its third call on: a case and its companion are two calls, so only earlier cases trip it.
    const result = await runGradientProperty(wrongFromCall(3), { seed: 7, runs: 200, fresh: () => wrongFromCall(3), diagnose: false });
    expect(result.verdict).toBe('fail');
    expect(result.state).toMatchObject({ dependsOnEarlierCalls: true, fresh: 'pass' });
    const prelude = result.state!.prelude!;
    expect(prelude.length).toBeGreaterThan(0);
    expect(result.message).toContain('this failure depends on earlier calls: on a fresh instance it passes; checked again at once it fails;');
    expect(result.message).toContain(`On a fresh instance it fails again after the case at fast-check path "${prelude[0]}"; the replay below checks it first.`);
    expect(result.replay).toBe(`GRADCHECK_SEED=7 GRADCHECK_PATH="${result.path}" GRADCHECK_PRELUDE="${prelude.join(',')}" <your test command>, or options { seed: 7, path: "${result.path}", prelude: [${prelude.map((q) => `"${q}"`).join(', ')}] }`);
    expect(result.message).toContain(`replay: ${result.replay}`);

    expect((await runGradientProperty(wrongFromCall(3), { seed: 7, path: result.path, prelude, diagnose: false })).verdict).toBe('fail');
    vi.stubEnv('GRADCHECK_SEED', '7');
    vi.stubEnv('GRADCHECK_PATH', result.path!);
    vi.stubEnv('GRADCHECK_PRELUDE', prelude.join(','));
    expect((await runGradientProperty(wrongFromCall(3), { diagnose: false })).verdict).toBe('fail');
  });

  it.each([
    ['buffers never zeroed', accumulating],
    ['a cache keyed by shape', shapeCache],
  ])('%s: caught through the case’s companion, said to need it, and replayed by the path alone on a new instance', async (_, create) => {
    for (const seed of [3, 7]) {
      const result = await runGradientProperty(create(), { seed, runs: 200, fresh: create, diagnose: false });
      expect(result.verdict).toBe('fail');
      expect(result.counterexample!.description).toMatch(/^\[1 → identity 1\], batch 1, MSE sum, .*, (after the same inputs with other weights|after the same weights with other inputs|checked twice in a row)$/);
      expect(result.state).toMatchObject({ dependsOnEarlierCalls: true, fresh: 'fail' });
      expect(result.state!.companion).toBeDefined();
      expect(result.state!.prelude).toBeUndefined();
      expect(result.message).toMatch(/this failure depends on earlier calls: alone on a fresh instance it passes; on a fresh instance after (its inputs with other weights|its weights with other inputs|the same case) it fails\. .* The replay below checks both\./);
      expect(result.replay).not.toContain('PRELUDE');
      expect((await runGradientProperty(create(), { seed, path: result.path, diagnose: false })).verdict).toBe('fail');
    }
  });

  it('is told without a fresh instance when checking it again gives another verdict, and the message says the replay may pass', async () => {
    const result = await runGradientProperty(wrongWhenCold(), { seed: 1, runs: 50, diagnose: false });
    expect(result.verdict).toBe('fail');
    expect(result.state).toMatchObject({ dependsOnEarlierCalls: true, again: 'pass' });
    expect(result.state!.fresh).toBeUndefined();
    expect(result.message).toContain('this failure depends on earlier calls: checked again at once it passes;');
    expect(result.message).toContain('Without a fresh instance (options.fresh) the earlier cases that lead to it cannot be found: the replay below may pass.');
    expect(result.replay).not.toContain('PRELUDE');
  });

  it('when what failed is the companion checked first, the case alone passing on a fresh instance says nothing about state', async () => {
    // A stateless implementation, wrong on every case but the main one: the companion (the same inputs, other
    // weights) is checked first on an instance nothing has called, fails, and is the counterexample. Seen
    // with the tape catalogue's weight-vjp-float32 (fast-check seed 2), whose float32 sum fails on the
    // companion only: it was said to depend on earlier calls.
    const main = buildCase({ network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity', bias: true }] }, batch: { size: 2, magnitude: 1, targetMagnitude: 1 }, weights: { regime: 'ordinary', scale: 1, biasScale: 0.5, saturation: 10, kinkFraction: 0.5 }, reduction: 'sum', seed: 7, history: 'same-inputs' });
    expect(main.before).toBeDefined();
    const w = main.params[0];
    const wrongButMain: Implementation = { name: 'wrong but on the main case', gradients: (c) => (c.parameters[0].W[0][0] === w ? correct(c) : negated.gradients(c)) as GradientResult };
    const state = await examineStateDependence({ impl: wrongButMain, fresh: () => wrongButMain, arbitrary: networkCase(), seed: 1, counterexample: main, path: '0', nextId: idCounter(), checkOptions: {} });
    expect(state).toMatchObject({ dependsOnEarlierCalls: false, fresh: 'fail' });
    expect(state.companion).toBeUndefined();
  });
});

describe('a failure that does not depend on earlier calls', () => {
  it('fails fresh, again and after another case, and nothing is said about state', async () => {
    const result = await runGradientProperty(negated, { seed: 5, runs: 20, fresh: () => negated, diagnose: false });
    expect(result.verdict).toBe('fail');
    expect(result.state).toMatchObject({ dependsOnEarlierCalls: false, fresh: 'fail', again: 'fail', afterAnother: 'fail' });
    expect(result.message).not.toContain('depends on earlier calls');
    expect(result.replay).not.toContain('PRELUDE');
  });
});

describe('bad state and replay options', () => {
  it.each([
    [{ fresh: 3 }, 'runGradientProperty: options.fresh is number; expected a function returning a new instance of the implementation'],
    [{ diagnose: 'yes' }, 'runGradientProperty: options.diagnose is "yes"; expected true or false'],
    [{ seed: 1, prelude: ['0'] }, 'runGradientProperty: options.prelude is given but no path; a prelude is checked before a replayed path (options.path or GRADCHECK_PATH)'],
    [{ seed: 1, path: '0', prelude: ['a'] }, 'runGradientProperty: options.prelude is ["a"]; expected an array of fast-check paths such as ["3:1:0"]'],
    [{ seed: 1, path: '0', prelude: '0' }, 'runGradientProperty: options.prelude is "0"; expected an array of fast-check paths such as ["3:1:0"]'],
  ])('%j is a usage error', async (options, message) => {
    const result = await runGradientProperty(negated, options as never);
    expect(result.verdict).toBe('fail');
    expect(result.runs).toBe(0);
    expect(result.error?.message).toBe(message);
  });

  it('names GRADCHECK_PRELUDE when it is not a list of paths', async () => {
    vi.stubEnv('GRADCHECK_PRELUDE', '1,x');
    const result = await runGradientProperty(negated, { seed: 1, path: '0' });
    expect(result.error?.message).toBe('runGradientProperty: GRADCHECK_PRELUDE is "1,x"; expected comma-separated fast-check paths such as "3:1:0,3:1"');
  });

  it('says which prelude path leads to no case', async () => {
    const result = await runGradientProperty(negated, { seed: 1, path: '0', prelude: ['0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0'] });
    expect(result.error?.message).toMatch(/^runGradientProperty: the prelude path "0(:0)+" leads to no case with seed 1; copy the replay line of the failure$/);
  });
});
