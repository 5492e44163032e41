// The matchers' failure messages carry the diagnosis (toHaveCorrectGradients) and headline a loss-only
// disagreement with its ratio (toPassGradientCheck on an ImplementationReport), issue 12 item 4.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buggyHandWrittenBackprop } from '../../examples/typescript/hand-written-backprop.js';
import { Network, checkImplementationCase, randomParameters, type Implementation, type NetworkCase } from '../../src/index.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import type { GradientResult } from '../../src/adapters/implementation.js';
import { randomMatrix, seededRandom } from '../../src/engine/random-parameters.js';

beforeEach(() => {
  for (const name of ['GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE', 'GRADCHECK_SEED', 'GRADCHECK_PATH', 'GRADCHECK_PRELUDE']) vi.stubEnv(name, '');
});
afterEach(() => vi.unstubAllEnvs());

async function failureOf(assertion: Promise<unknown>): Promise<string> {
  const error = await assertion.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

const reference = referenceImplementation();
/** Right gradients; the returned loss is 4 × the reference (a half-sum case: 4 × ½Σ = 2Σ). */
const lossFourTimes: Implementation = {
  name: 'loss 4x',
  gradients(c) {
    const r = reference.gradients(c) as GradientResult;
    return { ...r, loss: 4 * r.loss! };
  },
};

describe('toHaveCorrectGradients', () => {
  it('prints the diagnosis of the counterexample', async () => {
    const message = await failureOf(expect(buggyHandWrittenBackprop).toHaveCorrectGradients({ runs: 50, seed: 1 }));
    expect(message).toMatch(/^expected buggy-hand-written-backprop to have correct gradients, but they do not:\nFAIL: /);
    expect(message).toMatch(/^Diagnosis of buggy-hand-written-backprop on \[.*\], batch \d+, MSE [a-z-]+:$/m);
    expect(message.indexOf('Diagnosis of')).toBeLessThan(message.indexOf('replay: '));
  });
});

describe('toPassGradientCheck on a loss-only failure', () => {
  it('headlines the returned loss with its ratio and does not end in a bare PASS', async () => {
    const network = new Network({ inputs: 2, layers: [{ outputs: 1, activation: 'identity' }] });
    const random = seededRandom(3);
    const nc: NetworkCase = { network, params: randomParameters(network, random), inputs: randomMatrix(2, 2, random), targets: randomMatrix(2, 1, random), reduction: 'half-sum' };
    const report = await checkImplementationCase(lossFourTimes, nc);
    expect(report.verdict).toBe('fail');
    let message = '';
    try {
      expect(report).toPassGradientCheck();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^expected the gradient check of loss 4x to pass, but the returned loss disagrees with the reference forward pass \(claimed = 4 × reference\); the gradients agree with finite differences:\nloss: claimed /);
    expect(message).not.toMatch(/^PASS/m);
    expect(message).toMatch(/^The gradients pass \(\d+ of \d+ entries agree with finite differences\); what fails is the returned loss value \(above\)\.$/m);
  });
});
