// Process-level faults, one misbehaving worker each (test/workers/fault_worker.py MODE): every fault
// gets a clear error naming the worker (and the case and seed when there is one), nothing hangs, and
// the process is gone afterwards. Independent processes, so the tests run concurrently.
import { describe, it } from 'vitest';
import { checkImplementationCase, spawnWorker, type GradientResult, type WorkerImplementation, type WorkerOptions } from '../../src/index.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { ROOT, faultWorker, gradientCases, isRunning, runningWith, smallCase } from '../workers/cases.js';

const start = (mode: string, options: WorkerOptions = {}) => spawnWorker(faultWorker(mode), { cwd: ROOT, ...options });
const cmd = (mode: string) => faultWorker(mode).join(' ');
const outcome = (r: GradientResult | number | Error) => (r instanceof Error ? r.message : 'a result');

/** Closes the worker (waits for its exit) and says whether its process is still there. */
async function closedAndGone(worker: WorkerImplementation): Promise<boolean> {
  await worker.close();
  return !isRunning(worker.pid);
}

describe.concurrent('a worker that fails to start', () => {
  it('is not found', async ({ expect }) => {
    await expect(spawnWorker(['gradcheck-no-such-worker-xyz', '--serve'])).rejects.toThrow(
      'spawnWorker: could not start `gradcheck-no-such-worker-xyz --serve`: spawn gradcheck-no-such-worker-xyz ENOENT (no such program: is "gradcheck-no-such-worker-xyz" installed and on PATH?)',
    );
  });

  it('sends no handshake (timeout)', async ({ expect }) => {
    await expect(start('no-handshake', { handshakeTimeoutMs: 400 })).rejects.toThrow(
      `spawnWorker: the worker \`${cmd('no-handshake')}\` sent no handshake within 400 ms (handshakeTimeoutMs); the worker was stopped; it wrote nothing to stderr`,
    );
    expect(runningWith('fault_worker.py no-handshake')).toEqual([]);
  });

  it('exits before its handshake, quoting its stderr', async ({ expect }) => {
    await expect(start('exit-before-handshake')).rejects.toThrow(
      `spawnWorker: the worker \`${cmd('exit-before-handshake')}\` exited with code 3 before sending its handshake; last stderr lines:\n` +
        '    Traceback (most recent call last):\n      File "worker.py", line 1, in <module>\n    ModuleNotFoundError: No module named \'torch\'',
    );
  });

  it('prints a banner before its handshake', async ({ expect }) => {
    await expect(start('banner')).rejects.toThrow(
      `spawnWorker: stdout line 1 of the worker \`${cmd('banner')}\` is not JSON: "Loading model weights from checkpoint.npz ..." — stdout carries protocol messages only: print diagnostics to stderr; the worker was stopped`,
    );
    expect(runningWith('fault_worker.py banner')).toEqual([]);
  });

  it('speaks another protocol version', async ({ expect }) => {
    await expect(start('wrong-protocol')).rejects.toThrow(
      `spawnWorker: the worker \`${cmd('wrong-protocol')}\` speaks protocol 2; this gradcheck speaks protocol 1 (see docs/protocol.md); the worker was stopped`,
    );
  });

  it('starts with something other than a handshake', async ({ expect }) => {
    await expect(start('not-handshake')).rejects.toThrow(
      `spawnWorker: the first line of the worker \`${cmd('not-handshake')}\` is not a handshake: "{\\"id\\":1,\\"results\\":[]}"; expected {"protocol": 1, "name": …, "capabilities": ["gradients", …]} (see docs/protocol.md); the worker was stopped`,
    );
  });

  it('sends an incomplete handshake', async ({ expect }) => {
    await expect(start('bad-handshake')).rejects.toThrow(
      `spawnWorker: the handshake of the worker \`${cmd('bad-handshake')}\`: conventions has unknown field "layout"; expected an object { weightLayout?, returns?, learningRate?, reduction?, batch?, precision? } (and 1 more problem); the worker was stopped`,
    );
  });

  it('declares conventions gradcheck cannot use', async ({ expect }) => {
    await expect(start('bad-conventions')).rejects.toThrow(
      "worker fault-bad-conventions: handshake conventions: learningRate is undefined; expected a positive number with returns: 'update'",
    );
    expect(runningWith('fault_worker.py bad-conventions')).toEqual([]);
  });
});

describe.concurrent('a worker that fails mid-run', () => {
  it('never answers: the request times out, the worker is stopped, later calls fail at once', async ({ expect }) => {
    const worker = await start('silent', { timeoutMs: 400 });
    const reason = `the worker \`${cmd('silent')}\` gave no answer within 400 ms (timeoutMs) to request 1 (gradients, cases 1–2); the worker was stopped; it wrote nothing to stderr`;
    expect((await worker.gradientsMany(gradientCases([0, 7]))).map(outcome)).toEqual([`fault-silent: case 1 (seed 0): ${reason}`, `fault-silent: case 2 (seed 7): ${reason}`]);
    await expect(worker.loss!(gradientCases([3])[0])).rejects.toThrow(`fault-silent: case 1 (seed 3): ${reason}`);
    expect(await closedAndGone(worker)).toBe(true);
  });

  it('exits mid-run: answered cases are kept, the rest name the exit code and the last stderr lines', async ({ expect }) => {
    const worker = await start('crash-second', { maxCasesPerMessage: 2 });
    const results = await worker.gradientsMany(gradientCases([0, 0, 5, 6]));
    const reason =
      `the worker \`${cmd('crash-second')}\` exited with code 3 before answering request 2 (gradients, cases 3–4); last stderr lines:\n` +
      '    Traceback (most recent call last):\n      File "model.py", line 7, in gradients\n    MemoryError: out of memory';
    expect(results.map(outcome)).toEqual(['a result', 'a result', `fault-crash-second: case 3 (seed 5): ${reason}`, `fault-crash-second: case 4 (seed 6): ${reason}`]);
    expect(await closedAndGone(worker)).toBe(true);
  });

  it('is killed by a signal mid-run', async ({ expect }) => {
    const worker = await start('killed-second', { maxCasesPerMessage: 1 });
    const results = await worker.gradientsMany(gradientCases([0, 4, 0]));
    const reason = `the worker \`${cmd('killed-second')}\` was killed by signal SIGKILL before answering request 2 (gradients, case 2); it wrote nothing to stderr`;
    expect(results.map(outcome)).toEqual(['a result', `fault-killed-second: case 2 (seed 4): ${reason}`, `fault-killed-second: case 3 (seed 0): ${reason}`]);
  });

  it('prints something that is not JSON: the line is quoted, cut to 120 characters', async ({ expect }) => {
    const worker = await start('not-json');
    await worker.gradientsMany(gradientCases([0]));
    const [second] = await worker.gradientsMany(gradientCases([9]));
    // The worker printed this prefix and 300 dots (fault_worker.py, not_json).
    const printed = 'computing gradients for 1 cases; this may take a while ';
    expect(outcome(second)).toBe(
      `fault-not-json: case 1 (seed 9): stdout line 3 of the worker \`${cmd('not-json')}\` is not JSON: ` +
        `"${printed}${'.'.repeat(120 - printed.length)}"… (${printed.length + 300} characters) — stdout carries protocol messages only: print diagnostics to stderr; the worker was stopped`,
    );
    expect(await closedAndGone(worker)).toBe(true);
  });

  it('writes a bare NaN (Python json.dumps by default): the error says how to encode it', async ({ expect }) => {
    const worker = await start('bare-nan');
    const [r] = await worker.lossMany!(gradientCases([2]));
    expect(outcome(r)).toBe(
      `fault-bare-nan: case 1 (seed 2): stdout line 2 of the worker \`${cmd('bare-nan')}\` is not JSON: "{\\"id\\": 1, \\"results\\": [{\\"loss\\": NaN}]}" — it has a bare NaN or Infinity, which JSON does not allow: ` +
        'send the strings "NaN", "Infinity", "-Infinity" (Python: json.dumps(..., allow_nan=False) after converting, as examples/python/gradcheck_worker.py does); the worker was stopped',
    );
  });

  it('floods stderr: no deadlock, and a later crash quotes only the bounded tail', async ({ expect }) => {
    const worker = await start('flood', { stderrTailLines: 3 });
    // 4 MB of stderr per request, far beyond a pipe buffer: answered only because stderr is drained.
    expect((await worker.gradientsMany(gradientCases([0]))).map(outcome)).toEqual(['a result']);
    const [crashed] = await worker.gradientsMany(gradientCases([8]));
    expect(outcome(crashed)).toBe(
      `fault-flood: case 1 (seed 8): the worker \`${cmd('flood')}\` exited with code 4 before answering request 2 (gradients, case 1); last stderr lines (earlier output dropped):\n` +
        `    00039998 ${'x'.repeat(99)}\n    00039999 ${'x'.repeat(99)}\n    final words before the crash`,
    );
  });

  it('answers another request id: a protocol violation stops it', async ({ expect }) => {
    const worker = await start('wrong-id');
    const [r] = await worker.gradientsMany(gradientCases([0]));
    expect(outcome(r)).toBe(`fault-wrong-id: case 1 (seed 0): the worker \`${cmd('wrong-id')}\` answered request 101 while request 1 (gradients, case 1) was pending; expected "id": 1; the worker was stopped`);
    expect(await closedAndGone(worker)).toBe(true);
  });

  it('answers without results or error, or with a malformed envelope, or unasked', async ({ expect }) => {
    const [neither, malformed, chatty] = await Promise.all([start('neither'), start('bad-envelope'), start('chatty')]);
    expect((await neither.gradientsMany(gradientCases([0]))).map(outcome)).toEqual([
      'fault-neither: case 1 (seed 0): the response to request 1 (gradients, case 1) has neither "results" nor "error"; expected exactly one; the worker was stopped',
    ]);
    expect((await malformed.gradientsMany(gradientCases([0]))).map(outcome)).toEqual([
      'fault-bad-envelope: case 1 (seed 0): the response to request 1 (gradients, case 1): id is "one"; expected the id of the request it answers; the worker was stopped',
    ]);
    // The unasked line arrives right after the handshake; the worker is stopped before any request.
    await expect(chatty.gradients(gradientCases([0])[0])).rejects.toThrow(
      `fault-chatty: case 1 (seed 0): stdout line 2 of the worker \`${cmd('chatty')}\` arrived while no request was pending: "{\\"note\\": \\"ready for work\\"}"; the worker was stopped`,
    );
  });

  it('prints a line longer than maxLineChars', async ({ expect }) => {
    await expect(start('ok', { maxLineChars: 40 })).rejects.toThrow(
      `spawnWorker: stdout line 1 of the worker \`${cmd('ok')}\` is longer than 40 characters (maxLineChars); the worker was stopped`,
    );
  });

  it('answers with the wrong number of results, or a request-level error: those cases fail, the worker goes on', async ({ expect }) => {
    const counted = await start('results-count');
    expect((await counted.gradientsMany(gradientCases([0, 0]))).map(outcome)).toEqual([
      'fault-results-count: case 1 (seed 0): the response to request 1 has 1 results for 2 cases; expected one result per case, in order',
      'fault-results-count: case 2 (seed 0): the response to request 1 has 1 results for 2 cases; expected one result per case, in order',
    ]);
    expect((await counted.gradientsMany(gradientCases([0]))).map(outcome)).toEqual(['a result']);
    const refusing = await start('request-error');
    await expect(refusing.gradients(gradientCases([1])[0])).rejects.toThrow(
      'fault-request-error: case 1 (seed 1): the worker could not answer request 1 (gradients): MemoryError: batch too large',
    );
    expect(await closedAndGone(counted)).toBe(true);
    expect(await closedAndGone(refusing)).toBe(true);
  });
});

describe.concurrent('closing a worker', () => {
  it('shuts down a worker that honours shutdown; later calls say it was closed', async ({ expect }) => {
    const worker = await start('ok', { name: 'my-model' }); // options.name overrides the handshake's
    expect(await closedAndGone(worker)).toBe(true);
    await worker.close(); // idempotent
    expect((await worker.gradientsMany(gradientCases([0]))).map(outcome)).toEqual([`my-model: case 1 (seed 0): the worker \`${cmd('ok')}\` was closed`]);
  });

  it('kills a worker that ignores shutdown after closeTimeoutMs', async ({ expect }) => {
    const worker = await start('ignore-shutdown', { closeTimeoutMs: 300 });
    expect(await closedAndGone(worker)).toBe(true);
  });

  it('without the loss capability, self mode says what is missing', async ({ expect }) => {
    const worker = await start('no-loss');
    expect(worker.loss).toBeUndefined();
    await expect(checkImplementationCase(worker, smallCase(), { seed: 1, nextId: idCounter() }, { mode: 'self' })).rejects.toThrow(
      "fault-no-loss: mode 'self' needs the implementation's own loss; expected a loss(case) function (or a worker with the 'loss' capability)",
    );
    expect(await closedAndGone(worker)).toBe(true);
  });
});
