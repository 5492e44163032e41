/**
 * Entry point of `checkNetworkParallel`'s worker threads (loaded only as a worker, never imported):
 * answers each job with its DerivativeTable, sent back without copying.
 */
import { parentPort } from 'node:worker_threads';
import { differentiate, type WorkerJob } from './parallel-jobs.js';

parentPort?.on('message', (job: WorkerJob) => {
  try {
    const { numbers, flags } = differentiate(job);
    parentPort!.postMessage({ numbers, flags }, [numbers.buffer as ArrayBuffer, flags.buffer as ArrayBuffer]);
  } catch {
    // The main thread then runs the check itself, which throws exactly the sequential error.
    parentPort!.postMessage({ failed: true });
  }
});
