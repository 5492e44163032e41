/**
 * A program that uses a worker and then ends badly, for test/adapters/subprocess-cleanup.test.ts:
 *
 *   node --import tsx test/workers/parent_process.ts MODE
 *
 * It prints the worker's pid, then: `forget` returns without close(); `exit` calls process.exit while
 * a request is pending; `hang` waits for a request that never comes back, until it is killed.
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
const worker = await spawnWorker([PYTHON, 'test/workers/fault_worker.py', mode === 'forget' ? 'ok' : 'silent'], { timeoutMs: 60_000 });
process.stdout.write(`${worker.pid}\n`);
if (mode === 'forget') {
  await worker.gradientsMany([c]);
} else if (mode === 'exit') {
  void worker.gradientsMany([c]);
  setTimeout(() => process.exit(0), 50);
} else {
  void worker.gradientsMany([c]);
}
