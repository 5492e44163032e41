/**
 * Closing a worker from the CLI. The subprocess client's own handles are unref'd (so a program that
 * forgets close() still ends); after a fault, such as a line that is not JSON, nothing else keeps
 * this process alive until the close settles, and the command would end before printing its exit
 * code. So the close is awaited with a referenced timer, which also bounds the wait.
 */
import { DEFAULT_WORKER_OPTIONS } from '../adapters/subprocess/worker-options.js';
import type { WorkerImplementation } from '../adapters/subprocess/spawn-worker.js';

/** The worker's shutdown grace (then it is killed), plus the drain of its output. */
export const CLOSE_WAIT_MS = DEFAULT_WORKER_OPTIONS.closeTimeoutMs + 1_000;

export async function closeWorker(worker: Pick<WorkerImplementation, 'close'>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([worker.close(), new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}
