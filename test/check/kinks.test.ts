import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import type { GradientReport, TensorReport } from '../../src/check/report/report.js';
import { verdictLine } from '../../src/check/report/render-report.js';
import { richardsonStep } from '../../src/check/numerics/step.js';
import { backwardWithSlopes, conventionBounds, MAX_PASSES, MAX_WORK } from '../../src/engine/kink-conventions.js';
import type { NetworkCase } from '../../src/check/objective/network-objective.js';

/**
 * One ReLU unit feeding a linear output: z = 0.5·x + b1, ŷ = 1.5·relu(z) + 0.25, y = 1, MSE mean.
 * With x = 2 and b1 = −1, z is exactly 0. By hand: ŷ = 0.25 (relu(z) ≈ 0), dL/dŷ = 2(0.25 − 1) = −1.5;
 * on the active side dL/dz = −1.5·1.5 = −2.25, so dL/dW1 = −4.5, dL/db1 = −2.25, dL/dx = −1.125;
 * on the inactive side all three are 0. W2 and b2 never move z.
 */
const net = new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
const unitCase = (b1: number) => ({
  network: net,
  params: Float64Array.from([0.5, b1, 1.5, 0.25]),
  inputs: matrixFromRows([[2]]),
  targets: matrixFromRows([[1]]),
  reduction: 'mean' as const,
});
const ACTIVE = { parameters: Float64Array.from([-4.5, -2.25, 0, -1.5]), inputs: Float64Array.from([-1.125]) };

/** The tensors whose stencils move z: each is reported one-sided (and passes) or skipped, never failed. */
function expectKinkHandled(report: GradientReport, tensor: string): TensorReport {
  const t = report.tensors.find((r) => r.name === tensor)!;
  expect(t.failed).toBe(0);
  if (t.skipped === 1) {
    expect(t.worst).toBeNull();
  } else {
    expect(t.worst!.status).toBe('pass');
    expect(t.worst!.nearKink).toBe(true);
    expect(['forward', 'backward']).toContain(t.worst!.method);
  }
  return t;
}

describe('ReLU pre-activation exactly 0', () => {
  it('passes the engine gradient (relu′(0) = 0) using the inactive side', () => {
    const report = checkNetwork(unitCase(-1));
    expect(report.verdict).toBe('pass');
    expect(report.counts).toEqual({ checked: 5, failed: 0, skipped: 0, unresolved: 0 });
    for (const name of ['W1', 'b1', 'x']) {
      const t = expectKinkHandled(report, name);
      expect(t.worst!.claimed).toBe(0);
      expect(t.worst!.method).toBe('backward');
      expect(t.worst!.numeric).toBe(0);
    }
    // b2 is smooth: central, dL/db2 = −1.5.
    const b2 = report.tensors.find((t) => t.name === 'b2')!.worst!;
    expect(b2.method).toBe('central');
    expect(b2.nearKink).toBe(false);
    expect(b2.numeric).toBeCloseTo(-1.5, 12);
  });

  it('passes the other convention (relu′(0) = 1) using the active side', () => {
    const report = checkNetwork(unitCase(-1), { claimed: ACTIVE });
    expect(report.verdict).toBe('pass');
    for (const name of ['W1', 'b1', 'x']) expect(expectKinkHandled(report, name).worst!.method).toBe('forward');
    // W1's line moves z twice as far as b1's (x = 2): its steps are half b1's (numerics/step.ts,
    // stepScale), so in z the stencils are the same, and so is the relative accuracy: within the
    // estimate's own error, as every estimate is.
    const w1 = report.tensors.find((t) => t.name === 'W1')!.worst!;
    expect(Math.abs(w1.numeric + 4.5)).toBeLessThanOrEqual(w1.errorEstimate);
    expect(w1.step).toBeCloseTo(report.tensors.find((t) => t.name === 'b1')!.worst!.step / 2, 15);
  });

  it('passes a claimed value between the one-sided derivatives (a valid subgradient), reported at the kink', () => {
    const between = { parameters: Float64Array.from([-2, -1, 0, -1.5]), inputs: Float64Array.from([-0.5]) };
    const report = checkNetwork(unitCase(-1), { claimed: between });
    // W1, b1 and x have one entry each, on the kink: each claim lies strictly between its one-sided
    // derivatives (W1: between 0 and −4.5), so it is settled as a convention, not left unsettled.
    expect(report.verdict).toBe('pass');
    expect(report.counts).toEqual({ checked: 5, failed: 0, skipped: 0, unresolved: 0 });
    for (const name of ['W1', 'b1', 'x']) {
      const worst = report.tensors.find((t) => t.name === name)!.worst!;
      expect(worst).toMatchObject({ status: 'pass', nearKink: true });
      expect(worst.numeric).toBe(worst.claimed);
    }
    expect(report.failures).toEqual([]);
  });

  it('still fails a claim outside the one-sided derivatives of a single unit on its kink', () => {
    const outside = { parameters: Float64Array.from([2, -1, 0, -1.5]), inputs: Float64Array.from([-0.5]) };
    const report = checkNetwork(unitCase(-1), { claimed: outside });
    expect(report.verdict).toBe('fail');
    expect(report.failures.map((f) => f.tensor)).toEqual(['W1']);
  });

  it('handles a zero pre-activation in one row of a larger batch', () => {
    // Rows x = 2 (z = 0) and x = 4 (z = 1, active): the kink row makes W1, b1 and x[0,0] one-sided.
    const c = { ...unitCase(-1), inputs: matrixFromRows([[2], [4]]), targets: matrixFromRows([[1], [3]]) };
    const report = checkNetwork(c);
    expect(report.verdict).toBe('pass');
    expect(report.counts.failed).toBe(0);
    expectKinkHandled(report, 'W1');
    expectKinkHandled(report, 'b1');
  });
});

describe('ReLU pre-activation within a step of 0', () => {
  // −1 + δ is exact enough: z = 1 + fl(−1 + δ) is computed exactly (Sterbenz), |z| ≈ |δ| ≪ the step ≈ 5.8e−3.
  it.each([1e-9, -1e-9])('z ≈ %d (inside even the plain step ε^(1/3)): the engine gradient passes with a one-sided difference on the smooth side', (delta) => {
    const report = checkNetwork(unitCase(-1 + delta));
    expect(report.verdict).toBe('pass');
    expect(report.counts.failed).toBe(0);
    for (const name of ['W1', 'b1', 'x']) {
      const t = expectKinkHandled(report, name);
      // The smooth side is the side θ is on: forward above the kink, backward below. (A central
      // difference fits only below 1e-9, where its rounding is far larger than the one-sided error.)
      expect(t.worst!.method).toBe(delta > 0 ? 'forward' : 'backward');
    }
    expectClosedForm(report, delta);
  });

  it.each([1e-4, -1e-4])('z ≈ %d (crossed by the Richardson step only): the most precise converged estimate, central at a smaller step or one-sided on the smooth side', (delta) => {
    const report = checkNetwork(unitCase(-1 + delta));
    expect(report.verdict).toBe('pass');
    for (const name of ['W1', 'b1', 'x']) {
      const worst = report.tensors.find((t) => t.name === name)!.worst!;
      expect(worst.converged).toBe(true);
      if (worst.method === 'central') expect(worst.step).toBeLessThan(richardsonStep(1, 2));
      else expect(worst.method).toBe(delta > 0 ? 'forward' : 'backward');
    }
    expectClosedForm(report, delta);
  });

  function expectClosedForm(report: GradientReport, delta: number): void {
    const b1 = report.tensors.find((t) => t.name === 'b1')!.worst!;
    // Closed form on the active side: dL/db1 = 2(ŷ − 1)·1.5 with ŷ = 1.5·z + 0.25; 0 on the inactive side.
    const z = 1 + (-1 + delta);
    expect(b1.numeric).toBeCloseTo(delta > 0 ? 2 * (1.5 * z + 0.25 - 1) * 1.5 : 0, 9);
  }

  it('still fails a wrong gradient on the smooth side (the kink is not a blanket excuse)', () => {
    // z = −1e−4: the unit is inactive, the true dL/db1 is 0; claiming the active-side value is wrong.
    const report = checkNetwork(unitCase(-1 - 1e-4), { claimed: ACTIVE });
    expect(report.verdict).toBe('fail');
    expect(report.failures.map((f) => f.tensor)).toEqual(['W1', 'b1', 'x']);
  });
});

describe('black-box kinks (no pre-activations to inspect)', () => {
  const absLoss = (t: Float64Array): number => t.reduce((s, v) => s + Math.abs(v), 0);

  it('|x| at 0 and within a step of 0 is not failed; the smooth entries pass', () => {
    // d|x|/dx = sign(x); at exactly 0 the claim 0 (a subgradient) matches neither one-sided slope ±1.
    const report = checkLoss({ loss: absLoss, point: Float64Array.from([0, 0.5, -2e-9, 1e-9]), claimed: Float64Array.from([0, 1, -1, 1]) });
    expect(report.verdict).toBe('pass');
    expect(report.counts).toEqual({ checked: 4, failed: 0, skipped: 0, unresolved: 0 });
    expect(report.failures).toEqual([]);
  });

  it('accepts either one-sided slope at the kink itself', () => {
    for (const claim of [1, -1]) {
      const report = checkLoss({ loss: absLoss, point: Float64Array.from([0]), claimed: Float64Array.from([claim]) });
      expect(report.verdict).toBe('pass');
      expect(report.tensors[0].worst!.nearKink).toBe(true);
      expect(report.tensors[0].worst!.method).toBe(claim === 1 ? 'forward' : 'backward');
    }
  });

  it('a black-box ReLU, max(0, x), at x = 0 with the relu′(0) = 0 convention passes', () => {
    const report = checkLoss({ loss: (t) => Math.max(0, t[0]) * 3, point: Float64Array.from([0]), claimed: Float64Array.from([0]) });
    expect(report.verdict).toBe('pass');
    expect(report.counts.failed).toBe(0);
  });
});

/**
 * Several ReLU units exactly on their kinks at once (issue 20 item 1). Each unit k may take its own
 * convention σ′_k ∈ [0, 1], so an entry's valid claims fill an interval that can be wider than the
 * interval between its one-sided derivatives; the judge takes it from the engine
 * (engine/kink-conventions.ts) and passes every convention, fails beyond it.
 */
describe('several ReLU units on their kinks at once', () => {
  /** The claimed gradient (parameters, inputs) with the kinked units' slopes set to `slope(unit)`. */
  function convention(c: NetworkCase, slope: (unit: number) => number): { parameters: Float64Array; inputs: Float64Array } {
    const trace = c.network.forward(c.params, c.inputs);
    const slopes = c.network.layers.map((layer, l) => Float64Array.from(trace.preActivations[l], (z) => layer.activation.derivative(z)));
    let unit = 0;
    c.network.layers.forEach((layer, l) => {
      if (!layer.activation.piecewise) return;
      trace.preActivations[l].forEach((z, k) => {
        if (z === 0) slopes[l][k] = slope(unit++);
      });
    });
    const p = c.network.parameterCount;
    const out = new Float64Array(p + c.inputs.data.length);
    backwardWithSlopes(c.network, c.params, trace, c.targets.data, c.reduction, slopes, true, out);
    return { parameters: out.slice(0, p), inputs: out.slice(p) };
  }

  /**
   * 2 units: [1 → relu 2 → identity 1], x = 1, W1 = [1, 1], b1 = [−1, −1] (z = [0, 0]), W2 = [2, −3],
   * b2 = 0.5, y = 0, half-sum. ŷ = 0.5 and dL/dŷ = 0.5, so unit j contributes c_j = 0.5·W2[j]·W1[j] to
   * dL/dx: c = [1, −1.5]. Both units move up with x: d₊ = c₀ + c₁ = −0.5, d₋ = 0, while the conventions
   * (σ′₀, σ′₁) = (1, 0) and (0, 1) claim 1 and −1.5: the interval is [−1.5, 1], width 2.5.
   */
  const two: NetworkCase = {
    network: new Network({ inputs: 1, layers: [{ outputs: 2, activation: 'relu' }, { outputs: 1, activation: 'identity' }] }),
    params: Float64Array.from([1, 1, -1, -1, 2, -3, 0.5]),
    inputs: matrixFromRows([[1]]),
    targets: matrixFromRows([[0]]),
    reduction: 'half-sum',
  };

  /**
   * 3 units: [2 → relu 3 → identity 1], x = [1, 2], W1 = [[1, 1, −1], [1, −1, 1]], b1 = [−3, 1, −1]
   * (z = [0, 0, 0]), W2 = [2, −1, 3], b2 = 0.25, y = 1, mean: ŷ = 0.25, dL/dŷ = 2(0.25 − 1) = −1.5.
   * dL/dx[0,1] = −1.5·Σ_j σ′_j·W2[j]·W1[1][j] = −1.5·(2σ′₀ + σ′₁ + 3σ′₂): the interval is [−9, 0],
   * while the one-sided derivatives are d₊ = −1.5·(2 + 3) = −7.5 (units 0 and 2 move up) and
   * d₋ = −1.5·1 = −1.5 (unit 1).
   */
  const three: NetworkCase = {
    network: new Network({ inputs: 2, layers: [{ outputs: 3, activation: 'relu' }, { outputs: 1, activation: 'identity' }] }),
    params: Float64Array.from([1, 1, -1, 1, -1, 1, -3, 1, -1, 2, -1, 3, 0.25]),
    inputs: matrixFromRows([[1, 2]]),
    targets: matrixFromRows([[1]]),
    reduction: 'mean',
  };

  /**
   * Kinks in two layers (the engine enumerates the first layer's unit at its two vertices): [1 → relu 2 → relu 2 → identity 1],
   * x = 1, W1 = [1, 1], b1 = [−1, 1] (z₁ = [0, 2]), W2 = [[1, 1], [0.5, −1]], b2 = [−1, 2]
   * (z₂ = [0·1 + 2·0.5 − 1, 0·1 − 2 + 2] = [0, 0]), W3 = [2, −3], b3 = 0.5, y = 0, half-sum.
   */
  const layered: NetworkCase = {
    network: new Network({ inputs: 1, layers: [{ outputs: 2, activation: 'relu' }, { outputs: 2, activation: 'relu' }, { outputs: 1, activation: 'identity' }] }),
    params: Float64Array.from([1, 1, -1, 1, 1, 1, 0.5, -1, -1, 2, 2, -3, 0.5]),
    inputs: matrixFromRows([[1]]),
    targets: matrixFromRows([[0]]),
    reduction: 'half-sum',
  };

  /** The same case with its one row repeated: every kinked unit again in the second row. */
  const twice = (c: NetworkCase): NetworkCase => {
    const repeat = (m: NetworkCase['inputs']) => ({ rows: 2, cols: m.cols, data: Float64Array.from([...m.data, ...m.data]) });
    return { ...c, inputs: repeat(c.inputs), targets: repeat(c.targets) };
  };

  const cases: [string, NetworkCase, number][] = [
    ['2 units', two, 2],
    ['3 units', three, 3],
    ['3 units in two layers', layered, 3],
    ['3 units in two layers, 2 rows', twice(layered), 6],
  ];

  it.each(cases)('%s: the interval is exactly the hull of the claims at the 2^K vertices (brute force)', (_, c, units) => {
    const bounds = conventionBounds(c.network, c.params, c.inputs, c.targets, c.reduction, true)!;
    expect(bounds.units).toBe(units);
    const lo = new Float64Array(bounds.lower.length).fill(Infinity);
    const hi = new Float64Array(bounds.lower.length).fill(-Infinity);
    for (let vertex = 0; vertex < 2 ** units; vertex++) {
      const g = convention(c, (k) => (vertex >> k) & 1);
      const all = [...g.parameters, ...g.inputs];
      all.forEach((v, i) => {
        lo[i] = Math.min(lo[i], v);
        hi[i] = Math.max(hi[i], v);
      });
    }
    // Equal to the summation's rounding (the cases' values are small dyadic sums: exactly equal).
    for (let i = 0; i < lo.length; i++) {
      expect(Math.abs(bounds.lower[i] - lo[i]), `lower ${i}`).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(lo[i])));
      expect(Math.abs(bounds.upper[i] - hi[i]), `upper ${i}`).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(hi[i])));
    }
  });

  it('the engine computes the intervals worked by hand', () => {
    const b2 = conventionBounds(two.network, two.params, two.inputs, two.targets, two.reduction, true)!;
    expect(b2).toMatchObject({ units: 2, terms: 4, passes: 3 });
    expect([b2.lower[7], b2.upper[7]]).toEqual([-1.5, 1]);
    const b3 = conventionBounds(three.network, three.params, three.inputs, three.targets, three.reduction, true)!;
    expect(b3).toMatchObject({ units: 3, terms: 5, passes: 4 });
    expect([b3.lower[14], b3.upper[14]]).toEqual([-9, 0]);
    // Layer 2 (two units) affine, layer 1's unit enumerated: 2^1·(2 + 1) passes.
    expect(conventionBounds(layered.network, layered.params, layered.inputs, layered.targets, layered.reduction, true)).toMatchObject({ units: 3, terms: 4, passes: 6 });
  });

  it('the engine gives no interval beyond its limits: 4096 backward passes, 2^28 multiply-adds', () => {
    expect([MAX_PASSES, MAX_WORK]).toEqual([4096, 2 ** 28]);
    // x = 0 and zero biases put every unit of every layer exactly on its kink; a bias of 1 (`smooth`)
    // keeps a layer's units at z = 1, off their kinks (their inputs are all 0).
    const zeros = (widths: number[], smooth: number[] = []): NetworkCase => {
      const network = new Network({ inputs: 1, layers: [...widths.map((outputs) => ({ outputs, activation: 'relu' as const })), { outputs: 1, activation: 'identity' }] });
      const params = Float64Array.from({ length: network.parameterCount }, (_, i) => (i % 3) - 1);
      network.layers.forEach((layer, l) => params.fill(smooth.includes(l) ? 1 : 0, layer.biasOffset, layer.biasOffset + layer.outputs));
      return { network, params, inputs: matrixFromRows([[0]]), targets: matrixFromRows([[1]]), reduction: 'sum' };
    };
    const bounds = (c: NetworkCase) => conventionBounds(c.network, c.params, c.inputs, c.targets, c.reduction, true);
    // One layer: K + 1 passes, up to 4095 units.
    expect(bounds(zeros([MAX_PASSES - 1]))).toMatchObject({ units: MAX_PASSES - 1, terms: MAX_PASSES + 1, passes: MAX_PASSES });
    expect(bounds(zeros([MAX_PASSES]))).toBeUndefined();
    // Two layers: the wider one affine, the other enumerated: 2^5·(7 + 1) = 256 passes; 2^9·(10 + 1) = 5632 > 4096.
    expect(bounds(zeros([5, 7]))).toMatchObject({ units: 12, terms: 9, passes: 256 });
    expect(bounds(zeros([10, 9]))).toBeUndefined();
    // Work: [1 → 1000 → 50 → 1], only the first layer kinked: 1001 passes of 2·(1000 + 50000 + 50) =
    // 102100 multiply-adds, 1.0e8 ≤ 2^28 ≈ 2.7e8; with 3000 units, 3001 passes of 306100 = 9.2e8 > 2^28.
    expect(bounds(zeros([1000, 50], [1]))).toMatchObject({ units: 1000, passes: 1001 });
    expect(bounds(zeros([3000, 50], [1]))).toBeUndefined();
    // Rows add: 3 rows of [1 → relu 9 → relu 10] cost 3·2^9·(10 + 1) = 16896 passes all at once, but
    // rows are independent, so each row's 19 units are 2^9·11 = 5632 > 4096 still: undefined; at
    // [1 → relu 5 → relu 7] each row costs 2^5·8 = 256, three rows 768 (x = 0 in every row).
    const rows = (c: NetworkCase): NetworkCase => ({ ...c, inputs: matrixFromRows([[0], [0], [0]]), targets: matrixFromRows([[1], [1], [1]]) });
    expect(bounds(rows(zeros([9, 10])))).toBeUndefined();
    expect(bounds(rows(zeros([5, 7])))).toMatchObject({ units: 36, terms: 1 + 3 * 8, passes: 768 });
  });

  it.each(cases)('%s: every convention passes, vertex or not, and is settled', (_, c, units) => {
    const slopes: ((k: number) => number)[] = [() => 0, () => 1, () => 0.5, (k) => [0.3, 0.9, 0.1][k % 3]];
    for (let vertex = 0; vertex < 2 ** units; vertex++) slopes.push((k) => (vertex >> k) & 1);
    for (const slope of slopes) {
      const report = checkNetwork(c, { claimed: convention(c, slope) });
      expect(report.verdict, verdictLine(report)).toBe('pass');
      expect(report.counts.unresolved).toBe(0);
    }
  });

  it.each(cases)('%s: a claim beyond the interval by a hundredth of its width fails, a hundredth inside passes', (_, c) => {
    const bounds = conventionBounds(c.network, c.params, c.inputs, c.targets, c.reduction, true)!;
    const p = c.network.parameterCount;
    let tested = 0;
    for (let i = 0; i < bounds.lower.length; i++) {
      const width = bounds.upper[i] - bounds.lower[i];
      if (!(width > 0)) continue;
      tested++;
      // 1% of the width is at least 0.01·0.5 here, five orders of magnitude above the allowance
      // (rtol 1e-6 of claims ≤ 10, plus float64 rounding).
      for (const [claim, verdict] of [
        [bounds.upper[i] + 0.01 * width, 'fail'],
        [bounds.lower[i] - 0.01 * width, 'fail'],
        [bounds.upper[i] - 0.01 * width, 'pass'],
        [bounds.lower[i] + 0.01 * width, 'pass'],
      ] as const) {
        const claimed = convention(c, () => 0);
        if (i < p) claimed.parameters[i] = claim;
        else claimed.inputs[i - p] = claim;
        const report = checkNetwork(c, { claimed });
        expect(report.verdict, `entry ${i}, claim ${claim}: ${verdictLine(report)}`).toBe(verdict);
        if (verdict === 'fail') expect(report.failures.map((f) => f.index)).toEqual([i]);
      }
    }
    expect(tested).toBeGreaterThan(0);
  });

  it.each(cases)('%s: a wrong claim elsewhere (a smooth entry off by a hundredth) still fails, alone', (_, c) => {
    const claimed = convention(c, (k) => k % 2);
    // The last parameter is the output bias: smooth, dL/db = dL/dŷ ≠ 0.
    const last = c.network.parameterCount - 1;
    claimed.parameters[last] *= 1.01;
    const report = checkNetwork(c, { claimed });
    expect(report.verdict).toBe('fail');
    expect(report.failures.map((f) => f.index)).toEqual([last]);
  });

  it('the dL/dx interval of the 3-unit case is wider than the one-sided derivatives: (1, 0, 0) claims −3, outside [−7.5, −1.5]', () => {
    const claimed = convention(three, (k) => (k === 0 ? 1 : 0));
    expect(claimed.inputs[1]).toBe(-3);
    const report = checkNetwork(three, { claimed });
    expect(report.verdict).toBe('pass');
    const x = report.tensors.find((t) => t.name === 'x')!;
    expect(x.unresolved).toBe(0);
  });

  it('a black box has no interval: the same claim is unresolved there, not passed (checkLoss)', () => {
    const claimed = convention(three, (k) => (k === 0 ? 1 : 0));
    const p = three.network.parameterCount;
    const point = new Float64Array(p + 2);
    point.set(three.params);
    point.set(three.inputs.data, p);
    const loss = (theta: Float64Array): number => three.network.loss(theta.slice(0, p), { rows: 1, cols: 2, data: theta.slice(p) }, three.targets, three.reduction);
    const all = new Float64Array(p + 2);
    all.set(claimed.parameters);
    all.set(claimed.inputs, p);
    const report = checkLoss({ loss, point, claimed: all });
    // Never failed (the claim is a valid convention); settled only as far as the one-sided derivatives go.
    expect(report.verdict).toBe('inconclusive');
    expect(report.unresolved.map((u) => u.index)).toContain(p + 1);
  });
});

/**
 * The counterexamples of GRADCHECK_SEED=31337 and 4174 (GRADCHECK_RUNS_SCALE=100,
 * properties/engine-gradients), INCONCLUSIVE before the convention interval: the engine's own gradients
 * now pass with every entry settled.
 */
describe('property counterexamples with several units on their kinks', () => {
  const counterexamples: [string, { spec: ConstructorParameters<typeof Network>[0]; params: number[]; x: number[][]; t: number[][]; red: 'mean' | 'sum' }][] = [
    [
      // z = [0, 0, 0]: x[0,1] moves unit 1 up and units 0, 2 down; the claim 0 lies outside [d₊, d₋] = [−0.251, −0.088].
      '[2 → relu 3], batch 1, every pre-activation 0 (seed 31337)',
      {
        spec: { inputs: 2, layers: [{ outputs: 3, activation: 'relu', bias: true }] },
        params: [-1.1591784262463467, -1.0411731429107414, -0.1034308256400859, -0.13230933432852052, 0.1649995753623992, -0.5828812431352789, 0.9544927041435333, 0.7277791881017774, 0.34580800971692083],
        x: [[0.7713275697095261, 0.4564033677116659]],
        t: [[0.8192401375986378, 0.7994592078866882, -0.8327890945780124]],
        red: 'mean',
      },
    ],
    [
      // z = [0, 4.0e-9, 0]: two units on their kinks, a third within 4e-9 of it.
      '[2 → relu 3], batch 1, two pre-activations 0 and one 4e-9 (seed 31337)',
      {
        spec: { inputs: 2, layers: [{ outputs: 3, activation: 'relu', bias: true }] },
        params: [-0.5273233383709103, 0.08105469275973651, -0.21298447632875497, 0.1561615215046993, 1.2182209362336682, -0.38962810684530785, -0.13498822472656574, 0.9181555102052079, -0.38156140114986425],
        x: [[-0.46992471372422406, -0.7224189608967888]],
        t: [[-0.7254224981112986, 0.9150419602713531, 0.1287611129453543]],
        red: 'sum',
      },
    ],
    [
      // z₁ = [0, 9.5, −5.8e-5], z₂ = [0], z₃ within 6e-9 of 0: one side of W1[0,0] crosses z₃[2]'s kink
      // at t ≈ 2e-10 and never converges; the other side (0) does, and confirms the interval.
      '[1 → relu 3 → relu 1 → relu 3], batch 1, kinks in two layers and a unit 5.8e-9 from its kink (seed 4174)',
      {
        spec: { inputs: 1, layers: [{ outputs: 3, activation: 'relu', bias: true }, { outputs: 1, activation: 'relu', bias: true }, { outputs: 3, activation: 'relu', bias: true }] },
        params: [-2.4437132965762056, 1.2693402214172447, 0.08797058947265564, 18.37509649560087, -0.0458752645288127, -0.6615380037161608, 2.1099098356562958, -0.0623019894953318, -1.147445737278716, 0.591789018432671, 2.6278713486551553, 2.2651684501917972, 1.9219209339982162, -0.0000014258395321570478, 0.00003194908932021875, -5.814767696613328e-9],
        x: [[7.519334007530885]],
        t: [[0.10065576350807803, -0.2713553655695946, -0.5183955036978158]],
        red: 'mean',
      },
    ],
    [
      // Units on their kinks in three layers and three rows (18 in all, 6 per row): 2^9·10 = 5120 passes
      // for the batch at once, but rows are independent: 3·2^3·4 = 96.
      '[2 → relu 1 (no bias) → relu 4 → relu 2 → relu 3 (no bias)], batch 3 (seed 4174)',
      {
        spec: { inputs: 2, layers: [{ outputs: 1, activation: 'relu', bias: false }, { outputs: 4, activation: 'relu', bias: true }, { outputs: 2, activation: 'relu', bias: true }, { outputs: 3, activation: 'relu', bias: false }] },
        params: [-0.40316063543616143, -0.6781460828573848, 0.38885028856565645, -1.3201697739123088, -0.6400310162054534, 0.23896872273557893, -0.0000027901549386166288, 0.00003694435937777831, 1.1056083909867805e-7, 0, -0.043801079420872475, -0.3660740078962003, 0.8295919072664085, -0.07651825042319069, -0.6955900724110837, 0.04978793802758542, 0.0497241279921455, -0.6324037847496852, -0.00003057183653687226, 0.0000028214131463878715, 0.1564391496708407, -1.0070398820154174, 0.3537197093207096, -0.7203991841303807, 1.3198687216340241, -1.465400570343374],
        x: [[-0.3375755240694469, 0.45403900379476037], [0.005349634236057721, 0.8290796329504879], [0.5224941644710333, 0.47626815215374974]],
        t: [[0.34103831926874895, -0.5128105211643178, 0.7813422310941387], [0.22129316947990518, 0.6782134585830657, 0.6150263726569793], [0.03604063926156331, -0.27390110704909487, 0.5169024992548306]],
        red: 'sum',
      },
    ],
  ];

  it.each(counterexamples)('%s', (_, d) => {
    const network = new Network(d.spec);
    const report = checkNetwork({ network, params: Float64Array.from(d.params), inputs: matrixFromRows(d.x), targets: matrixFromRows(d.t), reduction: d.red });
    expect(report.verdict, verdictLine(report)).toBe('pass');
    expect(report.counts.unresolved).toBe(0);
  });
});
