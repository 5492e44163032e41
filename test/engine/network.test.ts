import { describe, expect, it } from 'vitest';
import { activationNames, type ActivationName } from '../../src/engine/activation.js';
import { reductions, type Reduction } from '../../src/engine/loss.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../../src/engine/random-parameters.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';

describe('parameter layout', () => {
  it('lays out W1 (inputs×outputs), b1, W2, … end to end, skipping absent biases', () => {
    const net = new Network({
      inputs: 3,
      layers: [
        { outputs: 4, activation: 'sigmoid' },
        { outputs: 2, activation: 'relu', bias: false },
        { outputs: 1, activation: 'identity' },
      ],
    });
    expect(net.tensors.map((t) => [t.name, t.layer, t.kind, t.rows, t.cols, t.offset])).toEqual([
      ['W1', 1, 'W', 3, 4, 0],
      ['b1', 1, 'b', 1, 4, 12],
      ['W2', 2, 'W', 4, 2, 16],
      ['W3', 3, 'W', 2, 1, 24],
      ['b3', 3, 'b', 1, 1, 26],
    ]);
    expect(net.parameterCount).toBe(27);
    expect(net.inputCount).toBe(3);
    expect(net.outputCount).toBe(1);
    expect(net.layers[1].biasOffset).toBe(-1);
  });
});

describe('forward and backward on hand-computed networks', () => {
  it('a linear model gives the least-squares closed forms for every reduction', () => {
    // ŷ = X·W + b with X = [[1,2],[3,−1],[0,1]], W = [0.5, −1]ᵀ, b = 0.25 → ŷ = [−1.25, 2.75, −0.75];
    // y = [1, 0, 2] → r = ŷ − y = [−2.25, 2.75, −2.75], Σr² = 20.1875.
    // For L = c·Σr²: dW = 2c·Xᵀr = 2c·[−2.25 + 8.25 + 0, −4.5 − 2.75 − 2.75] = 2c·[6, −10], db = 2c·Σr = 2c·(−2.25), dX = 2c·r·Wᵀ.
    const net = new Network({ inputs: 2, layers: [{ outputs: 1, activation: 'identity' }] });
    const params = Float64Array.from([0.5, -1, 0.25]);
    const x = matrixFromRows([[1, 2], [3, -1], [0, 1]]);
    const y = matrixFromRows([[1], [0], [2]]);
    const cases: [Reduction, number][] = [['mean', 1 / 3], ['sum', 1], ['half-sum', 0.5]];
    for (const [reduction, c] of cases) {
      const g = net.gradients(params, x, y, reduction);
      expect(g.loss).toBeCloseTo(c * 20.1875, 13);
      expect(net.loss(params, x, y, reduction)).toBe(g.loss);
      const expected = [2 * c * 6, 2 * c * -10, 2 * c * -2.25];
      Array.from(g.parameters).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 13));
      const r = [-2.25, 2.75, -2.75];
      const dx = r.flatMap((ri) => [2 * c * ri * 0.5, 2 * c * ri * -1]);
      Array.from(g.inputs).forEach((v, i) => expect(v).toBeCloseTo(dx[i], 13));
    }
  });

  it('a ReLU network: forward trace and every gradient by hand', () => {
    // x = [1, 2]; W1 = [[1, −1], [1, 1]], b1 = [0, −2] → z1 = [3, −1], a1 = [3, 0];
    // W2 = [2, 5]ᵀ, b2 = 1 → ŷ = 7; y = 4, sum: L = 9, dL/dŷ = 6.
    // dW2 = a1ᵀ·6 = [18, 0], db2 = 6; δ1 = 6·[2, 5] ⊙ [1, 0] = [12, 0];
    // dW1 = xᵀ·δ1 = [[12, 0], [24, 0]], db1 = [12, 0], dx = δ1·W1ᵀ = [12, 12].
    const net = new Network({ inputs: 2, layers: [{ outputs: 2, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
    const params = Float64Array.from([1, -1, 1, 1, 0, -2, 2, 5, 1]);
    const x = matrixFromRows([[1, 2]]);
    const y = matrixFromRows([[4]]);
    const trace = net.forward(params, x);
    expect(Array.from(trace.preActivations[0])).toEqual([3, -1]);
    expect(Array.from(trace.activations[1])).toEqual([3, 0]);
    expect(Array.from(net.prediction(trace))).toEqual([7]);
    const g = net.gradients(params, x, y, 'sum');
    expect(g.loss).toBe(9);
    expect(Array.from(g.parameters)).toEqual([12, 0, 24, 0, 12, 0, 18, 0, 6]);
    expect(Array.from(g.inputs)).toEqual([12, 12]);
  });

  it('a single sigmoid unit matches (σ − y)·σ(1 − σ)·(x, 1, w)', () => {
    // half-sum: L = ½(σ(wx + b) − y)², z = 0.3·2 − 0.1 = 0.5.
    const net = new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'sigmoid' }] });
    const g = net.gradients(Float64Array.from([0.3, -0.1]), matrixFromRows([[2]]), matrixFromRows([[0.9]]), 'half-sum');
    const s = 1 / (1 + Math.exp(-0.5));
    const dz = (s - 0.9) * s * (1 - s);
    expect(g.loss).toBeCloseTo(0.5 * (s - 0.9) ** 2, 15);
    expect(g.parameters[0]).toBeCloseTo(dz * 2, 15);
    expect(g.parameters[1]).toBeCloseTo(dz, 15);
    expect(g.inputs[0]).toBeCloseTo(dz * 0.3, 15);
  });
});

describe('engine gradients agree with the checker', () => {
  const grid: [ActivationName, Reduction, boolean, number][] = [];
  for (const a of activationNames) for (const r of reductions) for (const bias of [true, false]) for (const batch of [1, 5]) grid.push([a, r, bias, batch]);

  it.each(grid)('%s layers, MSE %s, bias %s, batch %i (parameters and dL/dx)', (activation, reduction, bias, batch) => {
    const net = new Network({ inputs: 3, layers: [{ outputs: 4, activation, bias }, { outputs: 2, activation, bias }] });
    const random = seededRandom(`${activation}/${reduction}/${bias}/${batch}`);
    const c = { network: net, params: randomParameters(net, random), inputs: randomMatrix(batch, 3, random), targets: randomMatrix(batch, 2, random), reduction };
    const report = checkNetwork(c);
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.tensors.map((t) => t.name)).toEqual(bias ? ['W1', 'b1', 'W2', 'b2', 'x'] : ['W1', 'W2', 'x']);
    expect(report.counts.checked).toBe(net.parameterCount + batch * 3);
    const x = report.tensors.find((t) => t.name === 'x')!;
    expect([x.rows, x.cols, x.checked]).toEqual([batch, 3, batch * 3]);
    // Only ReLU has kinks; smooth networks are checked everywhere with central differences.
    if (activation !== 'relu') expect(report.counts.skipped).toBe(0);
  });

  it('agrees on 20 seeded mixed-activation networks with a hidden layer of each kind', () => {
    for (let seed = 0; seed < 20; seed++) {
      const random = seededRandom(seed);
      const net = new Network({
        inputs: 2,
        layers: [
          { outputs: 3, activation: 'relu' },
          { outputs: 3, activation: 'sigmoid' },
          { outputs: 2, activation: 'identity' },
        ],
      });
      const c = { network: net, params: randomParameters(net, random), inputs: randomMatrix(4, 2, random), targets: randomMatrix(4, 2, random), reduction: reductions[seed % 3] };
      const report = checkNetwork(c);
      expect(report.counts.failed, `seed ${seed}`).toBe(0);
      expect(report.verdict).toBe('pass');
    }
  });
});
