/**
 * What the property runner prints and how it reports errors that are not gradient failures.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assertGradients, GradientPropertyError, runGradientProperty, type PropertyOptions } from '../../src/runner/assert-gradients.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import type { GradientCase, GradientResult, Implementation } from '../../src/adapters/implementation.js';
import { describeEntry } from '../../src/check/report/render-report.js';
import { GradcheckError } from '../../src/errors.js';

// The machinery's own expectations assume no GRADCHECK_* settings from the calling shell.
beforeEach(() => {
  for (const name of ['GRADCHECK_SEED', 'GRADCHECK_PATH', 'GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE']) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const reference = referenceImplementation();

/** Wrong only with two or more hidden layers: dL/dW1[0,0] is off by 0.01. */
const deepBug: Implementation = {
  name: 'deep bug',
  gradients(c: GradientCase) {
    const r = reference.gradients(c) as GradientResult;
    if (c.network.layers.length < 3) return r;
    const W = r.parameters[0].W.map((row) => [...row]);
    W[0][0] += 0.01;
    return { ...r, parameters: [{ ...r.parameters[0], W }, ...r.parameters.slice(1)] };
  },
};

describe('the failure message', () => {
  it('contains the seed, the path, the shrunk case, the located mismatch, the report and the replay line', async () => {
    const result = await runGradientProperty(deepBug, { seed: 42, runs: 100 });
    const { message, path } = result;
    expect(result.verdict).toBe('fail');
    expect(path).toMatch(/^\d+(:\d+)*$/);
    expect(message).toMatch(/^FAIL: deep bug: gradients disagree with finite differences after \d+ random cases? \(shrunk \d+ times?\)/);
    expect(message).toContain(`fast-check seed 42 (from options.seed), path "${path}"`);
    // Every documented shrink target: width 1, identity, bias on, batch 1, sum, magnitude 1, ordinary weights, seed 0.
    expect(message).toContain('counterexample: [1 → identity 1 → identity 1 → identity 1], batch 1, MSE sum, seed 0');
    expect(result.counterexample!.description).toBe('[1 → identity 1 → identity 1 → identity 1], batch 1, MSE sum, seed 0');
    expect(message).toContain('conventions: weights in-out, returns gradient, reduction any, batch; mode reference');
    expect(message).toContain('mismatch: layer 1 W[0,0] (W1): claimed ');
    expect(message).toContain(`mismatch: ${describeEntry(result.counterexample!.report.report.failures[0])}`);
    expect(message).toMatch(/\nW1 +1×1 .*FAIL \(1\)\n/);
    expect(message).toContain(`replay: GRADCHECK_SEED=42 GRADCHECK_PATH="${path}" <your test command>, or options { seed: 42, path: "${path}" }`);
    expect(result.replay).toBe(`GRADCHECK_SEED=42 GRADCHECK_PATH="${path}" <your test command>, or options { seed: 42, path: "${path}" }`);
  });

  it('locates a wrong loss value when only the forward pass is wrong', async () => {
    const wrongLoss: Implementation = { name: 'wrong loss', gradients: (c) => ({ ...(reference.gradients(c) as GradientResult), loss: 1234.5 }) };
    const result = await runGradientProperty(wrongLoss, { seed: 5, runs: 20 });
    expect(result.verdict).toBe('fail');
    expect(result.message).toMatch(/\nloss: claimed 1234\.5, reference [-\d.e+]+, abs err [\d.e+-]+ > tolerance [\d.e+-]+\n/);
  });

  it('prints the seed in use on a pass', async () => {
    const result = await runGradientProperty(reference, { seed: 9, runs: 20 });
    expect(result).toMatchObject({ verdict: 'pass', runs: 20, seed: 9 });
    expect(result.message).toBe('PASS: reference engine: 20 random cases agree with finite differences; fast-check seed 9 (from options.seed)');
  });

  it('assertGradients throws the printed failure and returns the result on a pass', async () => {
    await expect(assertGradients(reference, { seed: 3, runs: 10 })).resolves.toMatchObject({ verdict: 'pass' });
    const failure = await assertGradients(deepBug, { seed: 3, runs: 100 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GradientPropertyError);
    const error = failure as GradientPropertyError;
    expect(error.message).toBe(error.result.message);
    expect(error.message).toContain('counterexample: [1 → identity 1 → identity 1 → identity 1]');
  });
});

describe('errors that are not gradient failures', () => {
  it('an implementation that throws is reported with its case and seed, not shrunk, and replays', async () => {
    const crashes: Implementation = {
      name: 'crashes',
      gradients(c) {
        if (c.inputs.length >= 3) throw new Error('worker exited with code 1');
        return reference.gradients(c);
      },
    };
    const result = await runGradientProperty(crashes, { seed: 8, runs: 100 });
    expect(result.verdict).toBe('fail');
    expect(result.counterexample).toBeUndefined();
    expect(result.error).toBeInstanceOf(GradcheckError);
    expect(result.error!.message).toMatch(/^crashes: case \d+ \(seed \d+\): gradients failed: worker exited with code 1$/);
    expect(result.message).toMatch(/^gradcheck: crashes failed on a case \(not a gradient mismatch; not shrunk\): crashes: case \d+ \(seed \d+\): gradients failed: worker exited with code 1\n/);
    // Not shrunk: the case that threw has the batch it was generated with (3 or 4), and the path is one run index.
    const batch = Number(/\ncase: \[[^\]]*\], batch (\d+),/.exec(result.message)![1]);
    expect(batch).toBeGreaterThanOrEqual(3);
    expect(result.path).toMatch(/^\d+$/);
    expect(result.message).toContain(`fast-check seed 8 (from options.seed), path "${result.path}"`);
    expect(result.message).toContain(`replay: GRADCHECK_SEED=8 GRADCHECK_PATH="${result.path}"`);
    const replay = await runGradientProperty(crashes, { seed: 8, path: result.path });
    expect(replay.message).toBe(result.message);
  });

  it('an error while shrinking stops the shrinking and keeps the smallest counterexample found before it', async () => {
    let wrongAnswers = 0;
    const crashesLater: Implementation = {
      name: 'crashes later',
      gradients(c) {
        if (wrongAnswers >= 2) throw new Error('worker exited with code 1');
        const r = deepBug.gradients(c) as GradientResult;
        if (c.network.layers.length >= 3) wrongAnswers++;
        return r;
      },
    };
    const result = await runGradientProperty(crashesLater, { seed: 12, runs: 100 });
    expect(result.verdict).toBe('fail');
    expect(result.counterexample!.report.case.network.layers.length).toBeGreaterThanOrEqual(3);
    expect(result.error!.message).toMatch(/^crashes later: case \d+ \(seed \d+\): gradients failed: worker exited with code 1$/);
    expect(result.message).toMatch(/^FAIL: crashes later: /);
    expect(result.message).toMatch(/\n\ngradcheck: an error while shrinking \(the counterexample above is the smallest found before it\): crashes later: case \d+ \(seed \d+\): gradients failed: worker exited with code 1\ncase: \[/);
  });

  it('a result of the wrong shape is an error naming the implementation, the case and the field', async () => {
    const badShape: Implementation = {
      name: 'bad shape',
      gradients: (c) => {
        const r = reference.gradients(c) as GradientResult;
        return { ...r, parameters: r.parameters.map((p) => ({ ...p, W: p.W.slice(1) })) };
      },
    };
    const result = await runGradientProperty(badShape, { seed: 1, runs: 10 });
    expect(result.counterexample).toBeUndefined();
    expect(result.error!.message).toMatch(/^bad shape: case \d+ \(seed \d+\): parameters\[0\]\.W has shape \d+×\d+; expected \d+×\d+ \(inputs × outputs, weightLayout 'in-out'\)$/);
  });

  it.each([
    [{ constraints: { maxDepth: 0 } }, 'architecture: constraints.maxDepth is 0; expected an integer in [1, 64]'],
    [{ constraints: { depth: 2 } }, 'networkCase: constraints.depth is not a constraint of networkCase'],
    [{ runs: 0 }, 'runGradientProperty: options.runs is 0; expected a positive integer'],
    [{ seed: 1.5 }, 'runGradientProperty: options.seed is 1.5; expected an integer in [-2147483648, 2147483647]'],
    [{ seed: 1, path: 'abc' }, 'runGradientProperty: options.path is "abc"; expected a fast-check path such as "3:1:0"'],
    [{ path: '1:2' }, 'runGradientProperty: options.path is "1:2" but no seed is given; a path only replays together with its seed (options.seed or GRADCHECK_SEED)'],
  ])('a usage error is returned as an error, not thrown: %j', async (options, message) => {
    const result = await runGradientProperty(reference, options as PropertyOptions);
    expect(result.verdict).toBe('fail');
    expect(result.error).toBeInstanceOf(GradcheckError);
    expect(result.error!.message).toContain(message);
    expect(result.message).toBe(`gradcheck: reference engine: the property could not run: ${result.error!.message}`);
  });

  it('rejects constraints that contradict the declared reduction', async () => {
    const sumOnly = referenceImplementation({ name: 'sum only', conventions: { reduction: 'sum' } });
    const result = await runGradientProperty(sumOnly, { constraints: { reductions: ['mean'] } });
    expect(result.error!.message).toBe(
      `runGradientProperty: constraints.reductions is ["mean"] but sum only declares reduction 'sum'; expected a list that includes 'sum' (or no reductions constraint)`,
    );
  });

  it('rejects something that is not an implementation', async () => {
    const result = await runGradientProperty({ name: 'nothing' } as never);
    expect(result.error!.message).toBe('runGradientProperty: implementation.gradients is undefined; expected a function gradients(case)');
  });
});
