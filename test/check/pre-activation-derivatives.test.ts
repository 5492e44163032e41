/**
 * The screen's derivatives of each row's loss with respect to every pre-activation
 * (check/strategies/pre-activation-derivatives.ts): the chain rule's values are within their stated
 * error of the exact D, computed here by hand-written backpropagation in the activations' closed-form
 * derivatives (σ′ = σ(1 − σ), ReLU′ = [z > 0]); where a factor cannot be used, the direct estimate stands in.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import type { ActivationName } from '../../src/engine/activation.js';
import { randomMatrix, randomParameters, seededRandom } from '../../src/engine/random-parameters.js';
import { NetworkRows } from '../../src/check/objective/row-propagation.js';
import { preActivationDerivatives, rowLoss } from '../../src/check/strategies/pre-activation-derivatives.js';
import { networkRowLossRounding } from '../../src/check/objective/claimed-rounding.js';
import type { NetworkCase } from '../../src/check/objective/network-objective.js';

function build(seed: string, sizes: number[], batch: number, hidden: ActivationName): NetworkCase {
  const network = new Network({ inputs: sizes[0], layers: sizes.slice(1).map((outputs, i) => ({ outputs, activation: i === sizes.length - 2 ? 'identity' : hidden })) });
  const random = seededRandom(seed);
  return { network, params: randomParameters(network, random), inputs: randomMatrix(batch, sizes[0], random), targets: randomMatrix(batch, sizes[sizes.length - 1], random), reduction: 'sum' };
}

/** D_l[n][j] by backpropagation: D_L = 2(ŷ − y) (MSE sum), D_l = σ′(z_l)·(D_{l+1}·W_{l+1}ᵀ). */
function exact(rows: NetworkRows, targets: Float64Array): Float64Array[] {
  const D: Float64Array[] = [];
  const last = rows.depth - 1;
  D[last] = Float64Array.from(rows.prediction, (p, k) => 2 * (p - targets[k]));
  for (let l = last - 1; l >= 0; l--) {
    const m = rows.fanOut[l];
    const m2 = rows.fanOut[l + 1];
    D[l] = new Float64Array(rows.batch * m);
    for (let n = 0; n < rows.batch; n++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let q = 0; q < m2; q++) s += rows.params[rows.weightOffset[l + 1] + j * m2 + q] * D[l + 1][n * m2 + q];
        const z = rows.z[l][n * m + j];
        const a = rows.a[l + 1][n * m + j];
        const slope = rows.activations[l].name === 'sigmoid' ? a * (1 - a) : z > 0 ? 1 : 0;
        D[l][n * m + j] = slope * s;
      }
  }
  return D;
}

function derivatives(c: NetworkCase) {
  const rows = new NetworkRows(c.network, c.params, c.inputs.data, c.inputs.rows);
  let units = 0;
  for (let l = 0; l < rows.depth; l++) units += rows.batch * rows.fanOut[l];
  const width = rows.outputs;
  const losses = Float64Array.from({ length: rows.batch }, (_, n) => rowLoss(rows.prediction, n * width, c.targets.data, n * width, width, 1));
  let direct = 0;
  const settings = (l: number) => {
    direct++;
    return networkRowLossRounding(c, 'float64', l).map((lossRounding) => ({ levels: 2, precision: 'float64' as const, lossRounding }));
  };
  const D = preActivationDerivatives(rows, c.targets.data, 1, losses, { derivatives: new Float64Array(4 * units), flags: new Uint8Array(units) }, 2, settings);
  return { rows, D, direct: () => direct };
}

describe('pre-activation derivatives', () => {
  for (const hidden of ['sigmoid', 'relu'] as const) {
    it(`${hidden}: every usable D is within its truncation + rounding of the exact one, hidden layers by the chain rule`, () => {
      const c = build(`pre-${hidden}`, [5, 12, 9, 3], 6, hidden);
      const { rows, D } = derivatives(c);
      const truth = exact(rows, c.targets.data);
      let usable = 0;
      for (let l = 0; l < rows.depth; l++) {
        expect(D.chained[l]).toBe(l < rows.depth - 1);
        for (let at = 0; at < truth[l].length; at++) {
          if (D.ok[l][at] === 0) continue;
          usable++;
          expect(Math.abs(D.d[l][at] - truth[l][at]), `layer ${l} unit ${at}`).toBeLessThanOrEqual(D.e[l][at] + D.f[l][at]);
        }
      }
      expect(usable).toBe(6 * (12 + 9 + 3));
    });
  }

  it('a ReLU unit 1e-12 from its kink: σ′ is taken at steps that stay on its piece (no fallback), and D is within its error', () => {
    const c = build('pre-kink', [3, 4, 2], 1, 'relu');
    const { rows: before } = derivatives(c);
    c.params[c.network.layers[0].biasOffset] += 1e-12 - before.z[0][0];
    const { rows, D, direct } = derivatives(c);
    expect(Math.abs(rows.z[0][0])).toBeLessThan(1e-9);
    expect(direct()).toBe(2); // the output layer's two units only
    expect(D.h[0][0]).toBeLessThan(rows.z[0][0]);
    expect(D.ok[0][0]).toBe(1);
    expect(Math.abs(D.d[0][0] - exact(rows, c.targets.data)[0][0])).toBeLessThanOrEqual(D.e[0][0] + D.f[0][0]);
  });

  it('ReLU units exactly on their kinks: σ′ is unusable, each falls back to the direct estimate, which reports it unusable too', () => {
    const c = build('pre-on-kink', [3, 4, 2], 1, 'relu');
    c.inputs.data.fill(0);
    const hidden = c.network.layers[0];
    c.params.fill(0, hidden.biasOffset, hidden.biasOffset + hidden.outputs);
    const { rows, D, direct } = derivatives(c);
    expect(Array.from(rows.z[0])).toEqual([0, 0, 0, 0]);
    expect(direct()).toBe(2 + 4); // the output layer, then each hidden unit's fallback
    expect(Array.from(D.ok[0])).toEqual([0, 0, 0, 0]);
    expect(Array.from(D.ok[1])).toEqual([1, 1]);
  });
});
