// The property runner stops at once after an error or an abort, whatever the number of runs: no
// further case is generated, checked or shrunk (it used to iterate over every remaining run).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { referenceImplementation, runGradientProperty, type Implementation } from '../../src/index.js';
import { UnsupportedCase } from '../../src/runner/unsupported-case.js';

beforeEach(() => {
  for (const name of ['GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE', 'GRADCHECK_SEED', 'GRADCHECK_PATH']) vi.stubEnv(name, '');
});
afterEach(() => vi.unstubAllEnvs());

/**
 * The reference implementation, counting the random cases it is asked about, with `onCall(n)` run before
 * each call for the n-th. Pass `onProgress` to the runner: a case's calls (its companion's too,
 * case-history.ts) come before the runner says it is done.
 */
function counted(onCall: (n: number) => void = () => {}) {
  const impl = referenceImplementation();
  let done = 0;
  let asked = 0;
  const wrapped: Implementation = {
    name: 'counted',
    gradients: (c) => {
      asked = done + 1;
      onCall(asked);
      return impl.gradients(c);
    },
  };
  return { wrapped, onProgress: (n: number) => (done = n), calls: () => asked };
}

describe('runGradientProperty stops at once', () => {
  it('after an error on case 4 of a million: 4 calls, and the error names it', async () => {
    const { wrapped, calls, onProgress } = counted((n) => {
      if (n === 4) throw new Error('out of memory');
    });
    const progress: number[] = [];
    const result = await runGradientProperty(wrapped, { runs: 1_000_000, seed: 1, onProgress: (done) => (progress.push(done), onProgress(done)) });
    expect(result.error?.message).toMatch(/^counted: case \d+ \(seed \d+\): gradients failed: out of memory$/);
    expect(result.path).toBe('3');
    expect(calls()).toBe(4);
    expect(progress).toEqual([1, 2, 3, 4]);
  });

  it('when its signal is aborted: the cases checked before it, then nothing', async () => {
    const controller = new AbortController();
    const { wrapped, calls, onProgress } = counted((n) => {
      if (n === 6) controller.abort('SIGINT');
    });
    const result = await runGradientProperty(wrapped, { runs: 1_000_000, seed: 1, signal: controller.signal, onProgress });
    expect(result).toMatchObject({ verdict: 'fail', interrupted: 'SIGINT', runs: 5 });
    expect(result.error?.message).toBe('counted: the run was interrupted (SIGINT) after 5 random cases; nothing after that was checked');
    expect(calls()).toBe(6);
  });

  it('a case declined as unsupported is counted, not checked, and the run goes on', async () => {
    const { wrapped, calls, onProgress } = counted((n) => {
      if (n % 3 === 0) throw new UnsupportedCase('counted', 'every third case');
    });
    const result = await runGradientProperty(wrapped, { runs: 30, seed: 1, onProgress });
    expect(result.verdict).toBe('pass');
    expect(calls()).toBe(30);
    expect(result.runs).toBe(20);
    expect(result.unsupported).toEqual({ count: 10, reasons: [{ reason: 'every third case', count: 10 }] });
    expect(result.message).toMatch(/^PASS: counted: 20 random cases agree with finite differences \(10 more declined as unsupported\); /);
  });
});
