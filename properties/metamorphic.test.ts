/**
 * Metamorphic properties of the reference engine's gradients: relations between the gradients of
 * related cases, which hold whatever the exact values are.
 *
 * Exact comparisons rest on two facts of IEEE 754 arithmetic (Higham, Accuracy and Stability of
 * Numerical Algorithms, 2nd ed., §2.1): scaling by a power of two is exact absent under/overflow, and
 * the same operations on the same operands give the same result. Sums taken in another order are
 * compared with Higham's summation bound (§4.2): |fl(Σxᵢ) − Σxᵢ| ≤ γ_{n−1} Σ|xᵢ|, γ_k = k·u/(1 − k·u).
 *
 * Seed: GRADCHECK_SEED, else this suite's fixed seed (reproducible CI); runs scale with GRADCHECK_RUNS_SCALE.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkCase } from '../src/arbitraries/network-case.js';
import type { GeneratedCase } from '../src/arbitraries/build-case.js';
import { fastCheckParameters, propertyTimeout } from '../src/runner/property-parameters.js';
import { checkLoss } from '../src/check/strategies/check-loss.js';
import { checkNetwork } from '../src/check/strategies/check-network.js';
import { renderReport } from '../src/check/report/render-report.js';
import { createMatrix, type Matrix } from '../src/engine/matrix.js';
import type { Network } from '../src/engine/network.js';
import { seededRandom } from '../src/engine/random-parameters.js';

const parameters = fastCheckParameters(40, { where: 'properties/metamorphic', seedWhenUnset: 2 });
console.info(`properties/metamorphic: fast-check seed ${parameters.seed}, ${parameters.numRuns} runs per property (replay: GRADCHECK_SEED=${parameters.seed})`);

const u = 2 ** -53;
const gamma = (k: number): number => (k * u) / (1 - k * u);

function row(m: Matrix, n: number): Matrix {
  return createMatrix(1, m.cols, m.data.slice(n * m.cols, (n + 1) * m.cols));
}

function property(cases: fc.Arbitrary<GeneratedCase>, check: (c: GeneratedCase) => void, runs = parameters.numRuns): void {
  fc.assert(fc.property(cases, check), { ...parameters, numRuns: runs });
}

describe('metamorphic properties of the engine gradients', { timeout: propertyTimeout(parameters.numRuns) }, () => {
  it('sum reduction: the batch gradient is the sum of the per-sample gradients', () => {
    property(networkCase({ reductions: ['sum'], minBatch: 2, maxBatch: 6 }), (c) => {
      const { network, params, inputs, targets } = c;
      const whole = network.gradients(params, inputs, targets, 'sum');
      const sum = new Float64Array(params.length);
      const magnitude = new Float64Array(params.length);
      for (let n = 0; n < inputs.rows; n++) {
        const one = network.gradients(params, row(inputs, n), row(targets, n), 'sum');
        for (let i = 0; i < params.length; i++) {
          sum[i] += one.parameters[i];
          magnitude[i] += Math.abs(one.parameters[i]);
        }
        // dL/dx of row n depends on sample n alone: the same operations on the same operands.
        expect(Array.from(whole.inputs.subarray(n * inputs.cols, (n + 1) * inputs.cols))).toEqual(Array.from(one.inputs));
      }
      // Two summation orders of N terms, each within γ_{N−1}·Σ|gₙ| of the exact sum.
      const bound = 2 * gamma(inputs.rows - 1);
      for (let i = 0; i < params.length; i++) expect(Math.abs(whole.parameters[i] - sum[i])).toBeLessThanOrEqual(bound * magnitude[i]);
    });
  });

  it('mean is sum divided by the element count: exactly when N·K is a power of two', () => {
    const powerOfTwo = (c: GeneratedCase): boolean => Number.isInteger(Math.log2(c.inputs.rows * c.network.outputCount));
    property(networkCase().filter(powerOfTwo), (c) => {
      const count = c.inputs.rows * c.network.outputCount;
      const mean = c.network.gradients(c.params, c.inputs, c.targets, 'mean');
      const sum = c.network.gradients(c.params, c.inputs, c.targets, 'sum');
      expect(Array.from(mean.parameters, (g) => g * count)).toEqual(Array.from(sum.parameters));
      expect(Array.from(mean.inputs, (g) => g * count)).toEqual(Array.from(sum.inputs));
      expect(mean.loss * count).toBe(sum.loss);
    });
  });

  it('mean is sum divided by the element count: sum gradients / (N·K) pass the check of the mean loss', () => {
    property(networkCase({ reductions: ['sum'] }), (c) => {
      const count = c.inputs.rows * c.network.outputCount;
      const sum = c.network.gradients(c.params, c.inputs, c.targets, 'sum');
      const claimed = { parameters: sum.parameters.map((g) => g / count), inputs: sum.inputs.map((g) => g / count) };
      const report = checkNetwork({ ...c, reduction: 'mean' }, { claimed });
      // Never failed. Unsettled only where finite differences cannot settle the claim whatever the
      // checker does: an entry whose line puts two or more ReLU units exactly on their kinks at θ
      // (near-kink weights place several units of one sample there). Along that line the loss shows
      // only its two one-sided derivatives, while each unit's own ReLU′(0) ∈ [0, 1] gives valid claims
      // outside them (relu(t) − relu(−t) = t, yet ReLU′(0) = 0 claims 0), so the same loss values fit a
      // right and a wrong claim (docs/verdicts.md, the kink rule). Counted here from the engine's
      // pre-activations, not from the checker.
      expect(report.verdict, renderReport(report)).not.toBe('fail');
      if (report.verdict === 'pass') return;
      expect(report.unresolved.length, renderReport(report)).toBeGreaterThan(0);
      for (const e of report.unresolved) expect(unitsOnKinkAlong(c, e), `${e.tensor}[${e.row},${e.col}]: ${renderReport(report)}`).toBeGreaterThanOrEqual(2);
    });
  });

  it('a zero residual gives exactly zero gradients (dL/dŷ = c·(ŷ − y) = 0)', () => {
    property(networkCase(), (c) => {
      const prediction = c.network.prediction(c.network.forward(c.params, c.inputs));
      const targets = createMatrix(c.targets.rows, c.targets.cols, Float64Array.from(prediction));
      const g = c.network.gradients(c.params, c.inputs, targets, c.reduction);
      expect(g.loss).toBe(0);
      expect(g.parameters.every((v) => v === 0)).toBe(true);
      expect(g.inputs.every((v) => v === 0)).toBe(true);
    });
  });

  it('scaling the loss scales the gradients: sum = 2 × half-sum, bit for bit', () => {
    property(networkCase(), (c) => {
      const sum = c.network.gradients(c.params, c.inputs, c.targets, 'sum');
      const half = c.network.gradients(c.params, c.inputs, c.targets, 'half-sum');
      expect(Array.from(half.parameters, (g) => 2 * g)).toEqual(Array.from(sum.parameters));
      expect(Array.from(half.inputs, (g) => 2 * g)).toEqual(Array.from(sum.inputs));
    });
  });

  it('scaling the loss by any α in [1e-6, 1e6] scales the gradients: α·g passes the check of α·L', () => {
    const smooth = networkCase({ activations: ['sigmoid', 'identity'], outputActivations: ['identity', 'sigmoid'], regimes: ['ordinary'] });
    fc.assert(
      fc.property(smooth, fc.double({ min: -6, max: 6, noNaN: true }), (c, exponent) => {
        const alpha = 10 ** exponent;
        const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
        const loss = (theta: Float64Array): number => alpha * c.network.loss(theta, c.inputs, c.targets, c.reduction);
        const report = checkLoss({ loss, point: c.params, claimed: g.parameters.map((v) => alpha * v), tensors: c.network.tensors });
        expect(report.verdict, renderReport(report)).toBe('pass');
      }),
      parameters,
    );
  });

  it('permuting hidden units and their weights permutes the gradients the same way', () => {
    // Not near kinks: there the gradient jumps, and the permuted network's sums (taken in another order)
    // can land a pre-activation on the other side of 0.
    property(networkCase({ minDepth: 2, regimes: ['ordinary', 'saturating'] }), (c) => {
      const random = seededRandom(`${c.seed}:permutation`);
      const l = Math.floor(random() * (c.network.layers.length - 1)); // 0-based hidden layer
      const width = c.network.layers[l].outputs;
      const perm = shuffle(width, random);
      const moved = permutation(c.network, l, perm);
      const permuted = new Float64Array(c.params.length);
      moved.forEach((to, from) => (permuted[to] = c.params[from]));
      const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
      const expected = new Float64Array(g.parameters.length);
      moved.forEach((to, from) => (expected[to] = g.parameters[from]));
      const gp = c.network.gradients(permuted, c.inputs, c.targets, c.reduction);
      if (width <= 2) {
        // Sums of two terms commute exactly, so every operation has the same operands.
        expect(Array.from(gp.parameters)).toEqual(Array.from(expected));
        expect(Array.from(gp.inputs)).toEqual(Array.from(g.inputs));
      }
      const report = checkNetwork({ ...c, params: permuted }, { claimed: { parameters: expected, inputs: g.inputs } });
      expect(report.verdict, renderReport(report)).toBe('pass');
    });
  });
});

/**
 * How many piecewise units sit exactly on their kink at θ (z = 0 in the engine's forward pass) and leave
 * it when the entry alone moves by ±t. t = 2^−20·max(1, |v|) moves every z the entry feeds by far more
 * than its rounding (so a unit it reaches does leave), and only units exactly on a kink are counted, so
 * the crossings of others within t do not matter.
 */
function unitsOnKinkAlong(c: GeneratedCase, entry: { readonly tensor: string; readonly row: number; readonly col: number }): number {
  const isInput = entry.tensor === 'x';
  const tensor = c.network.tensors.find((t) => t.name === entry.tensor);
  const index = isInput ? entry.row * c.inputs.cols + entry.col : tensor!.offset + entry.row * tensor!.cols + entry.col;
  const base = c.network.forward(c.params, c.inputs).preActivations;
  const moved = [1, -1].map((sign) => {
    const params = c.params.slice();
    const inputs = createMatrix(c.inputs.rows, c.inputs.cols, c.inputs.data.slice());
    const values = isInput ? inputs.data : params;
    values[index] += sign * 2 ** -20 * Math.max(1, Math.abs(values[index]));
    return c.network.forward(params, inputs).preActivations;
  });
  let units = 0;
  c.network.layers.forEach((layer, l) => {
    if (!layer.activation.piecewise) return;
    for (let k = 0; k < base[l].length; k++) {
      if (layer.activation.region(base[l][k]) === 0 && moved.some((z) => layer.activation.region(z[l][k]) !== 0)) units++;
    }
  });
  return units;
}

function shuffle(n: number, random: () => number): number[] {
  const p = Array.from({ length: n }, (_, k) => k);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Where each flat parameter goes when unit k of hidden layer l (0-based) becomes unit perm[k]. */
function permutation(network: Network, l: number, perm: readonly number[]): Int32Array {
  const moved = Int32Array.from({ length: network.parameterCount }, (_, i) => i);
  const layer = network.layers[l];
  const next = network.layers[l + 1];
  for (let k = 0; k < layer.outputs; k++) {
    for (let i = 0; i < layer.inputs; i++) moved[layer.weightOffset + i * layer.outputs + k] = layer.weightOffset + i * layer.outputs + perm[k];
    if (layer.bias) moved[layer.biasOffset + k] = layer.biasOffset + perm[k];
    for (let j = 0; j < next.outputs; j++) moved[next.weightOffset + k * next.outputs + j] = next.weightOffset + perm[k] * next.outputs + j;
  }
  return moved;
}
