// The weight-layout hint: a worker that computes with W as (outputs, inputs) without declaring
// "weightLayout": "out-in" gets told so, whether it fails with a NumPy shape error (non-square
// layers) or with a loss that disagrees (square layers); only when it agrees with the other layout.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PYTHON, buggyWorker, clearRunnerEnv, runCli } from './check-harness.js';

beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

const outIn = [PYTHON, 'test/workers/out_in_worker.py'];
const HINT =
  'hint: out-in-undeclared agrees on this case when its weights are sent out-in (W as outputs × inputs, z = W·a + b as in PyTorch): ' +
  'declare "weightLayout": "out-in" in its handshake\'s conventions (Python helper: run_worker(..., conventions={"weightLayout": "out-in"})), or run with --layout out-in';
const SQUARE = ['--min-inputs', '2', '--max-inputs', '2', '--min-width', '2', '--max-width', '2', '--min-outputs', '2', '--max-outputs', '2'];

describe('an undeclared out-in worker', () => {
  it('a shape error on a non-square case: the error, then the hint', async () => {
    const { code, err } = await runCli(['check', '--seed', '1', '--runs', '20', ...outIn]);
    expect(code).toBe(2);
    expect(err).toMatch(/^gradcheck: out-in-undeclared: case 1 \(seed \d+\): gradients failed: the worker reported: ValueError: matmul: .*dimension/);
    expect(err.trimEnd().split('\n').at(-1)).toBe(HINT);
  });

  it('square cases: the loss disagrees, and the hint replaces "cause unknown"', async () => {
    const { code, out } = await runCli(['check', '--seed', '1', '--runs', '20', ...SQUARE, ...outIn]);
    expect(code).toBe(1);
    expect(out).toMatch(/^loss: claimed .* > tolerance/m);
    expect(out).toContain(`\n${HINT}\n`);
  });

  it('--layout out-in (as the hint says) passes it, and is repeated by a replay line', async () => {
    const pass = await runCli(['check', '--seed', '1', '--runs', '20', '--layout', 'out-in', ...outIn]);
    expect(pass.code).toBe(0);
    expect(pass.out.split('\n')[1]).toMatch(/^conventions: weights out-in, /);
    const fail = await runCli(['check', '--seed', '1', '--runs', '5', '--layout', 'out-in', ...buggyWorker]);
    expect(fail.code).not.toBe(0);
    expect(fail.out + fail.err).toMatch(/^replay: .* --layout out-in$/m);
  });
});

describe('no layout hint where the other layout does not help', () => {
  it('a wrong backward pass in the declared layout', async () => {
    const { code, out, err } = await runCli(['check', '--seed', '1', '--runs', '20', ...buggyWorker]);
    expect(code).toBe(1);
    expect(out + err).not.toContain('weightLayout');
  });

  it('the same worker declaring out-in passes without a hint', async () => {
    const { code, out, err } = await runCli(['check', '--seed', '1', '--runs', '20', ...outIn, 'declared']);
    expect(code).toBe(0);
    expect(out + err).not.toContain('hint:');
  });
});
