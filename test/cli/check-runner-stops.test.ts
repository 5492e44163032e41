// The property runner stops at once after an error or an abort, whatever the number of runs: no
// further case is generated, checked or shrunk (it used to iterate over every remaining run).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { referenceImplementation, runGradientProperty, type Implementation } from '../../src/index.js';
import { UnsupportedCase } from '../../src/runner/unsupported-case.js';

beforeEach(() => {
  for (const name of ['GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE', 'GRADCHECK_SEED', 'GRADCHECK_PATH']) vi.stubEnv(name, '');
});
afterEach(() => vi.unstubAllEnvs());

/** The reference implementation, counting calls, with `onCall(n)` run before the n-th. */
function counted(onCall: (n: number) => void = () => {}) {
  const impl = referenceImplementation();
  let calls = 0;
  const wrapped: Implementation = { name: 'counted', gradients: (c) => (onCall(++calls), impl.gradients(c)) };
  return { wrapped, calls: () => calls };
}

describe('runGradientProperty stops at once', () => {
  it('after an error on case 4 of a million: 4 calls, and the error names it', async () => {
    const { wrapped, calls } = counted((n) => {
      if (n === 4) throw new Error('out of memory');
    });
    const progress: number[] = [];
    const result = await runGradientProperty(wrapped, { runs: 1_000_000, seed: 1, onProgress: (done) => progress.push(done) });
    expect(result.error?.message).toMatch(/^counted: case \d+ \(seed \d+\): gradients failed: out of memory$/);
    expect(result.path).toBe('3');
    expect(calls()).toBe(4);
    expect(progress).toEqual([1, 2, 3, 4]);
  });

  it('when its signal is aborted: the cases checked before it, then nothing', async () => {
    const controller = new AbortController();
    const { wrapped, calls } = counted((n) => {
      if (n === 6) controller.abort('SIGINT');
    });
    const result = await runGradientProperty(wrapped, { runs: 1_000_000, seed: 1, signal: controller.signal });
    expect(result).toMatchObject({ verdict: 'fail', interrupted: 'SIGINT', runs: 5 });
    expect(result.error?.message).toBe('counted: the run was interrupted (SIGINT) after 5 random cases; nothing after that was checked');
    expect(calls()).toBe(6);
  });

  it('a case declined as unsupported is counted, not checked, and the run goes on', async () => {
    const { wrapped, calls } = counted((n) => {
      if (n % 3 === 0) throw new UnsupportedCase('counted', 'every third case');
    });
    const result = await runGradientProperty(wrapped, { runs: 30, seed: 1 });
    expect(result.verdict).toBe('pass');
    expect(calls()).toBe(30);
    expect(result.runs).toBe(20);
    expect(result.unsupported).toEqual({ count: 10, reasons: [{ reason: 'every third case', count: 10 }] });
    expect(result.message).toMatch(/^PASS: counted: 20 random cases agree with finite differences \(10 more declined as unsupported\); /);
  });
});
