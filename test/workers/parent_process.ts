/**
 * A program that uses a worker and then ends badly, for test/adapters/subprocess-cleanup.test.ts:
 *
 *   node --import tsx test/workers/parent_process.ts MODE
 *
 * It prints the worker's pid, then: `forget` returns without close(); `exit` calls process.exit while
 * a request is pending; `hang` waits for a request that never comes back, until it is killed.
 * `wrapper-timeout` and `wrapper-exit` run a worker that outlives its input (fault_worker.py
 * stubborn) through test/workers/run.sh (bash starting Python): the first prints `stopped` once its request timed out and then waits to be killed, the
 * second calls process.exit while the request is pending.
 * It imports only the subprocess client, so it starts quickly.
 */
import { spawnWorker } from '../../src/adapters/subprocess/spawn-worker.js';
import type { GradientCase } from '../../src/adapters/implementation.js';
import { PYTHON } from './processes.js';

const c: GradientCase = {
  id: 1,
  seed: 0,
  network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity' }] },
  parameters: [{ W: [[0.5]], b: [0.1] }],
  inputs: [[1]],
  targets: [[0]],
  reduction: 'sum',
};
const mode = process.argv[2];
const wrapped = mode.startsWith('wrapper-');
const command = wrapped ? ['bash', 'test/workers/run.sh', PYTHON, 'stubborn'] : [PYTHON, 'test/workers/fault_worker.py', mode === 'forget' ? 'ok' : 'silent'];
const worker = await spawnWorker(command, { timeoutMs: mode === 'wrapper-timeout' ? 300 : 60_000 });
process.stdout.write(`${worker.pid}\n`);
if (mode === 'wrapper-timeout') {
  await worker.gradientsMany([c]); // the timeout stops the worker: an error result, not a throw
  process.stdout.write('stopped\n');
  setInterval(() => {}, 1_000);
} else if (mode === 'wrapper-exit') {
  void worker.gradientsMany([c]);
  setTimeout(() => process.exit(0), 300);
} else if (mode === 'forget') {
  await worker.gradientsMany([c]);
} else if (mode === 'exit') {
  void worker.gradientsMany([c]);
  setTimeout(() => process.exit(0), 50);
} else {
  void worker.gradientsMany([c]);
}
