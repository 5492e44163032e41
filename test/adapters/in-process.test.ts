// In-process implementations: defineImplementation's checks and messages, and the hand-written
// TypeScript backprop of examples/typescript checked in both modes.
import { describe, expect, it } from 'vitest';
import { checkImplementationCase, defineImplementation, type GradientCase, type Implementation, type Reduction } from '../../src/index.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { buggyHandWrittenBackprop, handWrittenBackprop } from '../../examples/typescript/hand-written-backprop.js';
import { networkCase } from '../workers/cases.js';

const zeros = (c: GradientCase) => ({ parameters: c.parameters.map((p) => ({ W: p.W.map((r) => r.map(() => 0)), b: p.b?.map(() => 0) })) });

describe('defineImplementation', () => {
  it('fills in the default conventions and keeps the methods', () => {
    const impl = defineImplementation({ name: 'zeros', gradients: zeros });
    expect(impl.conventions).toEqual({ weightLayout: 'in-out', returns: 'gradient', batch: 'batch', precision: 'float64' });
    expect(Object.isFrozen(impl)).toBe(true);
    expect(impl.loss).toBeUndefined();
  });

  it("keeps methods bound to the user's object, private fields included", async () => {
    class Model implements Implementation {
      readonly name = 'model';
      #calls = 0;
      gradients(c: GradientCase) {
        this.#calls++;
        return zeros(c);
      }
      get calls() {
        return this.#calls;
      }
    }
    const model = new Model();
    const impl = defineImplementation(model);
    const c = networkCase(1, 2, [{ outputs: 1, activation: 'identity' }], 1, 'sum');
    await checkImplementationCase(impl, c, { seed: 1, nextId: idCounter() });
    expect(model.calls).toBe(1);
  });

  it('rejects what is not an implementation, saying what was expected', () => {
    expect(() => defineImplementation(null as never)).toThrow('defineImplementation: implementation is null; expected an object { name, gradients(case), loss?(case), conventions? }');
    expect(() => defineImplementation({ gradients: zeros } as never)).toThrow('defineImplementation: name is undefined; expected a non-empty string (it names the implementation in reports)');
    expect(() => defineImplementation({ name: 'x' } as never)).toThrow(
      'defineImplementation(x): gradients is missing; expected a function gradients(case) returning { parameters: [{ W, b? }, …], inputs?, loss? }',
    );
    expect(() => defineImplementation({ name: 'x', gradients: zeros, loss: 0.5 } as never)).toThrow('defineImplementation(x): loss is number 0.5; expected a function or nothing');
    expect(() => defineImplementation({ name: 'x', gradients: zeros, conventions: 'in-out' } as never)).toThrow(
      'defineImplementation(x): conventions is string "in-out"; expected an object { weightLayout, returns, learningRate, reduction, batch, precision } (every field optional)',
    );
  });

  it('catches typos instead of ignoring them', () => {
    expect(() => defineImplementation({ name: 'x', gradient: zeros } as never)).toThrow(
      'defineImplementation(x): gradient is not a known field (did you mean gradients?); expected only name, conventions, gradients, loss, gradientsMany, lossMany, close',
    );
    expect(() => defineImplementation({ name: 'x', gradients: zeros, conventions: { layout: 'out-in' } } as never)).toThrow(
      'defineImplementation(x): conventions.layout is not a known field (did you mean conventions.weightLayout?); expected only conventions.weightLayout, conventions.returns, conventions.learningRate, conventions.reduction, conventions.batch',
    );
    expect(() => defineImplementation({ name: 'x', gradients: zeros, conventions: { learning_rate: 0.1 } } as never)).toThrow('(did you mean conventions.learningRate?)');
  });

  it('validates convention values', () => {
    expect(() => defineImplementation({ name: 'x', gradients: zeros, conventions: { returns: 'grad' as never } })).toThrow(
      "defineImplementation(x): conventions: returns is \"grad\"; expected one of 'gradient', 'negative-gradient', 'update'",
    );
    expect(() => defineImplementation({ name: 'x', gradients: zeros, conventions: { returns: 'update' } })).toThrow(
      "defineImplementation(x): conventions: learningRate is undefined; expected a positive number with returns: 'update'",
    );
  });
});

describe('the hand-written TypeScript backprop (examples/typescript)', () => {
  const architectures = [
    { inputs: 3, layers: [{ outputs: 4, activation: 'sigmoid' as const }, { outputs: 2, activation: 'identity' as const }] },
    { inputs: 4, layers: [{ outputs: 5, activation: 'relu' as const }, { outputs: 3, activation: 'sigmoid' as const, bias: false }, { outputs: 1, activation: 'identity' as const }] },
  ];
  for (const [a, arch] of architectures.entries()) {
    for (const reduction of ['mean', 'sum', 'half-sum'] as Reduction[]) {
      it(`passes on network ${a + 1} with the ${reduction} loss, in both modes`, async () => {
        const nc = networkCase(40 + a, arch.inputs, arch.layers, 3, reduction);
        for (const mode of ['reference', 'self'] as const) {
          const result = await checkImplementationCase(handWrittenBackprop, nc, { seed: 40 + a, nextId: idCounter() }, { mode });
          expect(result.verdict, mode).toBe('pass');
          if (mode === 'reference') expect(result.loss?.agrees).toBe(true);
        }
      });
    }
  }

  it('the buggy variant fails, located in the hidden layer', async () => {
    const nc = networkCase(40, 3, architectures[0].layers, 3, 'mean');
    const result = await checkImplementationCase(buggyHandWrittenBackprop, nc, { seed: 40, nextId: idCounter() });
    expect(result.report.tensors.map((t) => `${t.name} ${t.verdict}`)).toEqual(['W1 fail', 'b1 fail', 'W2 pass', 'b2 pass', 'x fail']);
  });
});

describe('checkImplementationCase defaults', () => {
  it('needs no seed or ids: seed 1, requests numbered from 1, the seed leading the label', async () => {
    const nc = networkCase(7, 3, [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }], 2, 'mean');
    const seen: number[] = [];
    const impl = defineImplementation({ name: 'recorded', gradients: (c: GradientCase) => (seen.push(c.id), handWrittenBackprop.gradients(c)) });
    const result = await checkImplementationCase(impl, nc);
    expect(result.verdict).toBe('pass');
    expect(seen).toEqual([1]);
    expect(result.case.seed).toBe(1);
    expect(result.report.label).toBe('[3 → sigmoid 2 → identity 1], batch 2, MSE mean, seed 1 (case id 1)');
  });

  it('names a case of the wrong kind before calling the implementation', async () => {
    await expect(checkImplementationCase(handWrittenBackprop, { network: {} } as never)).rejects.toThrow(
      'checkImplementation: network is an object (Object); expected a Network (new Network({ inputs, layers }))',
    );
  });
});
