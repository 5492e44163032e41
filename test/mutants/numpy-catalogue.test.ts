/**
 * The second catalogue (mutants/numpy/): every bug is caught on its smallest case by one check through
 * the worker protocol, the bugs that need a larger case hide below it, and the correct twins pass.
 * One worker process per entry; each is closed after its test.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { causeKeys } from '../../src/diagnosis/causes.js';
import { Network } from '../../src/engine/network.js';
import type { WorkerImplementation } from '../../src/adapters/subprocess/spawn-worker.js';
import { numpyMutants, numpyTwins, numpyWorker, NUMPY_WORKER, PYTHON, type WorkerMutant } from '../../mutants/numpy/catalogue.js';
import { mutants as firstCatalogue } from '../../mutants/catalogue/index.js';
import { checkOnCase, type CaseShape } from '../../mutants/demonstration-case.js';

const open: WorkerImplementation[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});
async function start(id: string): Promise<WorkerImplementation> {
  const w = await numpyWorker(id);
  open.push(w);
  return w;
}
const byId = (id: string): WorkerMutant => numpyMutants.find((m) => m.id === id)!;

describe('the NumPy catalogue', () => {
  it('lists the same ids as worker.py, at least 20 bugs, none named like a first-catalogue mutant', () => {
    const listed = execFileSync(PYTHON, [NUMPY_WORKER, '--list'], { encoding: 'utf8' }).trim().split('\n');
    expect(listed.sort()).toEqual([...numpyMutants, ...numpyTwins].map((m) => m.id).sort());
    expect(numpyMutants.length).toBeGreaterThanOrEqual(20);
    const first = new Set(firstCatalogue.map((m) => m.id));
    expect(numpyMutants.filter((m) => first.has(m.id))).toEqual([]);
  });

  it('records one known cause and a valid smallest network for every bug', () => {
    for (const m of numpyMutants) {
      expect(m.causes.length, m.id).toBe(1);
      expect(causeKeys, m.id).toContain(m.causes[0]);
      expect(() => new Network(m.smallest.network), m.id).not.toThrow();
    }
  });

  it('rejects an unknown bug id with the list of known ones', () => {
    expect(() => execFileSync(PYTHON, [NUMPY_WORKER, '--bug', 'no-such-bug'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/unknown bug 'no-such-bug'; expected one of: correct, /);
  });
});

describe('every NumPy bug is caught on its smallest case', () => {
  it.each(numpyMutants.map((m) => [m.id, m] as const))('%s', async (id, m) => {
    for (const smallest of [m.smallest, ...(m.alsoSmallest ?? [])]) {
      const { report } = await checkOnCase(await start(id), smallest, smallest.seed ?? 1);
      expect(report.verdict).toBe('fail');
      if (m.lossOnly) {
        expect(report.report.verdict).toBe('pass');
        // The worker returns 2·Σ(ŷ − y)²; under MSE sum the reference is Σ(ŷ − y)².
        expect(report.loss!.claimed / report.loss!.reference).toBeCloseTo(2, 12);
      } else expect(report.report.failures.length).toBeGreaterThan(0);
    }
  });
});

describe('NumPy bugs that need a larger case hide below it', () => {
  const hidden: [string, string, CaseShape & { calls?: number }][] = [
    ['bias-last-sample', 'batch 1', { ...byId('bias-last-sample').smallest, batch: 1 }],
    ['weights-averaged-bias-summed', 'batch 1', { ...byId('weights-averaged-bias-summed').smallest, batch: 1 }],
    ['bias-summed-without-axis', 'width 1', { network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity' }] }, batch: 3, reduction: 'sum' }],
    ['square-layout-guessed', 'no square layer', { network: { inputs: 3, layers: [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }] }, batch: 2, reduction: 'sum' }],
    ['no-bias-layer-linear', 'a bias on every layer', { network: { inputs: 2, layers: [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'sigmoid' }] }, batch: 2, reduction: 'sum' }],
    ['middle-layers-derivative-missing', 'depth 2', { network: { inputs: 2, layers: [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'sigmoid' }] }, batch: 2, reduction: 'sum' }],
    ['ce-gradient-logistic-output', 'two sigmoid outputs', { network: { inputs: 2, layers: [{ outputs: 2, activation: 'sigmoid' }] }, batch: 2, reduction: 'sum' }],
    ['mean-over-inputs', 'MSE sum', { ...byId('mean-over-inputs').smallest, reduction: 'sum' }],
    ['always-mean-gradient', 'MSE sum, batch 1, one output', { network: { inputs: 2, layers: [{ outputs: 1, activation: 'identity' }] }, batch: 1, reduction: 'sum' }],
    ['accumulator-never-zeroed', 'a first call', { ...byId('accumulator-never-zeroed').smallest, calls: 1 }],
    ['forward-cache-keyed-by-shape', 'a first call', { ...byId('forward-cache-keyed-by-shape').smallest, calls: 1 }],
    ['twin-float32-declared', 'declared float32', { network: { inputs: 3, layers: [{ outputs: 3, activation: 'sigmoid' }, { outputs: 2, activation: 'identity' }] }, batch: 3, reduction: 'mean' }],
  ];
  it.each(hidden)('%s passes with %s', async (id, _below, shape) => {
    const { report } = await checkOnCase(await start(id), shape, 1);
    expect(report.verdict).toBe('pass');
  });
});

describe('no false alarm on the NumPy twins', () => {
  const shapes: [string, CaseShape & { calls?: number }][] = [
    ['sigmoid, MSE mean, three calls', { network: { inputs: 3, layers: [{ outputs: 3, activation: 'sigmoid' }, { outputs: 2, activation: 'sigmoid' }, { outputs: 2, activation: 'identity' }] }, batch: 3, reduction: 'mean', calls: 3 }],
    ['relu, no bias, MSE half-sum', { network: { inputs: 2, layers: [{ outputs: 4, activation: 'relu', bias: false }, { outputs: 3, activation: 'relu' }, { outputs: 1, activation: 'sigmoid' }] }, batch: 4, reduction: 'half-sum' }],
  ];
  it.each(numpyTwins.map((t) => [t.id] as const))('%s', async (id) => {
    const worker = await start(id);
    for (const [, shape] of shapes) for (const seed of [1, 2]) expect((await checkOnCase(worker, shape, seed)).report.verdict).toBe('pass');
  });
});
