/**
 * The fast subset of the mutation benchmark: each mutant is caught by one `checkImplementationCase` on
 * its smallest case, the bugs that need a larger case hide below it, and the not-a-bug variants pass.
 */
import { describe, expect, it } from 'vitest';
import { causeKeys } from '../../src/diagnosis/causes.js';
import { checkImplementationCase, idCounter } from '../../src/adapters/check-implementation.js';
import { Network } from '../../src/engine/network.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import type { NetworkCase } from '../../src/check/objective/network-objective.js';
import { mutants, notBugs, singleBugMutants, type Mutant } from '../../mutants/catalogue/index.js';
import { checkOnCase, type CaseShape } from '../../mutants/demonstration-case.js';
import { ReferenceBackprop } from '../../mutants/reference-backprop.js';

const byId = (id: string): Mutant => mutants.find((m) => m.id === id)!;

describe('the catalogue', () => {
  it('has at least 20 single-bug mutants with unique ids, a known planted cause each, and metadata', () => {
    expect(singleBugMutants.length).toBeGreaterThanOrEqual(20);
    expect(new Set(mutants.map((m) => m.id)).size).toBe(mutants.length);
    for (const m of mutants) {
      expect(m.title.length, m.id).toBeGreaterThan(0);
      expect(m.description.length, m.id).toBeGreaterThan(20);
      expect(m.causes.every((c) => causeKeys.includes(c)), m.id).toBe(true);
      expect(() => new Network(m.smallest.network), m.id).not.toThrow();
    }
    expect(singleBugMutants.every((m) => m.causes.length === 1)).toBe(true);
    expect(mutants.filter((m) => m.causes.length > 1).length).toBeGreaterThan(0);
  });
});

describe('every mutant is caught on its smallest case', () => {
  it.each(mutants.map((m) => [m.id, m] as const))('%s', async (_id, m) => {
    for (const smallest of [m.smallest, ...(m.alsoSmallest ?? [])]) {
      const { report } = await checkOnCase(m.create(), smallest, smallest.seed ?? 1);
      expect(report.verdict).toBe('fail');
      expect(report.report.failures.length).toBeGreaterThan(0);
    }
  });
});

describe('bugs that need a larger case hide below it', () => {
  const hidden: [string, string, CaseShape & { calls?: number }][] = [
    ['bias-first-sample', 'batch 1', { ...byId('bias-first-sample').smallest, batch: 1 }],
    ['per-sample-overwrite', 'batch 1', { ...byId('per-sample-overwrite').smallest, batch: 1 }],
    ['bias-averaged', 'batch 1', { ...byId('bias-averaged').smallest, batch: 1 }],
    ['sum-divided-by-batch', 'batch 1', { ...byId('sum-divided-by-batch').smallest, batch: 1 }],
    ['mean-not-divided', 'MSE sum', { ...byId('mean-not-divided').smallest, reduction: 'sum' }],
    ['half-forgotten', 'MSE sum', { ...byId('half-forgotten').smallest, reduction: 'sum' }],
    ['output-error-propagated', 'one hidden layer', { network: { inputs: 1, layers: [{ outputs: 1, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }] }, batch: 2, reduction: 'sum' }],
    ['previous-layer-weights', 'no hidden layer', { network: { inputs: 2, layers: [{ outputs: 2, activation: 'sigmoid' }] }, batch: 2, reduction: 'sum' }],
    ['missing-transpose', 'no square layer', { network: { inputs: 3, layers: [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }] }, batch: 2, reduction: 'sum' }],
    ['saturated-zeroed', 'unsaturated units', { network: { inputs: 2, layers: [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'sigmoid' }] }, batch: 2, reduction: 'sum' }],
    ['derivative-of-activation', 'ReLU and identity layers', { network: { inputs: 2, layers: [{ outputs: 2, activation: 'relu' }, { outputs: 1, activation: 'identity' }] }, batch: 2, reduction: 'sum' }],
    ['accumulates-across-calls', 'a first call', { ...byId('accumulates-across-calls').smallest, calls: 1 }],
  ];
  it.each(hidden)('%s passes with %s', async (id, _below, shape) => {
    const { report } = await checkOnCase(byId(id).create(), shape, 1);
    expect(report.verdict).toBe('pass');
  });
});

describe('no false alarm on the reference or the not-a-bug variants', () => {
  const implementations = [{ id: 'reference', create: () => new ReferenceBackprop() }, ...notBugs];
  const shapes: [string, CaseShape][] = [
    ['sigmoid, MSE mean', { network: { inputs: 3, layers: [{ outputs: 3, activation: 'sigmoid' }, { outputs: 2, activation: 'sigmoid' }, { outputs: 2, activation: 'identity' }] }, batch: 3, reduction: 'mean' }],
    ['relu, MSE sum', { network: { inputs: 2, layers: [{ outputs: 4, activation: 'relu' }, { outputs: 3, activation: 'relu' }, { outputs: 1, activation: 'sigmoid' }] }, batch: 4, reduction: 'sum' }],
    ['saturated sigmoid, MSE half-sum', { network: { inputs: 2, layers: [{ outputs: 3, activation: 'sigmoid', bias: false }, { outputs: 2, activation: 'sigmoid' }] }, batch: 2, reduction: 'half-sum', saturated: true }],
  ];
  for (const impl of implementations) {
    it.each(shapes)(`${impl.id}: %s`, async (_name, shape) => {
      for (const seed of [1, 2]) expect((await checkOnCase(impl.create(), shape, seed)).report.verdict).toBe('pass');
    });
  }

  it.each(implementations.map((i) => [i.id, i] as const))('%s passes with a ReLU pre-activation at exactly 0', async (_id, impl) => {
    // z₁ = 1·0.5 + 2·0.25 − 1 = 0 exactly in floating point (every term is a dyadic rational).
    const network = new Network({ inputs: 2, layers: [{ outputs: 2, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
    const params = Float64Array.from([0.5, 0.3, 0.25, -0.7, -1, 0.2, 0.8, -0.6, 0.1]);
    const nc: NetworkCase = { network, params, inputs: matrixFromRows([[1, 2], [0.5, -1]]), targets: matrixFromRows([[0.3], [-0.2]]), reduction: 'sum' };
    const trace = network.forward(params, nc.inputs);
    expect(trace.preActivations[0][0]).toBe(0);
    const report = await checkImplementationCase(impl.create(), nc, { seed: 1, nextId: idCounter() });
    expect(report.verdict).toBe('pass');
  });
});
