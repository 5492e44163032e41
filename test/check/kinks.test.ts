import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import type { GradientReport, TensorReport } from '../../src/check/report/report.js';
import { verdictLine } from '../../src/check/report/render-report.js';
import { richardsonStep } from '../../src/check/numerics/step.js';

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
