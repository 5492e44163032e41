// The recorder behind `gradcheck check`'s summary: it rebuilds every random case's report from the
// answers the implementation already gave (asking it nothing more), in every convention and mode.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CaseRecorder, type RunReport } from '../../src/cli/case-recorder.js';
import { referenceImplementation, runGradientProperty, type Conventions, type GradientCase, type Implementation, type PropertyOptions } from '../../src/index.js';

beforeEach(() => {
  for (const name of ['GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE', 'GRADCHECK_SEED', 'GRADCHECK_PATH']) vi.stubEnv(name, '');
});
afterEach(() => vi.unstubAllEnvs());

/** The implementation with every call counted. */
function counted(impl: Implementation) {
  const calls = { gradients: 0, loss: 0 };
  const wrapped: Implementation = {
    name: impl.name,
    conventions: impl.conventions,
    gradients: (c: GradientCase) => (calls.gradients++, impl.gradients(c)),
    loss: (c: GradientCase) => (calls.loss++, impl.loss!(c)),
  };
  return { wrapped, calls };
}

async function recorded(impl: Implementation, options: PropertyOptions) {
  const { wrapped, calls } = counted(impl);
  const runs: RunReport[] = [];
  const recorder = new CaseRecorder(wrapped, { mode: options.mode, strategy: options.strategy }, (r) => runs.push(r));
  const result = await runGradientProperty(recorder.implementation, { ...options, onProgress: (done) => recorder.caseDone(done) });
  const { missing, cases } = await recorder.finish();
  expect(cases).toBe(runs.length);
  return { result, calls, runs, missing };
}

describe('CaseRecorder', () => {
  it.each<[string, Partial<Conventions>, PropertyOptions]>([
    ['batch, reference mode', {}, { mode: 'reference' }],
    ['per-sample, out-in, update, half-sum', { batch: 'per-sample', weightLayout: 'out-in', returns: 'update', learningRate: 0.5, reduction: 'half-sum' }, { mode: 'reference' }],
    ['batch, self mode', {}, { mode: 'self' }],
    ['per-sample, self mode', { batch: 'per-sample' }, { mode: 'self' }],
    ['batch, reference mode, directions', {}, { mode: 'reference', strategy: 'directions' }],
  ])('%s: one report per random case, and not one call more than the run itself', async (_, conventions, options) => {
    const impl = referenceImplementation({ conventions });
    const plain = counted(impl);
    // Seed 1: every one of these runs passes (self mode can fail a correct implementation at an exact
    // ReLU kink, a known issue of the black-box kink detection; see check.test.ts).
    const alone = await runGradientProperty(plain.wrapped, { ...options, runs: 15, seed: 1 });
    const withRecorder = await recorded(impl, { ...options, runs: 15, seed: 1 });
    expect(alone.verdict).toBe('pass');
    expect(withRecorder.result.verdict).toBe('pass');
    expect(withRecorder.calls).toEqual(plain.calls);
    expect(withRecorder.missing).toBe(0);
    expect(withRecorder.runs.map((r) => r.run)).toEqual(Array.from({ length: 15 }, (_, k) => k + 1));
    for (const { report } of withRecorder.runs) expect(report.report.strategy).toBe(options.strategy ?? 'full');
  });

  it('reports the failing random case as failing, and every case before it as passing', async () => {
    // Gradients 1% too large everywhere: every case fails, so the search stops at the first one.
    const impl = referenceImplementation();
    const scaled: Implementation = {
      name: 'scaled',
      gradients: (c) => {
        const r = impl.gradients(c) as { parameters: { W: number[][]; b?: number[] }[] };
        return { parameters: r.parameters.map((p) => ({ W: p.W.map((row) => row.map((v) => v * 1.01)), ...(p.b && { b: p.b.map((v) => v * 1.01) }) })) };
      },
    };
    const { result, runs, missing } = await recorded(scaled, { runs: 10, seed: 1 });
    expect(result.verdict).toBe('fail');
    expect(missing).toBe(0);
    expect(runs.at(-1)!.report.verdict).toBe('fail');
    for (const r of runs.slice(0, -1)) expect(r.report.verdict).toBe('pass');
  });

  it('leaves out a case the implementation failed on (the runner reports it)', async () => {
    let calls = 0;
    const impl = referenceImplementation();
    const flaky: Implementation = {
      name: 'flaky',
      gradients: (c) => {
        if (++calls === 3) throw new Error('out of memory');
        return impl.gradients(c);
      },
    };
    const { result, runs, missing } = await recorded(flaky, { runs: 10, seed: 1 });
    expect(result.error?.message).toMatch(/^flaky: case \d+ \(seed \d+\): gradients failed: out of memory$/);
    // With seed 1 the second random case comes with its companion (calls 2 and 3): only the first is summarised.
    expect(runs.map((r) => r.run)).toEqual([1]);
    expect(missing).toBe(0);
  });
});
