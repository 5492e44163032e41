// examples/python/numpy_mlp.py, a correct NumPy backprop (in-out layout, gradients, dL/dx and loss),
// checked through the worker protocol in both modes. One worker process for the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImplementationCase, spawnWorker, type WorkerImplementation } from '../../src/index.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import type { Reduction } from '../../src/index.js';
import { ROOT, exampleWorker, networkCase } from '../workers/cases.js';

let worker: WorkerImplementation;
beforeAll(async () => {
  worker = await spawnWorker(exampleWorker('numpy_mlp.py'), { cwd: ROOT });
});
afterAll(() => worker?.close());

describe('numpy_mlp.py through the worker protocol', () => {
  it('introduces itself with its conventions and capabilities', () => {
    expect(worker.name).toBe('numpy-mlp');
    expect(worker.handshake.capabilities).toEqual(['gradients', 'loss']);
    expect(worker.conventions).toEqual({ weightLayout: 'in-out', returns: 'gradient', batch: 'batch', precision: 'float64' });
  });

  for (const reduction of ['mean', 'sum', 'half-sum'] as Reduction[]) {
    for (const mode of ['reference', 'self'] as const) {
      it(`passes in ${mode} mode with the ${reduction} loss, dL/dx included`, async () => {
        const nc = networkCase(11, 3, [{ outputs: 4, activation: 'sigmoid' }, { outputs: 2, activation: 'identity' }], 3, reduction);
        const result = await checkImplementationCase(worker, nc, { seed: 11, nextId: idCounter() }, { mode });
        expect(result.verdict).toBe('pass');
        expect(result.report.tensors.map((t) => `${t.name} ${t.verdict}`)).toEqual(['W1 pass', 'b1 pass', 'W2 pass', 'b2 pass', 'x pass']);
        // The worker returns its loss; in reference mode it is compared with the engine's forward pass.
        if (mode === 'reference') expect(result.loss?.agrees).toBe(true);
      });
    }
  }

  it('passes on a deeper ReLU network with a layer without bias, in both modes', async () => {
    const nc = networkCase(5, 4, [{ outputs: 5, activation: 'relu' }, { outputs: 3, activation: 'sigmoid', bias: false }, { outputs: 2, activation: 'identity' }], 4, 'mean');
    for (const mode of ['reference', 'self'] as const) {
      const result = await checkImplementationCase(worker, nc, { seed: 5, nextId: idCounter() }, { mode, strategy: 'directions' });
      expect(result.verdict, mode).toBe('pass');
      expect(result.report.tensors.map((t) => t.name)).toEqual(['W1', 'b1', 'W2', 'W3', 'b3', 'x']);
    }
  });
});
