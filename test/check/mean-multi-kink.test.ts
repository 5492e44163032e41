/**
 * Regression (issue 20 item 1): the counterexamples of the metamorphic property "sum gradients / (N·K)
 * pass the check of the mean loss" (GRADCHECK_RUNS_SCALE=100; GRADCHECK_SEED=31337 path
 * 749:1:5:6:9:9:9, GRADCHECK_SEED=4174 path 207:0:4:6:9:9:8:8:9:13:5:24:24). Near-kink weights put two
 * ReLU units of one sample exactly on their kinks (z = 0 in float64), so moving x[0,0] takes one unit
 * off its kink on each side: the loss along that line has one-sided derivatives d₊ and d₋, and the
 * engine's claim (ReLU′(0) = 0 for both units) lies outside [d₋, d₊]. Finite differences of the loss
 * along the line see only d₋ and d₊, and a wrong claim there fits them as well as this one, so the
 * entry cannot be settled by them (docs/verdicts.md, the kink rule): it must never fail, and every
 * other entry passes. The property now asserts exactly that.
 */
import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { renderReport } from '../../src/check/report/render-report.js';
import { createMatrix, type Matrix } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';
import type { NetworkSpec } from '../../src/engine/dense-layer.js';

interface Counterexample {
  readonly name: string;
  readonly spec: NetworkSpec;
  readonly params: readonly number[];
  readonly inputs: Matrix;
  readonly targets: Matrix;
  /** Hidden units of sample 0 exactly on their kink. */
  readonly onKink: readonly number[];
  /** d₊, d₋ of the mean loss along x[0,0] (printed by the replay). */
  readonly sides: readonly [number, number];
}

const cases: readonly Counterexample[] = [
  {
    name: '[1 → relu 3], batch 2, MSE, near-kink weights, seed 5 (GRADCHECK_SEED=31337)',
    spec: { inputs: 1, layers: [{ outputs: 3, activation: 'relu', bias: true }] },
    params: [0.4713718847927527, 1.016349584713567, -1.449798917027426, -0.05937695220098867, 0.507596660231221, -0.7240747665552116],
    inputs: createMatrix(2, 1, Float64Array.from([-0.49943116804074306, 0.12596625746377477])),
    targets: createMatrix(2, 3, Float64Array.from([-0.7284474189181823, 0.23272565762839292, -0.5569889980324629, -0.8977168802520913, 0.22646173397414193, -0.5837742015988564])),
    onKink: [1, 2],
    sides: [-0.07884, -0.26917],
  },
  {
    name: '[1 → relu 3 → identity 1], batch 1, MSE, near-kink weights, seed 475555 (GRADCHECK_SEED=4174)',
    spec: { inputs: 1, layers: [{ outputs: 3, activation: 'relu', bias: true }, { outputs: 1, activation: 'identity', bias: true }] },
    params: [
      -0.44546904259178943, -0.6770622878945306, 0.7641648264901769, 0.10233853385657296, 0.1555516242590698, -0.17556299041826678, 0.831199212884626, -0.5774286743529822,
      0.6004799727394862, 0.36875139292486286,
    ],
    inputs: createMatrix(1, 1, Float64Array.from([0.2297449245663803])),
    targets: createMatrix(1, 1, Float64Array.from([0.7393976420749917])),
    onKink: [1, 2],
    sides: [-0.34015, -0.28981],
  },
];

/** The engine's mean-loss dL/dx[0,0] at x[0,0] + t: a one-sided derivative for t of either sign, small enough to cross no other kink. */
function gradientAt(network: Network, c: Counterexample, t: number): number {
  const inputs = createMatrix(c.inputs.rows, c.inputs.cols, c.inputs.data.slice());
  inputs.data[0] += t;
  return network.gradients(Float64Array.from(c.params), inputs, c.targets, 'mean').inputs[0];
}

describe('sum gradients / (N·K) against the mean loss with two ReLU units exactly on their kinks', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const network = new Network(c.spec);
      const params = Float64Array.from(c.params);
      const count = c.inputs.rows * network.outputCount;
      const sum = network.gradients(params, c.inputs, c.targets, 'sum');
      const claimed = { parameters: sum.parameters.map((g) => g / count), inputs: sum.inputs.map((g) => g / count) };

      it('puts two units of sample 0 exactly on their kink, and claims 0 for x[0,0], outside [d₋, d₊]', () => {
        const z = network.forward(params, c.inputs).preActivations[0];
        expect(c.onKink.map((j) => z[j])).toEqual(c.onKink.map(() => 0));
        expect(claimed.inputs[0]).toBe(0);
        // 1e-9 of x moves z by ~1e-9, far beyond rounding and far from every other unit's kink (|z| ≥ 5.7e-6).
        const [plus, minus] = [gradientAt(network, c, 1e-9), gradientAt(network, c, -1e-9)];
        expect(plus).toBeCloseTo(c.sides[0], 5);
        expect(minus).toBeCloseTo(c.sides[1], 5);
        expect(Math.max(plus, minus)).toBeLessThan(0);
      });

      it('is never failed; every entry but x[0,0] passes, and x[0,0] passes or is unresolved', () => {
        const report = checkNetwork({ network, params, inputs: c.inputs, targets: c.targets, reduction: 'mean' }, { claimed });
        expect(report.verdict, renderReport(report)).not.toBe('fail');
        expect(report.failures).toEqual([]);
        expect(report.unresolved.map((e) => `${e.tensor}[${e.row},${e.col}]`).filter((n) => n !== 'x[0,0]')).toEqual([]);
      });

      it('a claim for x[0,0] of the wrong sign, outside every convention, does not pass', () => {
        // No unit off its kink depends on x[0,0] here, so valid conventions give σ₊·d₊ + σ₋·d₋ ∈ [d₊ + d₋, 0]: +0.1 is wrong.
        const wrong = { parameters: claimed.parameters, inputs: claimed.inputs.map((g, i) => (i === 0 ? 0.1 : g)) };
        const report = checkNetwork({ network, params, inputs: c.inputs, targets: c.targets, reduction: 'mean' }, { claimed: wrong });
        expect(report.verdict).not.toBe('pass');
      });
    });
  }
});
