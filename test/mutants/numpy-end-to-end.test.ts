/**
 * A few NumPy workers of the second catalogue through the whole property run, as a user meets them:
 * caught, shrunk, diagnosed (the diagnosis in the message), a failure that depends on earlier calls
 * said to and replayed, and a correct twin passing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';
import type { WorkerImplementation } from '../../src/adapters/subprocess/spawn-worker.js';
import { numpyMutants, numpyWorker } from '../../mutants/numpy/catalogue.js';

beforeEach(() => {
  for (const name of ['GRADCHECK_SEED', 'GRADCHECK_PATH', 'GRADCHECK_PRELUDE', 'GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE']) vi.stubEnv(name, '');
});
const open: WorkerImplementation[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(open.splice(0).map((w) => w.close()));
});
async function start(id: string): Promise<WorkerImplementation> {
  const w = await numpyWorker(id);
  open.push(w);
  return w;
}
const planted = (id: string) => numpyMutants.find((m) => m.id === id)!.causes[0];

describe('NumPy workers end to end', () => {
  it.each(['relu-mask-inverted', 'bias-summed-without-axis', 'mean-over-inputs'])('%s is caught and its planted cause named in the message', async (id) => {
    const result = await runGradientProperty(await start(id), { seed: 1, runs: 300, fresh: () => start(id) });
    expect(result.verdict).toBe('fail');
    expect(result.state?.dependsOnEarlierCalls).toBe(false);
    expect(result.diagnosis?.cause).toBe(planted(id));
    expect(result.message).toContain(`Diagnosis of numpy ${id} on ${result.diagnosis!.case}:`);
  });

  it('a wrong dL/dx alone is not summed up as every layer or tensor right', async () => {
    const result = await runGradientProperty(await start('input-gradient-before-derivative'), { seed: 1, runs: 300 });
    expect(result.verdict).toBe('fail');
    const text = result.message.slice(result.message.indexOf('Diagnosis of'));
    expect(text).not.toMatch(/Every layer is right|Every tensor is right/);
    expect(text).toContain('dL/dx');
  });

  it('a layer line with right and wrong layers does not read like a count', async () => {
    const result = await runGradientProperty(await start('middle-layers-derivative-missing'), { seed: 1, runs: 300 });
    expect(result.verdict).toBe('fail');
    expect(result.message).not.toMatch(/Layers right: \d/);
  });

  it('the accumulator never zeroed: said to depend on earlier calls, and its replay fails again on a new worker', async () => {
    const id = 'accumulator-never-zeroed';
    const result = await runGradientProperty(await start(id), { seed: 2, runs: 300, fresh: () => start(id) });
    expect(result.verdict).toBe('fail');
    // Caught through a companion (the same case checked twice, or its inputs under other weights): the
    // case alone passes on a new worker, and the replay of its path checks both on one.
    expect(result.state).toMatchObject({ dependsOnEarlierCalls: true, fresh: 'fail' });
    expect(result.state!.companion).toBeDefined();
    expect(result.message).toContain('this failure depends on earlier calls: alone on a fresh instance it passes;');
    expect(result.diagnosis?.cause).toBe('accumulated-across-calls');
    const replay = await runGradientProperty(await start(id), { seed: 2, path: result.path, diagnose: false });
    expect(replay.verdict).toBe('fail');
  });

  it('the correct einsum twin passes', async () => {
    const result = await runGradientProperty(await start('twin-einsum'), { seed: 1, runs: 200 });
    expect(result.verdict).toBe('pass');
  });
});
