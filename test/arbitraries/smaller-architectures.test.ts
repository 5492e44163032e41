import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { architecture } from '../../src/arbitraries/architecture.js';
import { isWithinBounds, smallerArchitectures, type ArchitectureBounds } from '../../src/arbitraries/smaller-architectures.js';
import type { NetworkSpec } from '../../src/engine/dense-layer.js';

const seeds = Array.from({ length: 12 }, (_, k) => k + 1);

/** The counterexample fast-check shrinks a property to, over the default architectures. */
function shrunk(seed: number, holds: (spec: NetworkSpec) => boolean): NetworkSpec {
  const details = fc.check(fc.property(architecture(), holds), { seed, numRuns: 1000 });
  expect(details.failed).toBe(true);
  return details.counterexample![0];
}

const layer = (outputs: number, activation: 'identity' | 'sigmoid' | 'relu' = 'identity') => ({ outputs, activation, bias: true });

// Every expected network is the smallest one with the property, found by hand from the documented
// shrink targets (depth ≥ 1, widths ≥ 1, first activation identity, bias on).
describe('shrinking reaches the smallest network', () => {
  it.each(seeds)('an activation only the output layer can show: any sigmoid ends at [1 → sigmoid 1] (seed %i)', (seed) => {
    expect(shrunk(seed, (s) => !s.layers.some((l) => l.activation === 'sigmoid'))).toEqual({ inputs: 1, layers: [layer(1, 'sigmoid')] });
  });

  it.each(seeds)('a square layer of width ≥ 2 ends at [2 → identity 2], inputs and outputs together (seed %i)', (seed) => {
    const square = (s: NetworkSpec) => s.layers.some((l, i) => l.outputs >= 2 && l.outputs === (i === 0 ? s.inputs : s.layers[i - 1].outputs));
    expect(shrunk(seed, (s) => !square(s))).toEqual({ inputs: 2, layers: [layer(2)] });
  });

  it.each(seeds)('a layer of width ≥ 2 (a bias summed without an axis) ends at [1 → identity 2] (seed %i)', (seed) => {
    expect(shrunk(seed, (s) => !s.layers.some((l) => l.outputs >= 2))).toEqual({ inputs: 1, layers: [layer(2)] });
  });

  it.each(seeds)('a hidden sigmoid (not the output) ends at [1 → sigmoid 1 → identity 1] (seed %i)', (seed) => {
    expect(shrunk(seed, (s) => !s.layers.slice(0, -1).some((l) => l.activation === 'sigmoid'))).toEqual({ inputs: 1, layers: [layer(1, 'sigmoid'), layer(1)] });
  });

  it.each(seeds)('a relu layer after a square sigmoid layer ends at [2 → sigmoid 2 → relu 1] (seed %i)', (seed) => {
    const shows = (s: NetworkSpec) =>
      s.layers.some((l, i) => i > 0 && l.activation === 'relu' && s.layers[i - 1].activation === 'sigmoid' && s.layers[i - 1].outputs === (i === 1 ? s.inputs : s.layers[i - 2].outputs) && s.layers[i - 1].outputs >= 2);
    expect(shrunk(seed, (s) => !shows(s))).toEqual({ inputs: 2, layers: [layer(2, 'sigmoid'), layer(1, 'relu')] });
  });
});

describe('smallerArchitectures', () => {
  const bounds = fc
    .record({ a: fc.integer({ min: 1, max: 4 }), b: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 4 }), e: fc.integer({ min: 1, max: 4 }), f: fc.integer({ min: 1, max: 4 }) })
    .map(({ a, b, c, d, e, f }) => ({
      minDepth: Math.min(a, b), maxDepth: Math.max(a, b), minWidth: Math.min(c, d), maxWidth: Math.max(c, d),
      minInputs: Math.min(e, f), maxInputs: Math.max(e, f), minOutputs: 1, maxOutputs: 3,
      activations: ['identity', 'relu'], outputActivations: ['sigmoid', 'identity'], bias: 'mixed',
    }) satisfies ArchitectureBounds);

  /** (depth, sum of dimensions, activation positions, layers without bias): each candidate must be lexicographically below. */
  const measure = (s: NetworkSpec, b: ArchitectureBounds): number[] => [
    s.layers.length,
    s.inputs + s.layers.reduce((n, l) => n + l.outputs, 0),
    s.layers.reduce((n, l, i) => n + (i === s.layers.length - 1 ? b.outputActivations : b.activations).indexOf(l.activation), 0),
    s.layers.filter((l) => !l.bias).length,
  ];
  const below = (x: number[], y: number[]): boolean => {
    const k = x.findIndex((v, i) => v !== y[i]);
    return k >= 0 && x[k] < y[k];
  };

  it('yields only distinct architectures within the constraints, each strictly smaller (so shrinking ends)', () => {
    fc.assert(
      fc.property(bounds, fc.integer(), (b, seed) => {
        for (const spec of fc.sample(architecture(b), { numRuns: 5, seed })) {
          expect(isWithinBounds(spec, b)).toBe(true);
          const candidates = [...smallerArchitectures(spec, b)];
          expect(new Set(candidates.map((c) => JSON.stringify(c))).size).toBe(candidates.length);
          for (const c of candidates) {
            expect(isWithinBounds(c, b)).toBe(true);
            expect(below(measure(c, b), measure(spec, b))).toBe(true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('has no candidate below the smallest network', () => {
    const b: ArchitectureBounds = { minDepth: 1, maxDepth: 4, minWidth: 1, maxWidth: 4, minInputs: 1, maxInputs: 4, minOutputs: 1, maxOutputs: 3, activations: ['identity'], outputActivations: ['identity'], bias: true };
    expect([...smallerArchitectures({ inputs: 1, layers: [layer(1)] }, b)]).toEqual([]);
  });

  it('rejects what the constraints exclude: an activation, a width, a bias setting, a depth', () => {
    const b: ArchitectureBounds = { minDepth: 2, maxDepth: 3, minWidth: 2, maxWidth: 4, minInputs: 1, maxInputs: 4, minOutputs: 1, maxOutputs: 3, activations: ['relu'], outputActivations: ['identity'], bias: true };
    expect(isWithinBounds({ inputs: 1, layers: [layer(2, 'relu'), layer(1)] }, b)).toBe(true);
    expect(isWithinBounds({ inputs: 1, layers: [layer(2, 'sigmoid'), layer(1)] }, b)).toBe(false);
    expect(isWithinBounds({ inputs: 1, layers: [layer(1, 'relu'), layer(1)] }, b)).toBe(false);
    expect(isWithinBounds({ inputs: 1, layers: [{ ...layer(2, 'relu'), bias: false }, layer(1)] }, b)).toBe(false);
    expect(isWithinBounds({ inputs: 1, layers: [layer(1)] }, b)).toBe(false);
  });

  it('an output-only activation list keeps a removed layer\'s activation out of the output', () => {
    // relu is allowed in hidden layers only: removing the output layer must not leave relu at the output.
    const b: ArchitectureBounds = { minDepth: 1, maxDepth: 4, minWidth: 1, maxWidth: 4, minInputs: 1, maxInputs: 4, minOutputs: 1, maxOutputs: 3, activations: ['relu'], outputActivations: ['identity'], bias: true };
    const candidates = [...smallerArchitectures({ inputs: 1, layers: [layer(1, 'relu'), layer(1)] }, b)];
    expect(candidates).toEqual([{ inputs: 1, layers: [layer(1)] }]);
  });
});

describe('the generated distribution', () => {
  it('covers every input count, output width, depth and both square and non-square first layers', () => {
    const specs = fc.sample(architecture(), { numRuns: 400, seed: 5 });
    expect([...new Set(specs.map((s) => s.inputs))].sort()).toEqual([1, 2, 3, 4]);
    expect([...new Set(specs.map((s) => s.layers[s.layers.length - 1].outputs))].sort()).toEqual([1, 2, 3]);
    expect([...new Set(specs.map((s) => s.layers.length))].sort()).toEqual([1, 2, 3, 4]);
    const square = specs.filter((s) => s.layers[0].outputs === s.inputs).length;
    expect(square).toBeGreaterThan(0);
    expect(square).toBeLessThan(specs.length);
  });
});
