// Worker processes never outlive the program that started them: not when it forgets close(), not
// when it calls process.exit mid-request, not when it is killed outright (the worker sees its stdin
// end, which the protocol defines as shutdown). Nor do their children: a wrapper worker (bash
// starting Python) is stopped with its whole process group.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'vitest';
import { ROOT, childWith, isRunning } from '../workers/processes.js';

/** Starts test/workers/parent_process.ts and reads the pid of its worker from its first line. */
async function parent(mode: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/workers/parent_process.ts', mode], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': 'exit' may come before the child's last output has been read, 'close' only
  // after its stdio ended, so a pid it printed is always seen first.
  const first = await Promise.race([once(child.stdout!, 'data'), once(child, 'close')]);
  if (!(first[0] instanceof Buffer)) throw new Error(`parent_process.ts ${mode} exited with ${String(first[0])} before printing a pid:\n${stderr}`);
  return { child, workerPid: Number(first[0].toString().trim()) };
}

/** Polls until the process is gone or the deadline passes (a bound on waiting, not a speed assertion). */
async function gone(pid: number, deadlineMs = 10_000): Promise<boolean> {
  for (const end = Date.now() + deadlineMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (!isRunning(pid)) return true;
  }
  return false;
}

describe.concurrent('worker cleanup when the parent ends', () => {
  it('a program that forgets close() still ends, and its worker is killed', async ({ expect }) => {
    const { child, workerPid } = await parent('forget');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(await gone(workerPid)).toBe(true);
  });

  it('process.exit during a pending request kills the worker', async ({ expect }) => {
    const { child, workerPid } = await parent('exit');
    await once(child, 'exit');
    expect(await gone(workerPid)).toBe(true);
  });

  it('a parent killed with SIGKILL leaves a worker that exits at the end of its input', async ({ expect }) => {
    const { child, workerPid } = await parent('hang');
    expect(isRunning(workerPid)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await gone(workerPid)).toBe(true);
  });

  it('a wrapper worker (bash run.sh starting Python) that is stopped takes its Python with it', async ({ expect }) => {
    const { child, workerPid } = await parent('wrapper-timeout');
    const python = await childWith(workerPid, 'fault_worker.py');
    expect(python).toBeGreaterThan(0);
    await once(child.stdout!, 'data'); // "stopped": the request timed out and the worker was stopped
    expect(await gone(workerPid)).toBe(true);
    expect(await gone(python)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
  });

  it('process.exit with a wrapper worker ends the Python it started too', async ({ expect }) => {
    const { child, workerPid } = await parent('wrapper-exit');
    const python = await childWith(workerPid, 'fault_worker.py');
    expect(python).toBeGreaterThan(0);
    await once(child, 'exit');
    expect(await gone(workerPid)).toBe(true);
    expect(await gone(python)).toBe(true);
  });
});
