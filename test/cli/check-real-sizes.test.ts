// Random networks at real sizes (issue 22): a 784-100-10 network, MNIST's shape, is accepted from
// the command line and checked with the bundled NumPy worker; the cap is MAX_WIDTH, named by its flag.
import { beforeEach, describe, expect, it } from 'vitest';
import { architectureBounds, MAX_WIDTH } from '../../src/arbitraries/architecture.js';
import { clearRunnerEnv, mlpWorker, runCli } from './check-harness.js';

const MNIST = ['--min-inputs', '784', '--max-inputs', '784', '--min-width', '100', '--max-width', '100', '--min-outputs', '10', '--max-outputs', '10', '--min-depth', '2', '--max-depth', '2'];

describe('real sizes', () => {
  beforeEach(clearRunnerEnv);

  it('widths, inputs and outputs up to 1024 are accepted (784 inputs fit); 1025 is not', () => {
    expect(MAX_WIDTH).toBe(1024);
    expect(architectureBounds({ minInputs: 784, maxInputs: 784, minWidth: 100, maxWidth: 300 }).maxInputs).toBe(784);
    expect(() => architectureBounds({ maxWidth: 1025 })).toThrow('architecture: constraints.maxWidth is 1025; expected an integer in [1, 1024]');
  });

  it('a 784-100-10 network is checked from the CLI with the NumPy worker', async () => {
    const { code, out } = await runCli(['check', ...mlpWorker, ...MNIST, '--runs', '1', '--seed', '1']);
    expect(out).toMatch(/^W1 +1 +78400 /m);
    expect(out).toMatch(/^W2 +1 +1000 /m);
    expect(out).toContain('PASS: numpy-mlp: 1 random case agrees with finite differences');
    expect(code).toBe(0);
  }, 60_000);
});
