// The runner's look-ahead (src/runner/look-ahead.ts, src/adapters/subprocess/sent-ahead.ts): the next
// random cases' gradient requests go to the worker in one batch. It must change nothing but the number of
// round trips: the same verdicts, messages, counterexamples and shrinking as one case at a time.
import { afterEach, describe, expect, it } from 'vitest';
import { runGradientProperty, spawnWorker, type PropertyResult, type WorkerImplementation } from '../../src/index.js';
import type { Implementation } from '../../src/adapters/implementation.js';
import { PYTHON, ROOT } from '../workers/cases.js';

/** The example worker, counting on stderr every request line it reads (to count round trips). */
const COUNTING = `
import os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "examples", "python"))
import gradcheck_worker, importlib
module = importlib.import_module(sys.argv[1])
class Counting:
    def readline(self):
        line = sys.stdin.readline()
        if line.strip():
            sys.stderr.write("request\\n"); sys.stderr.flush()
        return line
gradcheck_worker.run_worker(sys.argv[1], gradients=module.gradients, loss=module.loss,
    conventions={"weightLayout": "in-out", "returns": "gradient", "batch": "batch"}, stdin=Counting())
`;

const opened: WorkerImplementation[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((w) => w.close()));
});

async function counted(module: string): Promise<{ worker: WorkerImplementation; requests: () => number }> {
  let lines = 0;
  const worker = await spawnWorker([PYTHON, '-c', COUNTING, module], { cwd: ROOT, onStderr: (chunk) => (lines += chunk.split('request\n').length - 1) });
  opened.push(worker);
  // The handshake is not a request; the count is read after the run has been answered.
  return { worker, requests: () => lines };
}

/** What a run says, less nothing: every field of the result that a user or the CLI reads. */
function outcome(r: PropertyResult) {
  return {
    verdict: r.verdict,
    runs: r.runs,
    seed: r.seed,
    path: r.path,
    inconclusive: r.inconclusive,
    message: r.message,
    tensorRatios: r.tensorRatios,
    shrinkPath: r.shrinkPath?.map((s) => JSON.stringify(s)),
    counterexample: r.counterexample && { description: r.counterexample.description, verdict: r.counterexample.report.verdict, case: r.counterexample.report.case },
    error: r.error?.message,
  };
}

async function both(module: string, options: { runs: number; seed: number }, as: (w: WorkerImplementation) => Implementation = (w) => w) {
  const one = await counted(module);
  const ahead = await counted(module);
  const serial = await runGradientProperty(as(one.worker), { ...options, lookAhead: 0 });
  const batched = await runGradientProperty(as(ahead.worker), { ...options, lookAhead: 32 });
  return { serial, batched, serialRequests: one.requests(), batchedRequests: ahead.requests() };
}

describe('look-ahead: the same results as one case at a time, in far fewer round trips', () => {
  for (const seed of [1, 2, 3, 20261207]) {
    it(`numpy_mlp.py (every case passes), seed ${seed}`, async () => {
      const { serial, batched, serialRequests, batchedRequests } = await both('numpy_mlp', { runs: 200, seed });
      expect(serial.verdict).toBe('pass');
      expect(outcome(batched)).toEqual(outcome(serial));
      // One request per check (a case and, for some, its companion) one at a time; one per window ahead.
      expect(serialRequests).toBeGreaterThanOrEqual(200);
      expect(batchedRequests).toBeLessThanOrEqual(Math.ceil(200 / 32) + 2);
    }, 60_000);
  }

  for (const seed of [1, 7]) {
    it(`numpy_buggy.py (fails, shrinks), seed ${seed}: the same counterexample, path and message`, async () => {
      const { serial, batched } = await both('numpy_buggy', { runs: 100, seed });
      expect(serial.verdict).toBe('fail');
      expect(serial.counterexample).toBeDefined();
      expect(outcome(batched)).toEqual(outcome(serial));
    }, 60_000);
  }

  it('a per-sample implementation (one request per row): the same results, ids and all', async () => {
    const perSample = (w: WorkerImplementation): Implementation => ({ ...w, conventions: { ...w.conventions, batch: 'per-sample' } });
    const { serial, batched, serialRequests, batchedRequests } = await both('numpy_mlp', { runs: 100, seed: 5 }, perSample);
    expect(outcome(batched)).toEqual(outcome(serial));
    expect(batchedRequests).toBeLessThan(serialRequests / 4);
  }, 60_000);
});

describe('look-ahead: options', () => {
  it('refuses a lookAhead that is not an integer ≥ 0', async () => {
    const { worker } = await counted('numpy_mlp');
    const r = await runGradientProperty(worker, { runs: 1, seed: 1, lookAhead: -1 });
    expect(r.error?.message).toBe('runGradientProperty: options.lookAhead is -1; expected an integer ≥ 0 (0: none)');
  }, 30_000);

  it('reads GRADCHECK_LOOK_AHEAD when the option is not given, and names it when it is wrong', async () => {
    const { worker, requests } = await counted('numpy_mlp');
    const saved = process.env.GRADCHECK_LOOK_AHEAD;
    try {
      process.env.GRADCHECK_LOOK_AHEAD = 'many';
      const bad = await runGradientProperty(worker, { runs: 1, seed: 1 });
      expect(bad.error?.message).toBe('runGradientProperty: environment variable GRADCHECK_LOOK_AHEAD is "many"; expected an integer ≥ 0 (0: none)');
      process.env.GRADCHECK_LOOK_AHEAD = '0';
      expect((await runGradientProperty(worker, { runs: 20, seed: 1 })).verdict).toBe('pass');
      expect(requests()).toBeGreaterThanOrEqual(20); // one at a time
    } finally {
      if (saved === undefined) delete process.env.GRADCHECK_LOOK_AHEAD;
      else process.env.GRADCHECK_LOOK_AHEAD = saved;
    }
  }, 30_000);

  it('is not used in mode self (its loss requests interleave with the gradients)', async () => {
    const { worker, requests } = await counted('numpy_mlp');
    const r = await runGradientProperty(worker, { runs: 5, seed: 1, mode: 'self' });
    expect(r.verdict).toBe('pass');
    expect(requests()).toBeGreaterThan(5 * 2); // a gradient request and loss requests per case
  }, 30_000);
});
