// gradcheck's vitest matchers, registered by vitest.config.ts's setupFiles (src/vitest/index.ts) as a
// user registers `gradcheck/vitest`, on the small hand-written TypeScript backprop and its buggy twin.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buggyHandWrittenBackprop, handWrittenBackprop } from '../../examples/typescript/hand-written-backprop.js';
import { Network, checkImplementationCase, checkNetwork, randomParameters, type Implementation, type NetworkCase } from '../../src/index.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { randomMatrix, seededRandom } from '../../src/engine/random-parameters.js';
import { gradcheckMatchers } from '../../src/vitest/index.js';

beforeEach(() => {
  for (const name of ['GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE', 'GRADCHECK_SEED', 'GRADCHECK_PATH']) vi.stubEnv(name, '');
});
afterEach(() => vi.unstubAllEnvs());

/** The message a rejected (async) assertion fails with. */
async function failureOf(assertion: Promise<unknown>): Promise<string> {
  const error = await assertion.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

/** [3 → sigmoid 2 → identity 1], batch 2: a hidden sigmoid layer, where the buggy backprop goes wrong. */
function sigmoidCase(seed = 1): NetworkCase {
  const network = new Network({ inputs: 3, layers: [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }] });
  const random = seededRandom(seed);
  return { network, params: randomParameters(network, random), inputs: randomMatrix(2, 3, random), targets: randomMatrix(2, 1, random), reduction: 'mean' };
}

describe('expect(implementation).toHaveCorrectGradients(options)', () => {
  it('passes for the hand-written backprop', async () => {
    await expect(handWrittenBackprop).toHaveCorrectGradients({ runs: 50, seed: 1 });
  });

  it('.not passes for the buggy one', async () => {
    await expect(buggyHandWrittenBackprop).not.toHaveCorrectGradients({ runs: 50, seed: 1 });
  });

  it('fails the buggy one with the counterexample, the mismatch located in a hidden layer and the replay line', async () => {
    const message = await failureOf(expect(buggyHandWrittenBackprop).toHaveCorrectGradients({ runs: 50, seed: 1 }));
    expect(message).toMatch(/^expected buggy-hand-written-backprop to have correct gradients, but they do not:\nFAIL: buggy-hand-written-backprop: gradients disagree with finite differences/);
    const counterexample = /^counterexample: (\[[^\]]*\].*)$/m.exec(message)?.[1] ?? '';
    // The bug drops σ'(z) in the hidden layers only (examples/typescript/hand-written-backprop.ts):
    // the mismatch is in a hidden layer, before the output layer.
    const depth = (/^\[([^\]]*)\]/.exec(counterexample)?.[1].match(/→/g) ?? []).length;
    const layer = Number(/^mismatch: layer (\d+) [Wb]/m.exec(message)?.[1]);
    expect(depth).toBeGreaterThanOrEqual(2);
    expect(layer).toBeGreaterThanOrEqual(1);
    expect(layer).toBeLessThan(depth);
    expect(message).toMatch(/^replay: GRADCHECK_SEED=1 GRADCHECK_PATH="\d+(:\d+)*" <your test command>, or options \{ seed: 1, path: "\d+(:\d+)*" \}$/m);
  });

  it('.not fails for the correct one, saying its gradients agree', async () => {
    const message = await failureOf(expect(handWrittenBackprop).not.toHaveCorrectGradients({ runs: 10, seed: 2 }));
    expect(message).toBe(
      'expected hand-written-backprop to have wrong gradients (.not.toHaveCorrectGradients), but they agree with finite differences:\n' +
        'PASS: hand-written-backprop: 10 random cases agree with finite differences; fast-check seed 2 (from options.seed)',
    );
  });

  it('an implementation that throws is an error, not wrong gradients: it fails the matcher and .not alike', async () => {
    const throwing: Implementation = {
      name: 'throwing-backprop',
      gradients: () => {
        throw new Error('index out of range');
      },
    };
    const expected = /^gradcheck: throwing-backprop failed on a case \(not a gradient mismatch; not shrunk\): throwing-backprop: case \d+ \(seed \d+\): gradients failed: index out of range/;
    expect(await failureOf(expect(throwing).toHaveCorrectGradients({ runs: 5, seed: 3 }))).toMatch(expected);
    expect(await failureOf(expect(throwing).not.toHaveCorrectGradients({ runs: 5, seed: 3 }))).toMatch(expected);
  });

  it('bad options are an error too', async () => {
    const message = await failureOf(expect(handWrittenBackprop).not.toHaveCorrectGradients({ runs: 0 }));
    expect(message).toBe('gradcheck: hand-written-backprop: the property could not run: runGradientProperty: options.runs is 0; expected a positive integer');
  });
});

describe('expect(report).toPassGradientCheck()', () => {
  it('passes for a GradientReport of correct gradients, and .not says so', () => {
    const report = checkNetwork(sigmoidCase());
    expect(report).toPassGradientCheck();
    // 3·2 + 2 + 2·1 + 1 = 11 parameters and the 2×3 batch: 17 entries.
    expect(() => expect(report).not.toPassGradientCheck()).toThrow(
      'expected the gradient check to fail (.not.toPassGradientCheck), but it passed: PASS: 17 of 17 entries agree with finite differences',
    );
  });

  it('fails for a GradientReport with one entry 1% off, showing the report', () => {
    const nc = sigmoidCase();
    const { parameters } = nc.network.gradients(nc.params, nc.inputs, nc.targets, nc.reduction);
    parameters[8] *= 1.01; // W2[0,0]: after W1 (3×2) and b1 (2)
    const report = checkNetwork(nc, { claimed: { parameters } });
    expect(report).not.toPassGradientCheck();
    expect(() => expect(report).toPassGradientCheck()).toThrow(/^expected the gradient check to pass, but it failed:\n\ngradcheck \(every entry\)[\s\S]*layer 2 W\[0,0\] \(W2\): claimed/);
  });

  it('fails for the buggy backprop\'s ImplementationReport, naming it and the mismatch', async () => {
    const report = await checkImplementationCase(buggyHandWrittenBackprop, sigmoidCase(), { seed: 1, nextId: idCounter() });
    expect(report).not.toPassGradientCheck();
    expect(() => expect(report).toPassGradientCheck()).toThrow(/^expected the gradient check of buggy-hand-written-backprop to pass, but it failed:\nmismatch: layer 1 [Wb]/);
  });

  it('passes for the correct backprop\'s ImplementationReport', async () => {
    const report = await checkImplementationCase(handWrittenBackprop, sigmoidCase(), { seed: 1, nextId: idCounter() });
    expect(report).toPassGradientCheck();
    expect(() => expect(report).not.toPassGradientCheck()).toThrow(/^expected the gradient check of hand-written-backprop to fail \(\.not\.toPassGradientCheck\), but it passed: PASS:/);
  });

  it('rejects anything that is not a report', () => {
    const expected =
      'toPassGradientCheck: received object; expected a GradientReport (from checkGradients, checkNetwork, checkLoss) or an ImplementationReport (from checkImplementationCase)';
    expect(() => expect({ verdict: 'pass' }).toPassGradientCheck()).toThrow(expected);
    expect(() => expect({ verdict: 'pass' }).not.toPassGradientCheck()).toThrow(expected);
    expect(() => expect(undefined).toPassGradientCheck()).toThrow('toPassGradientCheck: received undefined;');
  });
});

describe('the matchers object', () => {
  it('is exported for expect.extend by hand, with the same results', async () => {
    expect(Object.keys(gradcheckMatchers).sort()).toEqual(['toHaveCorrectGradients', 'toPassGradientCheck']);
    expect(gradcheckMatchers.toPassGradientCheck(checkNetwork(sigmoidCase())).pass).toBe(true);
    expect((await gradcheckMatchers.toHaveCorrectGradients(buggyHandWrittenBackprop, { runs: 20, seed: 1 })).pass).toBe(false);
  });
});
