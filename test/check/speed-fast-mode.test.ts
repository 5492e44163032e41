import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import type { ActivationName } from '../../src/engine/activation.js';
import { randomMatrix, randomParameters, seededRandom } from '../../src/engine/random-parameters.js';
import { parameterTensor } from '../../src/engine/layout.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import type { NetworkCase } from '../../src/check/objective/network-objective.js';
import { renderReport, verdictLine } from '../../src/check/report/render-report.js';

function networkCase(seed: string, sizes: number[], batch: number, hidden: ActivationName = 'sigmoid'): NetworkCase {
  const network = new Network({ inputs: sizes[0], layers: sizes.slice(1).map((outputs, i) => ({ outputs, activation: i === sizes.length - 2 ? 'identity' : hidden })) });
  const random = seededRandom(seed);
  return { network, params: randomParameters(network, random), inputs: randomMatrix(batch, sizes[0], random), targets: randomMatrix(batch, sizes[sizes.length - 1], random), reduction: 'mean' };
}

// The case: one wrong entry among ~25,000 parameters. [64, 128, 128, 10] has 26,122.
const BIG = networkCase('fast-big', [64, 128, 128, 10], 1);
const BIG_GRADIENT = BIG.network.gradients(BIG.params, BIG.inputs, BIG.targets, BIG.reduction).parameters;

describe('fast mode finds a single wrong entry', () => {
  it('among 26,122 parameters, off by 1%, at a random entry, for each of 25 seeds, and names it', () => {
    expect(BIG_GRADIENT.length).toBe(26122);
    for (let seed = 0; seed < 25; seed++) {
      const i = Math.floor(seededRandom(`plant-${seed}`)() * BIG_GRADIENT.length);
      const wrong = Float64Array.from(BIG_GRADIENT);
      wrong[i] *= 1.01;
      const report = checkNetwork(BIG, { claimed: { parameters: wrong }, strategy: 'fast', seed });
      expect(report.verdict).toBe('fail');
      expect(report.strategy).toBe('fast');
      // Located: exactly one entry is named, the planted one; the other failures are the probes that saw it.
      const entries = report.failures.filter((f) => f.direction === undefined);
      expect(entries.map((f) => f.index)).toEqual([i]);
      expect(entries[0].relativeError).toBeGreaterThan(0.0098);
      expect(entries[0].relativeError).toBeLessThan(0.0102);
    }
  });

  it('down to the documented sensitivity (0.1% by default): errors of 0.2% are found too', () => {
    for (let seed = 0; seed < 10; seed++) {
      const i = Math.floor(seededRandom(`small-plant-${seed}`)() * BIG_GRADIENT.length);
      const wrong = Float64Array.from(BIG_GRADIENT);
      wrong[i] *= seed % 2 === 0 ? 1.002 : 0.998;
      const report = checkNetwork(BIG, { claimed: { parameters: wrong }, strategy: 'fast', seed: 100 + seed });
      expect(report.failures.filter((f) => f.direction === undefined).map((f) => f.index)).toEqual([i]);
    }
  });

  it('with a black-box loss, for a small fraction of the entry-by-entry cost in loss evaluations', () => {
    // f(θ) = Σ cᵢ·θᵢ + ½(u·θ)² + Σ sin(θᵢ): ∂f/∂θᵢ = cᵢ + uᵢ(u·θ) + cos(θᵢ), magnitudes spread over decades.
    const n = 25000;
    const random = seededRandom('black-box');
    const c = Float64Array.from({ length: n }, () => (random() - 0.5) * 10 ** (4 * random() - 2));
    const u = Float64Array.from({ length: n }, () => (random() - 0.5) / 50);
    const point = Float64Array.from({ length: n }, () => 2 * random() - 1);
    let evaluations = 0;
    const loss = (t: Float64Array): number => {
      evaluations++;
      let linear = 0;
      let projected = 0;
      let waves = 0;
      for (let i = 0; i < n; i++) {
        linear += c[i] * t[i];
        projected += u[i] * t[i];
        waves += Math.sin(t[i]);
      }
      return linear + 0.5 * projected * projected + waves;
    };
    let projected = 0;
    for (let i = 0; i < n; i++) projected += u[i] * point[i];
    const gradient = Float64Array.from({ length: n }, (_, i) => c[i] + u[i] * projected + Math.cos(point[i]));
    const tensors = [parameterTensor('A', 100, 200, 0), parameterTensor('B', 1, 5000, 20000)];
    const correct = checkLoss({ loss, point, claimed: gradient, tensors }, { strategy: 'fast' });
    expect(correct.verdict).toBe('pass');
    for (let seed = 0; seed < 6; seed++) {
      const i = Math.floor(seededRandom(`box-plant-${seed}`)() * n);
      const wrong = Float64Array.from(gradient);
      wrong[i] *= 1.01;
      evaluations = 0;
      const report = checkLoss({ loss, point, claimed: wrong, tensors }, { strategy: 'fast', seed });
      expect(report.failures.filter((f) => f.direction === undefined).map((f) => f.index)).toEqual([i]);
      // The entry-by-entry check needs 6 evaluations per entry (levels 2): 150,000.
      expect(evaluations).toBeLessThan(0.02 * 6 * n);
    }
  });
});

describe('fast mode never fails correct gradients', () => {
  it('on sigmoid and ReLU networks of several shapes and seeds', () => {
    const shapes: [number[], number][] = [
      [[4, 3, 2, 1], 1],
      [[8, 3, 8], 1],
      [[8, 16, 16, 4], 8],
      [[32, 64, 64, 10], 4],
    ];
    let checks = 0;
    for (const hidden of ['sigmoid', 'relu'] as const) {
      for (const [sizes, batch] of shapes) {
        for (let seed = 0; seed < 4; seed++) {
          const c = networkCase(`fast-correct-${hidden}-${sizes}-${seed}`, sizes, batch, hidden);
          const report = checkNetwork(c, { strategy: 'fast', seed });
          expect(report.verdict, `${hidden} ${sizes} seed ${seed}`).toBe('pass');
          expect(report.failures).toEqual([]);
          // Every tensor is covered: by a clean probe, or by its entries checked on their own.
          expect(report.tensors.every((t) => t.checked >= 1 && t.verdict === 'pass')).toBe(true);
          checks++;
        }
      }
    }
    expect(checks).toBe(32);
  });

  it('on a black box with kinks (|θ| at 0) it skips or checks those entries, never fails them', () => {
    const point = Float64Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0 : Math.sin(i)));
    const claimed = point.map((v) => (v === 0 ? 0 : Math.sign(v)));
    const report = checkLoss({ loss: (t) => t.reduce((s, v) => s + Math.abs(v), 0), point, claimed }, { strategy: 'fast' });
    expect(report.verdict).toBe('pass');
    expect(report.counts.failed).toBe(0);
  });
});

describe('fast mode reports', () => {
  const small = networkCase('fast-report', [4, 5, 3, 2], 4);
  const g = small.network.gradients(small.params, small.inputs, small.targets, small.reduction);

  it('settles correct gradients with one probe over all of θ, counted in every tensor, in at most two directional derivatives', () => {
    const fast = checkNetwork(small, { strategy: 'fast', seed: 7 });
    expect(fast.seed).toBe(7);
    expect(fast.verdict).toBe('pass');
    for (const tensor of fast.tensors) {
      // One probe (direction 0, or 1 when it was repeated at its best scale), the same numbers in each tensor.
      expect(tensor.checked).toBe(1);
      expect(tensor.worst!.direction).toBe(0);
      expect({ ...tensor.worst!, tensor: '', layer: 0, kind: '' }).toEqual({ ...fast.tensors[0].worst!, tensor: '', layer: 0, kind: '' });
    }
    expect(verdictLine(fast)).toBe(`PASS: ${fast.counts.checked} of ${fast.counts.checked} checks agree with finite differences`);
  });

  it('fails a tensor off by a factor of 2 and names every wrong entry', () => {
    // The probe over all of θ is narrowed down to the wrong tensor, then to its entries, each named.
    for (const [name, first] of [['W2', 'W2[0,0]'], ['b1', 'b1[0,0]']] as const) {
      const parameters = Float64Array.from(g.parameters);
      const tensor = small.network.tensors.find((t) => t.name === name)!;
      for (let k = 0; k < tensor.rows * tensor.cols; k++) parameters[tensor.offset + k] *= 2;
      const report = checkNetwork(small, { claimed: { parameters, inputs: g.inputs }, strategy: 'fast' });
      expect(report.verdict).toBe('fail');
      const located = Array.from({ length: tensor.rows * tensor.cols }, (_, k) => tensor.offset + k);
      expect(report.failures.filter((f) => f.direction === undefined).map((f) => f.index)).toEqual(located);
      expect(report.tensors.map((t) => t.verdict)).toEqual(report.tensors.map((t) => (t.name === name ? 'fail' : 'pass')));
      expect(verdictLine(report)).toBe(`FAIL: ${report.failures.length} checks disagree (first: ${first})`);
    }
  });

  it('with locate: false lists the failing probes only', () => {
    const parameters = Float64Array.from(g.parameters);
    parameters[30] *= 1.01;
    const report = checkNetwork(small, { claimed: { parameters, inputs: g.inputs }, strategy: 'fast', locate: false });
    expect(report.verdict).toBe('fail');
    expect(report.failures.length).toBeGreaterThan(0);
    expect(report.failures.every((f) => f.direction !== undefined)).toBe(true);
  });

  it('rejects conflicting or out-of-range fast-mode options, naming them', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ strategy: 'quick' }, "options.strategy is \"quick\"; expected one of 'full', 'directions', 'fast'"],
      [{ strategy: 'fast', sensitivity: 0 }, 'options.sensitivity is 0; expected a number in (0, 1)'],
      [{ strategy: 'fast', sensitivity: 1 }, 'options.sensitivity is 1; expected a number in (0, 1)'],
      [{ strategy: 'fast', groupSize: 0 }, 'options.groupSize is 0; expected an integer ≥ 1'],
      [{ strategy: 'fast', groupSize: 2.5 }, 'options.groupSize is 2.5; expected an integer ≥ 1'],
    ];
    for (const [options, problem] of cases) {
      expect(() => checkNetwork(small, options)).toThrow(`checkNetwork: ${problem}`);
      expect(() => checkLoss({ loss: (t) => t[0] ** 2, point: Float64Array.from([1]), claimed: Float64Array.from([2]) }, options)).toThrow(`checkLoss: ${problem}`);
    }
  });
});
