// examples/python/gradcheck_worker.py, the single-file helper, driven by test/workers/helper_quirks.py:
// what users' NumPy functions really return (vectors, row-shaped biases, NaN, exceptions, wrong types)
// either reaches gradcheck correctly or becomes that case's error message.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkImplementationCase, spawnWorker, type GradientResult, type WorkerImplementation } from '../../src/index.js';
import { claimedFromResult } from '../../src/adapters/gradient-case.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { PYTHON, ROOT, gradientCases, smallCase } from '../workers/cases.js';
import { UnsupportedCase } from '../../src/runner/unsupported-case.js';
import { VERSION } from '../../src/package-version.js';

let worker: WorkerImplementation;
let stderr = '';
beforeAll(async () => {
  worker = await spawnWorker([PYTHON, 'test/workers/helper_quirks.py'], { cwd: ROOT, onStderr: (text) => (stderr += text) });
});
afterAll(() => worker?.close());

const outcome = (r: GradientResult | number | Error) => (r instanceof Error ? r.message : 'a result');

describe('the Python helper', () => {
  it('sends the handshake with the declared conventions, both capabilities and its batch limit', async () => {
    expect(worker.handshake).toEqual({ protocol: 1, name: 'helper-quirks', helperVersion: VERSION, conventions: { weightLayout: 'in-out' }, capabilities: ['gradients', 'loss'], maxCases: 2 });
    // Five cases go out as three requests of at most two; answers come back in order.
    const results = await worker.gradientsMany(gradientCases([0, 0, 104, 0, 0]));
    expect(results.map((r) => r instanceof Error)).toEqual([false, false, true, false, false]);
  });

  it('reshapes a vector for a one-column W and flattens row-shaped biases; print() goes to stderr', async () => {
    const [r] = await worker.gradientsMany(gradientCases([0]));
    expect(r).toEqual({ parameters: [{ W: [[0, 0], [0, 0], [0, 0]], b: [0, 0] }, { W: [[0], [0]], b: [0] }] });
    // stderr is a separate pipe: its text may arrive just after the answer.
    await vi.waitFor(() => expect(stderr).toContain('debug: gradients for case 1'));
  });

  it('turns exceptions and wrong return values into per-case errors and answers the other cases', async () => {
    const results = await worker.gradientsMany(gradientCases([104, 105, 106, 107, 0]));
    expect(results.map(outcome)).toEqual([
      expect.stringMatching(/^the worker reported: ZeroDivisionError: float division by zero \(at helper_quirks\.py:\d+ in gradients\)$/),
      expect.stringMatching(/^the worker reported: TypeError: gradients\(case\) returned list; expected a dict with keys \['weights', 'biases', 'inputs', 'loss'\] \(at gradcheck\/worker\.py:\d+ in _gradient_result\)$/),
      expect.stringMatching(/^the worker reported: ValueError: gradients\(case\) returned unknown key\(s\) \['grads'\]; expected some of \['weights', 'biases', 'inputs', 'loss'\]/),
      expect.stringMatching(/^the worker reported: ValueError: gradients\(case\) returned 1 weight and 1 bias gradients; the network has 2 layers/),
      'a result',
    ]);
  });

  it('encodes NaN so that gradcheck rejects it by name', async () => {
    await expect(checkImplementationCase(worker, smallCase(), { seed: 101, nextId: idCounter() })).rejects.toThrow(
      'helper-quirks: case 1 (seed 101): parameters[0].W[1][0] is NaN; expected a finite number',
    );
  });

  it('round-trips float64 values exactly through NumPy arrays', async () => {
    const c = gradientCases([200])[0];
    const edges = [0.1, 1 / 3, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, -2.5e-7];
    const sent = { ...c, parameters: [{ W: [edges.slice(0, 2), edges.slice(2, 4), edges.slice(4, 6)], b: [Math.PI, Math.E] }, c.parameters[1]] };
    const [echo] = await worker.gradientsMany([sent]);
    const back = echo as GradientResult;
    expect(Buffer.from(Float64Array.from(back.parameters[0].W.flat()).buffer).equals(Buffer.from(Float64Array.from(edges).buffer))).toBe(true);
    expect(back.parameters[0].b).toEqual([Math.PI, Math.E]);
    expect(back.inputs).toEqual(c.inputs);
    expect(() => claimedFromResult(back, smallCase().network, worker.conventions, 2, 'here')).not.toThrow();
  });

  it('reduces a one-element loss array to a number and refuses a longer one', async () => {
    expect(await worker.lossMany!(gradientCases([0]))).toEqual([0.25]);
    const [bad] = await worker.lossMany!(gradientCases([108]));
    expect(outcome(bad)).toMatch(/^the worker reported: ValueError: loss\(case\) has shape \(2,\); expected a single number/);
  });

  it('refuses an unknown convention at startup, which gradcheck reports with the traceback', async () => {
    await expect(spawnWorker([PYTHON, 'test/workers/helper_quirks.py', 'bad-conventions'], { cwd: ROOT })).rejects.toThrow(
      /^spawnWorker: the worker `.* test\/workers\/helper_quirks\.py bad-conventions` exited with code 1 before sending its handshake; last stderr lines:\n[\s\S]*ValueError: run_worker: unknown convention\(s\) \['layout'\]; expected some of \['weightLayout', 'returns', 'learningRate', 'reduction', 'batch', 'precision'\]$/,
    );
  });

  it('refuses an unknown supports key at startup', async () => {
    await expect(spawnWorker([PYTHON, 'test/workers/helper_quirks.py', 'bad-supports'], { cwd: ROOT })).rejects.toThrow(
      /ValueError: run_worker: unknown supports key\(s\) \['minwidth'\]; expected some of \['activations', 'outputActivations', 'reductions', 'bias', 'minDepth', /,
    );
  });

  it('sends supports= in the handshake, and answers a case raising Unsupported("reason") with {"unsupported": reason}', async () => {
    const declares = await spawnWorker([PYTHON, 'test/workers/supports_worker.py', 'declares'], { cwd: ROOT });
    const declines = await spawnWorker([PYTHON, 'test/workers/supports_worker.py', 'declines-all'], { cwd: ROOT });
    try {
      expect(declares.handshake.supports).toEqual({ activations: ['sigmoid'], outputActivations: ['identity'], bias: true, minWidth: 2 });
      const [r] = await declines.gradientsMany(gradientCases([0]));
      expect(r).toBeInstanceOf(UnsupportedCase);
      expect((r as UnsupportedCase).reason).toBe('this worker is a stub');
      expect((r as Error).message).toBe('supports-stub: case 1 (seed 0): declined the case as unsupported: this worker is a stub');
    } finally {
      await Promise.all([declares.close(), declines.close()]);
    }
  });
});
