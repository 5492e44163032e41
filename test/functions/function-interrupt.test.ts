/**
 * A function check of any size answers SIGINT and SIGTERM within a second: the check stops between two
 * batches of calls (check/functions/drive.ts), prints what it had checked, exits 130 / 143, and leaves
 * no worker behind. The worker's function has 4,744 differentiated entries (about 14,000 calls of f a
 * case), and the signal comes about 2 s into the first case.
 */
import { describe, expect, it } from 'vitest';
import { childWith, isRunning } from '../workers/processes.js';
import { PYTHON, spawnCli } from '../cli/check-harness.js';

const WORKER = 'test/functions/workers/big_function_worker.py';

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s during a large function check', (signal, exitCode) => {
  it(`exits ${exitCode} within a second with a partial report and no worker left`, async () => {
    const { child, exited, output } = spawnCli(['check', '--runs', '1', '--seed', '1', '--', PYTHON, WORKER]);
    const worker = await childWith(child.pid!, 'big_function_worker.py');
    for (const end = Date.now() + 20_000; !output().out.includes('1 function: gate') && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 2_000));
    const sent = performance.now();
    child.kill(signal);
    const { code, out } = await exited;
    const took = performance.now() - sent;
    expect(code).toBe(exitCode);
    expect(took).toBeLessThan(1_000);
    expect(out).toMatch(/INTERRUPTED: gate vjp: case 1 stopped after \d+ of 4744 input entries \(\d+ settled by the column stage, \d+ refined by the estimator\), \d+ calls of gate in it/);
    expect(out).toContain('checks finished before it: 0 (0 passed); nothing after it was checked');
    expect(isRunning(worker)).toBe(false);
  }, 40_000);
});
