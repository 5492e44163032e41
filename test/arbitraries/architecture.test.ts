import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { architecture } from '../../src/arbitraries/architecture.js';
import { GradcheckError } from '../../src/errors.js';

describe('architecture', () => {
  it('honours every bound of random valid constraints', () => {
    const bounds = fc
      .record({ a: fc.integer({ min: 1, max: 5 }), b: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 5 }) })
      .map(({ a, b, c, d }) => ({ minDepth: Math.min(a, b), maxDepth: Math.max(a, b), minWidth: Math.min(c, d), maxWidth: Math.max(c, d) }));
    fc.assert(
      fc.property(bounds, fc.integer(), (c, seed) => {
        for (const spec of fc.sample(architecture(c), { numRuns: 20, seed })) {
          expect(spec.layers.length).toBeGreaterThanOrEqual(c.minDepth);
          expect(spec.layers.length).toBeLessThanOrEqual(c.maxDepth);
          for (const hidden of spec.layers.slice(0, -1)) {
            expect(hidden.outputs).toBeGreaterThanOrEqual(c.minWidth);
            expect(hidden.outputs).toBeLessThanOrEqual(c.maxWidth);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it('uses only the allowed activations and bias choice', () => {
    const specs = fc.sample(architecture({ activations: ['relu'], outputActivations: ['sigmoid'], bias: false, minDepth: 2 }), { numRuns: 50, seed: 1 });
    for (const spec of specs) {
      expect(spec.layers.slice(0, -1).every((l) => l.activation === 'relu')).toBe(true);
      expect(spec.layers[spec.layers.length - 1].activation).toBe('sigmoid');
      expect(spec.layers.every((l) => l.bias === false)).toBe(true);
    }
  });

  it('covers the whole default range (1 to 4 layers, widths 1 to 4)', () => {
    const specs = fc.sample(architecture(), { numRuns: 400, seed: 2 });
    const depths = new Set(specs.map((s) => s.layers.length));
    expect([...depths].sort()).toEqual([1, 2, 3, 4]);
    const widths = new Set(specs.flatMap((s) => s.layers.slice(0, -1).map((l) => l.outputs)));
    expect([...widths].sort()).toEqual([1, 2, 3, 4]);
  });

  it('shrinks depth and widths first: "at least 3 layers" ends at [1 → identity 1 → identity 1 → identity 1]', () => {
    // Expected: the documented shrink targets (minInputs 1, minWidth 1, minOutputs 1, first activation identity, bias on).
    const details = fc.check(fc.property(architecture(), (spec) => spec.layers.length < 3), { seed: 3 });
    expect(details.failed).toBe(true);
    expect(details.counterexample![0]).toEqual({
      inputs: 1,
      layers: [
        { outputs: 1, activation: 'identity', bias: true },
        { outputs: 1, activation: 'identity', bias: true },
        { outputs: 1, activation: 'identity', bias: true },
      ],
    });
  });

  it.each([
    [{ minDepth: 3, maxDepth: 2 }, 'architecture: constraints.minDepth is 3 but constraints.maxDepth is 2; expected minDepth ≤ maxDepth'],
    [{ maxWidth: 0 }, 'architecture: constraints.maxWidth is 0; expected an integer in [1, 1024]'],
    [{ minWidth: 1.5 }, 'architecture: constraints.minWidth is 1.5; expected an integer in [1, 1024]'],
    [{ minInputs: 5, maxInputs: 2 }, 'architecture: constraints.minInputs is 5 but constraints.maxInputs is 2; expected minInputs ≤ maxInputs'],
    [{ activations: ['tanh'] }, `architecture: constraints.activations contains "tanh"; expected only 'sigmoid', 'relu', 'identity'`],
    [{ outputActivations: [] }, `architecture: constraints.outputActivations is []; expected a non-empty list of 'sigmoid', 'relu', 'identity'`],
    [{ bias: 'sometimes' }, `architecture: constraints.bias is "sometimes"; expected true, false or 'mixed'`],
    [{ depth: 3 }, 'architecture: constraints.depth is not a constraint of architecture; expected one of minDepth, maxDepth, minWidth, maxWidth, minInputs, maxInputs, minOutputs, maxOutputs, activations, outputActivations, bias'],
  ])('rejects %j', (constraints, message) => {
    const call = () => architecture(constraints as never);
    expect(call).toThrow(GradcheckError);
    expect(call).toThrow(message);
  });
});
