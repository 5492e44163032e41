/**
 * Live worker processes, killed with their whole process group when this process exits however
 * it exits normally (end of the event loop, process.exit, an uncaught error). If this process is
 * killed outright, the worker's stdin reaches end-of-file, which the protocol defines as shutdown.
 */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let hooked = false;

export function track(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.once('exit', killAll);
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

function killAll(): void {
  for (const child of live) {
    try {
      // Workers lead their own process group (spawned detached): end their children too.
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
  live.clear();
}
