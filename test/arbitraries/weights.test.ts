import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weights, type WeightRecipe } from '../../src/arbitraries/weights.js';
import { drawWeights } from '../../src/arbitraries/draw-weights.js';
import { networkCase } from '../../src/arbitraries/network-case.js';
import { drawBatch } from '../../src/arbitraries/draw-batch.js';
import { Network } from '../../src/engine/network.js';
import { GradcheckError } from '../../src/errors.js';

const ordinary: WeightRecipe = { regime: 'ordinary', scale: 1, biasScale: 0.5, saturation: 10, kinkFraction: 0.5 };

function preActivations(c: { network: Network; params: Float64Array; inputs: { rows: number; cols: number; data: Float64Array } }): Float64Array[] {
  return c.network.forward(c.params, c.inputs).preActivations;
}

describe('weights', () => {
  it('replays exactly from the seed; each tensor has its own stream', () => {
    const a = new Network({ inputs: 3, layers: [{ outputs: 2, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
    const b = new Network({ inputs: 3, layers: [{ outputs: 2, activation: 'relu' }, { outputs: 4, activation: 'identity' }] });
    const x = drawBatch(a.spec, { size: 2, magnitude: 1, targetMagnitude: 1 }, 5).inputs;
    const pa = drawWeights(a, x, ordinary, 77);
    expect(drawWeights(a, x, ordinary, 77)).toEqual(pa);
    expect(drawWeights(a, x, ordinary, 78)).not.toEqual(pa);
    // W1 and b1 (the first 8 entries) do not depend on the second layer's width.
    expect(drawWeights(b, x, ordinary, 77).subarray(0, 8)).toEqual(pa.subarray(0, 8));
  });

  it('near-kink: with kinkFraction 1 every biased ReLU unit sits exactly at 0 or within 1e-9..1e-3 of it for one sample', () => {
    const cases = networkCase({ regimes: ['near-kink'], kinkFraction: 1, activations: ['relu'], outputActivations: ['relu'], bias: true });
    let exact = 0;
    let near = 0;
    for (const c of fc.sample(cases, { numRuns: 60, seed: 6 })) {
      const z = preActivations(c);
      c.network.layers.forEach((layer, l) => {
        for (let j = 0; j < layer.outputs; j++) {
          let closest = Infinity;
          for (let n = 0; n < c.inputs.rows; n++) closest = Math.min(closest, Math.abs(z[l][n * layer.outputs + j]));
          // δ = ±10^u with u in [−9, −3], realised within ε·|s| (relative 1e-5 covers |s| ≤ 1e4).
          expect(closest === 0 || (closest >= 1e-9 * (1 - 1e-5) && closest <= 1e-3 * (1 + 1e-5))).toBe(true);
          if (closest === 0) exact++;
          else near++;
        }
      });
    }
    // δ = 0 with probability 1/3 per unit: both kinds occur among hundreds of units.
    expect(exact).toBeGreaterThan(10);
    expect(near).toBeGreaterThan(10);
  });

  it('saturating: sigmoid pre-activations spread about ±saturation, far wider than ordinary ones', () => {
    const median = (regime: 'ordinary' | 'saturating'): number => {
      const cases = networkCase({ regimes: [regime], activations: ['sigmoid'], outputActivations: ['sigmoid'], bias: true, magnitudes: [1] });
      const all = fc.sample(cases, { numRuns: 40, seed: 7 }).flatMap((c) => preActivations(c).flatMap((z) => Array.from(z, Math.abs)));
      all.sort((p, q) => p - q);
      return all[Math.floor(all.length / 2)];
    };
    // With b ~ N(0, 10²) the median |z| is about 0.674·10 ≈ 6.7 (half-normal median); ordinary biases
    // N(0, 0.5²) plus Glorot weights on inputs in [−1, 1] give a median |z| below 1.
    expect(median('saturating')).toBeGreaterThan(4);
    expect(median('ordinary')).toBeLessThan(1);
  });

  it('draws regimes and scales from the lists, shrinking to the first', () => {
    const recipes = fc.sample(weights({ regimes: ['near-kink', 'ordinary'], scales: [2, 3] }), { numRuns: 100, seed: 8 });
    expect(new Set(recipes.map((r) => r.regime))).toEqual(new Set(['near-kink', 'ordinary']));
    expect(new Set(recipes.map((r) => r.scale))).toEqual(new Set([2, 3]));
    const details = fc.check(fc.property(weights({ regimes: ['near-kink', 'ordinary'], scales: [2, 3] }), () => false), { seed: 9 });
    expect(details.counterexample![0]).toMatchObject({ regime: 'near-kink', scale: 2 });
  });

  it.each([
    [{ regimes: ['chaotic'] }, `weights: constraints.regimes contains "chaotic"; expected only 'ordinary', 'saturating', 'near-kink'`],
    [{ scales: [] }, 'weights: constraints.scales is []; expected a non-empty list of finite numbers > 0'],
    [{ biasScale: 0 }, 'weights: constraints.biasScale is 0; expected a finite number > 0'],
    [{ saturation: NaN }, 'weights: constraints.saturation is NaN; expected a finite number > 0'],
    [{ kinkFraction: 1.5 }, 'weights: constraints.kinkFraction is 1.5; expected a number in [0, 1]'],
  ])('rejects %j', (constraints, message) => {
    expect(() => weights(constraints as never)).toThrow(GradcheckError);
    expect(() => weights(constraints as never)).toThrow(message);
  });
});
