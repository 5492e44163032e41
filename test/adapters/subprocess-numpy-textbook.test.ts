// examples/python/numpy_textbook.py: out-in weights, one sample at a time, returns the update
// −η·dE/dW of the half-sum loss E. Declared conventions map it; checked in both modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImplementationCase, spawnWorker, type WorkerImplementation } from '../../src/index.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { ROOT, exampleWorker, networkCase } from '../workers/cases.js';

let worker: WorkerImplementation;
beforeAll(async () => {
  worker = await spawnWorker(exampleWorker('numpy_textbook.py'), { cwd: ROOT });
});
afterAll(() => worker?.close());

// Non-square layers, so reading the weights in the wrong layout could not go unnoticed.
const textbookCase = (reduction: 'half-sum' | 'mean') =>
  networkCase(21, 3, [{ outputs: 4, activation: 'sigmoid' }, { outputs: 2, activation: 'sigmoid' }], 3, reduction);

describe('numpy_textbook.py through the worker protocol', () => {
  it('declares out-in weights, updates with learning rate 0.5, half-sum loss, per sample', () => {
    expect(worker.conventions).toEqual({ weightLayout: 'out-in', returns: 'update', learningRate: 0.5, reduction: 'half-sum', batch: 'per-sample', precision: 'float64' });
  });

  for (const mode of ['reference', 'self'] as const) {
    it(`passes in ${mode} mode`, async () => {
      const result = await checkImplementationCase(worker, textbookCase('half-sum'), { seed: 21, nextId: idCounter() }, { mode });
      expect(result.verdict).toBe('pass');
      expect(result.report.tensors.map((t) => `${t.name} ${t.rows}×${t.cols} ${t.verdict}`)).toEqual(['W1 3×4 pass', 'b1 1×4 pass', 'W2 4×2 pass', 'b2 1×2 pass']);
    });
  }

  it("reports the worker's own error, with the case, its seed and the Python source line, for a loss it does not support", async () => {
    await expect(checkImplementationCase(worker, textbookCase('mean'), { seed: 22, nextId: idCounter() })).rejects.toThrow(
      /^numpy-textbook: case 2 \(seed 22\): gradients failed: the worker reported: ValueError: expected one sample with the half-sum loss, got 1 with mean \(at numpy_textbook\.py:\d+ in sample\)$/,
    );
  });
});
