// examples/python/numpy_buggy.py forgets the activation derivative in its hidden layer: both modes
// must fail and locate the mismatch in layer 1 (W1, b1) while the output layer passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImplementationCase, spawnWorker, type WorkerImplementation } from '../../src/index.js';
import { conventionHints } from '../../src/adapters/convention-hints.js';
import { describeEntry } from '../../src/check/report/render-report.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { ROOT, exampleWorker, networkCase } from '../workers/cases.js';

let worker: WorkerImplementation;
beforeAll(async () => {
  worker = await spawnWorker(exampleWorker('numpy_buggy.py'), { cwd: ROOT });
});
afterAll(() => worker?.close());

const buggyCase = () => networkCase(31, 3, [{ outputs: 4, activation: 'sigmoid' }, { outputs: 2, activation: 'identity' }], 3, 'sum');

describe('numpy_buggy.py through the worker protocol', () => {
  for (const mode of ['reference', 'self'] as const) {
    it(`fails in ${mode} mode with the mismatch located in layer 1`, async () => {
      const result = await checkImplementationCase(worker, buggyCase(), { seed: 31, nextId: idCounter() }, { mode });
      expect(result.verdict).toBe('fail');
      expect(result.report.tensors.map((t) => `${t.name} ${t.verdict}`)).toEqual(['W1 fail', 'b1 fail', 'W2 pass', 'b2 pass']);
      expect(new Set(result.report.failures.map((f) => f.layer))).toEqual(new Set([1]));
      expect(describeEntry(result.report.failures[0])).toMatch(/^layer 1 W\[0,0\] \(W1\): claimed .*, numeric .*> tolerance/);
    });
  }

  it('gets no convention hint: no declared convention turns a missing derivative into a gradient', async () => {
    const result = await checkImplementationCase(worker, buggyCase(), { seed: 31, nextId: idCounter() });
    expect(conventionHints(result)).toEqual([]);
  });
});
