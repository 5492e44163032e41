/**
 * The third catalogue (mutants/tape/): a tape autodiff's bugs, each caught on its smallest case, the
 * correct tape implementation equal to the reference engine, and the correct twins passing.
 */
import { describe, expect, it } from 'vitest';
import { causeKeys } from '../../src/diagnosis/causes.js';
import { Network } from '../../src/engine/network.js';
import { tapeMutants, tapeTwins } from '../../mutants/tape/catalogue.js';
import { mutants as firstCatalogue } from '../../mutants/catalogue/index.js';
import { numpyMutants } from '../../mutants/numpy/catalogue.js';
import { checkOnCase, type CaseShape } from '../../mutants/demonstration-case.js';
import { diagnoseImplementation } from '../../src/diagnosis/diagnose-implementation.js';

describe('the tape catalogue', () => {
  it('has ≥ 16 bugs, at least half outside the hypothesis space, ≥ 4 twins, ids unlike the other catalogues', () => {
    expect(tapeMutants.length).toBeGreaterThanOrEqual(16);
    expect(tapeMutants.filter((m) => m.causes.length === 0).length * 2).toBeGreaterThanOrEqual(tapeMutants.length);
    expect(tapeTwins.length).toBeGreaterThanOrEqual(4);
    const others = new Set([...firstCatalogue, ...numpyMutants].map((m) => m.id));
    expect(tapeMutants.filter((m) => others.has(m.id))).toEqual([]);
  });

  it('records at most one known cause and a valid smallest network for every bug', () => {
    for (const m of tapeMutants) {
      expect(m.causes.length, m.id).toBeLessThanOrEqual(1);
      for (const c of m.causes) expect(causeKeys, m.id).toContain(c);
      expect(() => new Network(m.smallest.network), m.id).not.toThrow();
    }
  });
});

describe('every tape bug is caught on its smallest case', () => {
  it.each(tapeMutants.map((m) => [m.id, m] as const))('%s', async (_id, m) => {
    const { report } = await checkOnCase(m.create(), m.smallest, m.smallest.seed ?? 1);
    expect(report.verdict).toBe('fail');
  });
});

describe('stateful tape bugs hide on a first call', () => {
  it.each(tapeMutants.filter((m) => m.stateful).map((m) => [m.id, m] as const))('%s', async (_id, m) => {
    const { report } = await checkOnCase(m.create(), { ...m.smallest, calls: 1 }, m.smallest.seed ?? 1);
    expect(report.verdict).toBe('pass');
  });
});

describe('no false alarm on the tape twins', () => {
  const shapes: [string, CaseShape & { calls?: number }][] = [
    ['sigmoid, MSE mean, three calls', { network: { inputs: 3, layers: [{ outputs: 3, activation: 'sigmoid' }, { outputs: 2, activation: 'sigmoid' }, { outputs: 2, activation: 'identity' }] }, batch: 3, reduction: 'mean', calls: 3 }],
    ['relu, no bias, MSE half-sum', { network: { inputs: 2, layers: [{ outputs: 4, activation: 'relu', bias: false }, { outputs: 3, activation: 'relu' }, { outputs: 1, activation: 'sigmoid' }] }, batch: 4, reduction: 'half-sum' }],
  ];
  it.each(tapeTwins.map((t) => [t.id, t] as const))('%s', async (_id, t) => {
    const impl = t.create();
    for (const [, shape] of shapes) for (const seed of [1, 2]) expect((await checkOnCase(impl, shape, seed)).report.verdict).toBe('pass');
  });
});

describe('the diagnosis of each tape bug on its smallest case', () => {
  const inSpace = tapeMutants.filter((m) => m.causes.length === 1 && !m.stateful);
  it.each(inSpace.map((m) => [m.id, m] as const))('%s: its planted cause', async (_id, m) => {
    const impl = m.create();
    const { nc, report } = await checkOnCase(impl, m.smallest, m.smallest.seed ?? 1);
    expect((await diagnoseImplementation(impl, report, { case: nc })).cause).toBe(m.causes[0]);
  });

  const outside = tapeMutants.filter((m) => m.causes.length === 0 && !m.stateful);
  it.each(outside.map((m) => [m.id, m] as const))('%s: no cause, a specific finding, every finding true of the bug', async (_id, m) => {
    const impl = m.create();
    const { nc, report } = await checkOnCase(impl, m.smallest, m.smallest.seed ?? 1);
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.cause).toBeUndefined();
    expect(d.findings.some((f) => f.specific && m.findingRight!(f))).toBe(true);
    for (const f of d.findings) expect(m.findingRight!(f), f.text).toBe(true);
  });
});
