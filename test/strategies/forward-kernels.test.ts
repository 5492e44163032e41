import { describe, expect, it } from 'vitest';
import { matmulInto } from '../../src/engine/matrix.js';
import { activations } from '../../src/engine/activation.js';
import { seededRandom } from '../../src/engine/random-parameters.js';
import { activateInto, matmulSameOrder } from '../../src/check/objective/forward-kernels.js';
import { Network } from '../../src/engine/network.js';
import { randomMatrix, randomParameters } from '../../src/engine/random-parameters.js';
import { incrementalNetworkObjective } from '../../src/check/objective/incremental-network-objective.js';
import { mseLoss } from '../../src/engine/loss.js';

// Bitwise equality with the engine: the objective's loss must be the engine's loss at the same point.
const bits = (x: Float64Array): string => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex');

describe('the objective forward kernels compute the engine arithmetic to the bit', () => {
  it('matmulSameOrder equals matmulInto bit for bit, with zeros (skipped by both), ±0 and every remainder of k mod 4', () => {
    const random = seededRandom('kernels');
    for (const [n, k, m] of [[1, 1, 1], [3, 5, 7], [4, 8, 3], [2, 6, 9], [5, 7, 1], [8, 64, 16]]) {
      const a = Float64Array.from({ length: n * k }, () => (random() < 0.3 ? 0 : (random() - 0.5) * 10 ** (6 * random() - 3)));
      const b = Float64Array.from({ length: k * m }, () => (random() < 0.1 ? -0 : (random() - 0.5) * 10 ** (6 * random() - 3)));
      const expected = new Float64Array(n * m);
      const actual = new Float64Array(n * m).fill(7);
      matmulInto(expected, a, b, n, k, m);
      matmulSameOrder(actual, a, b, n, k, m, new Int32Array(k));
      expect(bits(actual)).toBe(bits(expected));
    }
  });

  it('activateInto equals each activation value bit for bit, on both sides of 0, at 0, at ±∞ and NaN', () => {
    const z = Float64Array.from([-800, -30, -1e-300, -0, 0, 1e-300, 0.5, 30, 800, -Infinity, Infinity, NaN, ...Array.from({ length: 50 }, (_, i) => Math.sin(i) * 10)]);
    for (const act of Object.values(activations)) {
      const out = new Float64Array(z.length);
      activateInto(out, z, act);
      expect(bits(out)).toBe(bits(z.map((x) => act.value(x))));
    }
  });

  it('the incremental objective along a direction equals the engine loss at θ + t·v exactly', () => {
    for (const hidden of ['sigmoid', 'relu'] as const) {
      const network = new Network({ inputs: 6, layers: [{ outputs: 9, activation: hidden }, { outputs: 5, activation: hidden }, { outputs: 3, activation: 'identity' }] });
      const random = seededRandom(`along-${hidden}`);
      const c = { network, params: randomParameters(network, random), inputs: randomMatrix(4, 6, random), targets: randomMatrix(4, 3, random), reduction: 'mean' as const };
      const objective = incrementalNetworkObjective(c, true);
      const v = Float64Array.from(objective.point, () => random() - 0.5);
      for (const t of [1e-3, -2.5e-2, 0.3]) {
        const moved = Float64Array.from(objective.point, (x, i) => x + t * v[i]);
        const p = network.parameterCount;
        const inputs = { rows: 4, cols: 6, data: moved.subarray(p) };
        const trace = network.forward(moved.subarray(0, p), inputs);
        expect(objective.along(v, t)).toBe(mseLoss(network.prediction(trace), c.targets.data, c.reduction));
      }
    }
  });
});
