import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import type { ActivationName } from '../../src/engine/activation.js';
import type { Reduction } from '../../src/engine/loss.js';
import { randomMatrix, randomParameters, seededRandom, type Random } from '../../src/engine/random-parameters.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { incrementalNetworkObjective } from '../../src/check/objective/incremental-network-objective.js';
import { networkObjective, type NetworkCase } from '../../src/check/objective/network-objective.js';
import { estimate } from '../../src/check/numerics/estimator.js';
import { networkLossRounding } from '../../src/check/objective/claimed-rounding.js';
import { richardsonStep } from '../../src/check/numerics/step.js';

const ACTIVATIONS: ActivationName[] = ['sigmoid', 'relu', 'identity'];
const REDUCTIONS: Reduction[] = ['mean', 'sum', 'half-sum'];
const SETTINGS = { levels: 2, precision: 'float64' } as const;

/**
 * A random network (1–3 layers of random widths, activations and bias flags) at a random point. With
 * `nearKinks`, some ReLU units get a bias that puts their pre-activation in row 0 exactly at 0 or within
 * a step of it (±1e−9, ±1e−4), so stencils cross kinks.
 */
function randomCase(seed: string, nearKinks: boolean): NetworkCase {
  const random = seededRandom(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const depth = 1 + Math.floor(random() * 3);
  const inputs = 1 + Math.floor(random() * 4);
  const layers = Array.from({ length: depth }, () => ({ outputs: 1 + Math.floor(random() * 5), activation: pick(ACTIVATIONS), bias: random() < 0.85 }));
  if (nearKinks) layers[0] = { ...layers[0], activation: 'relu', bias: true };
  const network = new Network({ inputs, layers });
  const batch = 1 + Math.floor(random() * 4);
  const c = {
    network,
    params: randomParameters(network, random),
    inputs: randomMatrix(batch, inputs, random),
    targets: randomMatrix(batch, layers[depth - 1].outputs, random),
    reduction: pick(REDUCTIONS),
  };
  if (nearKinks) placeKinks(c, random);
  return c;
}

function placeKinks(c: NetworkCase, random: Random): void {
  const first = c.network.layers[0];
  const z = c.network.forward(c.params, c.inputs).preActivations[0];
  for (let j = 0; j < first.outputs; j++) {
    const offset = [0, 1e-9, -1e-9, 1e-4, -1e-4, 0.5][Math.floor(random() * 6)];
    // b ← b − z[0][j] + offset moves row 0's pre-activation to ≈ offset (exactly 0 is not guaranteed by rounding; ≈ 1e−16 is as good).
    c.params[first.biasOffset + j] += offset - z[j];
  }
}

const CASES = [...Array.from({ length: 40 }, (_, i) => randomCase(`incremental-${i}`, false)), ...Array.from({ length: 40 }, (_, i) => randomCase(`incremental-kink-${i}`, true))];

describe('the incremental objective', () => {
  it('evaluates the loss at θ exactly like the plain objective, and lays θ out the same way', () => {
    for (const c of CASES) {
      const plain = networkObjective(c, true);
      const fast = incrementalNetworkObjective(c, true);
      expect(fast.value()).toBe(plain.value());
      expect(Array.from(fast.point)).toEqual(Array.from(plain.point));
      expect(fast.tensors).toEqual(plain.tensors);
    }
  });

  it('reports the same kink crossings as the plain objective at every stencil point of every entry', () => {
    let crossed = 0;
    for (const c of CASES) {
      const plain = networkObjective(c, true);
      const fast = incrementalNetworkObjective(c, true);
      for (let i = 0; i < plain.point.length; i++) {
        const h = richardsonStep(plain.point[i], 2);
        for (const t of [h, -h, h / 2, -h / 2, h / 4, -h / 4]) {
          plain.shifted(i, t);
          fast.shifted(i, t);
          expect(fast.kinkCrossings!()).toBe(plain.kinkCrossings!());
          if (plain.kinkCrossings!() > 0) crossed++;
        }
      }
    }
    // The near-kink cases do exercise crossings.
    expect(crossed).toBeGreaterThan(100);
  });

  it('gives every entry the same numeric derivative: same method and kink verdict, values equal to 1e−12 relative or within the rounding floor', () => {
    let entries = 0;
    let nearKink = 0;
    const relative: number[] = [];
    for (const c of CASES) {
      const plain = networkObjective(c, true);
      const fast = incrementalNetworkObjective(c, true);
      const settings = { ...SETTINGS, lossRounding: networkLossRounding(c) };
      for (let i = 0; i < plain.point.length; i++) {
        const a = estimate((t) => plain.shifted(i, t), plain.value(), plain.point[i], settings, () => plain.kinkCrossings!());
        const b = estimate((t) => fast.shifted(i, t), fast.value(), fast.point[i], settings, () => fast.kinkCrossings!());
        expect([b.method, b.kink, b.step]).toEqual([a.method, a.kink, a.step]);
        // Both sum the loss the same way; only pre-activations are updated instead of recomputed, so the
        // two differ by rounding: far below the floor that finite differences of this loss can resolve.
        expect(Math.abs(b.value - a.value)).toBeLessThanOrEqual(1e-12 * Math.abs(a.value) + a.rounding);
        if (a.value !== 0) relative.push(Math.abs(b.value - a.value) / Math.abs(a.value));
        entries++;
        if (a.method !== 'central' || a.kink) nearKink++;
      }
    }
    relative.sort((x, y) => x - y);
    expect(relative[Math.floor(relative.length / 2)]).toBeLessThan(1e-12);
    expect(entries).toBeGreaterThan(1000);
    expect(nearKink).toBeGreaterThan(20);
  });

  it('along a direction gives the plain objective’s loss bit for bit (it re-runs the same forward pass from the first layer moved)', () => {
    for (const c of CASES.slice(0, 30)) {
      const plain = networkObjective(c, true);
      const fast = incrementalNetworkObjective(c, true);
      const random = seededRandom(`along-${c.params[0]}`);
      for (const tensor of plain.tensors) {
        const direction = new Float64Array(plain.point.length);
        for (let k = 0; k < tensor.rows * tensor.cols; k++) direction[tensor.offset + k] = random() - 0.5;
        for (const t of [1e-3, -2e-4]) {
          expect(fast.along(direction, t)).toBe(plain.along(direction, t));
          expect(fast.kinkCrossings!()).toBe(plain.kinkCrossings!());
        }
      }
      expect(fast.along(new Float64Array(plain.point.length), 0.1)).toBe(plain.value());
    }
  });

  it('leaves θ and the loss at θ unchanged after any number of evaluations', () => {
    const c = CASES[3];
    const fast = incrementalNetworkObjective(c, true);
    const before = Float64Array.from(fast.point);
    const value = fast.value();
    const first = fast.shifted(0, 1e-3);
    for (let i = 0; i < fast.point.length; i++) fast.shifted(i, 0.25);
    expect(fast.shifted(0, 1e-3)).toBe(first);
    expect(fast.shifted(0, 0)).toBe(value);
    expect(Array.from(fast.point)).toEqual(Array.from(before));
  });
});

describe('checkNetwork with the incremental objective (the default) and the plain one', () => {
  /** The claimed gradient of case `c` with entry `i` off by 1%, or the engine's own when i < 0. */
  function claim(c: NetworkCase, i: number): { parameters: Float64Array; inputs: Float64Array } {
    const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
    const all = Float64Array.from([...g.parameters, ...g.inputs]);
    if (i >= 0) all[i] = all[i] * 1.01 + 1e-3;
    const p = c.network.parameterCount;
    return { parameters: all.slice(0, p), inputs: all.slice(p) };
  }

  it('reach the same verdicts, counts, kink entries and failing entries, including ReLU kinks and planted errors', () => {
    let failing = 0;
    let atKinks = 0;
    CASES.forEach((c, k) => {
      const size = c.network.parameterCount + c.inputs.data.length;
      for (const i of [-1, k % size, (7 * k + 3) % size]) {
        const claimed = claim(c, i);
        const a = checkNetwork(c, { claimed, objective: 'plain', screen: false });
        const b = checkNetwork(c, { claimed, screen: false });
        expect(b.verdict).toBe(a.verdict);
        expect(b.counts).toEqual(a.counts);
        expect(b.failures.map((f) => [f.index, f.status, f.method, f.nearKink])).toEqual(a.failures.map((f) => [f.index, f.status, f.method, f.nearKink]));
        const tensorFacts = (r: typeof a) => r.tensors.map((t) => [t.name, t.checked, t.failed, t.skipped, t.verdict]);
        expect(tensorFacts(b)).toEqual(tensorFacts(a));
        failing += a.counts.failed;
        atKinks += a.tensors.filter((t) => t.worst?.nearKink === true).length;
      }
    });
    expect(failing).toBeGreaterThan(50);
    expect(atKinks).toBeGreaterThan(0);
  });

  it('rejects an unknown objective or screen option, naming it', () => {
    const c = CASES[0];
    expect(() => checkNetwork(c, { objective: 'fast' as 'plain' })).toThrow('checkNetwork: options.objective is "fast"; expected "incremental" or "plain"');
    expect(() => checkNetwork(c, { screen: 'yes' as 'auto' })).toThrow('checkNetwork: options.screen is "yes"; expected true, false or "auto"');
  });
});
