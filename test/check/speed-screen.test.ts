import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import type { ActivationName } from '../../src/engine/activation.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { randomMatrix, randomParameters, seededRandom } from '../../src/engine/random-parameters.js';
import { checkNetwork, SCREEN_AUTO_ENTRIES } from '../../src/check/strategies/check-network.js';
import type { NetworkCase } from '../../src/check/objective/network-objective.js';
import { screenNetwork } from '../../src/check/strategies/screen-network.js';
import type { EntryCheck, GradientReport } from '../../src/check/report/report.js';
import { checkGradients } from '../../src/check/strategies/check-gradients.js';
import { prepareNetworkCheck } from '../../src/check/strategies/check-network.js';
import { networkClaimedRounding, networkLayerLossRounding } from '../../src/check/objective/claimed-rounding.js';
import { coordinateGains } from '../../src/check/objective/coordinate-gains.js';
import { agrees } from '../../src/check/numerics/judge.js';
import { leastCentralUncertainty } from '../../src/check/numerics/estimator.js';
import { mseLoss } from '../../src/engine/loss.js';

const TOLERANCES = { rtol: 1e-6, atol: 0 };

function networkCase(seed: string, sizes: number[], batch: number, hidden: ActivationName, bias = true): NetworkCase {
  const network = new Network({
    inputs: sizes[0],
    layers: sizes.slice(1).map((outputs, i) => ({ outputs, activation: i === sizes.length - 2 ? 'identity' : hidden, bias })),
  });
  const random = seededRandom(seed);
  return {
    network,
    params: randomParameters(network, random),
    inputs: randomMatrix(batch, sizes[0], random),
    targets: randomMatrix(batch, sizes[sizes.length - 1], random),
    reduction: (['mean', 'sum', 'half-sum'] as const)[seed.length % 3],
  };
}

function engineGradient(c: NetworkCase): Float64Array {
  const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
  return Float64Array.from([...g.parameters, ...g.inputs]);
}

function split(c: NetworkCase, all: Float64Array): { parameters: Float64Array; inputs: Float64Array } {
  const p = c.network.parameterCount;
  return { parameters: all.slice(0, p), inputs: all.slice(p) };
}

/** What the verdict rests on: verdict, counts, and every failing entry with how it was judged. */
function verdictOf(r: GradientReport): unknown {
  return {
    verdict: r.verdict,
    counts: r.counts,
    failures: r.failures.map((f) => [f.index, f.status, f.method, f.nearKink, f.claimed]),
    tensors: r.tensors.map((t) => [t.name, t.checked, t.failed, t.skipped, t.verdict]),
  };
}

const SHAPES: [number[], number][] = [
  [[4, 3, 2, 1], 1],
  [[8, 3, 8], 1],
  [[5, 7, 6, 3], 4],
  [[8, 16, 16, 4], 8],
];

describe('the screened full check', () => {
  it('reaches exactly the entry-by-entry verdict on sigmoid and ReLU networks, with planted wrong entries', () => {
    let failures = 0;
    let screened = 0;
    for (const hidden of ['sigmoid', 'relu'] as const) {
      for (const [sizes, batch] of SHAPES) {
        for (let s = 0; s < 3; s++) {
          const c = networkCase(`screen-${hidden}-${sizes}-${s}`, sizes, batch, hidden, s !== 2);
          const g = engineGradient(c);
          const plants: ((v: Float64Array) => void)[] = [
            () => {},
            (v) => (v[s % v.length] *= 1.01), // one entry off by 1%
            (v) => (v[(5 * s + 2) % v.length] = -v[(5 * s + 2) % v.length]), // a sign flip
            (v) => (v[v.length - 1] += 1e-9 + 1e-4 * Math.abs(v[v.length - 1])), // dL/dx off by 0.01%
            (v) => v.forEach((x, i) => i < c.network.tensors[0].rows * c.network.tensors[0].cols && (v[i] = 2 * x)), // W1 doubled
          ];
          for (const plant of plants) {
            const wrong = Float64Array.from(g);
            plant(wrong);
            const claimed = split(c, wrong);
            const slow = checkNetwork(c, { claimed, screen: false });
            const fast = checkNetwork(c, { claimed, screen: true });
            expect(verdictOf(fast)).toEqual(verdictOf(slow));
            failures += slow.counts.failed;
          }
          screened += screenNetwork(c, true, g, { levels: 2, tolerances: TOLERANCES }).acceptedCount;
        }
      }
    }
    expect(failures).toBeGreaterThan(100);
    expect(screened).toBeGreaterThan(1000);
  });

  it('accepts only entries whose first-pass value is within its error budget of the true (analytic) derivative', () => {
    for (const hidden of ['sigmoid', 'relu'] as const) {
      const c = networkCase(`bounds-${hidden}`, [8, 16, 16, 4], 8, hidden);
      const g = engineGradient(c);
      const screen = screenNetwork(c, true, g, { levels: 2, tolerances: TOLERANCES });
      expect(screen.entries).toBe(g.length);
      for (let i = 0; i < g.length; i++) {
        if (screen.accepted[i] !== 1) continue;
        // The engine's backward pass is exact to rounding: it stands in for the true derivative here.
        expect(Math.abs(screen.value[i] - g[i])).toBeLessThanOrEqual(screen.truncation[i] + screen.rounding[i] + 1e-15 * Math.abs(g[i]));
        expect(Math.abs(screen.value[i] - g[i])).toBeLessThanOrEqual(1e-6 * Math.abs(g[i]) + 1e-12);
      }
      // On a smooth network nearly everything is settled by the first pass.
      if (hidden === 'sigmoid') expect(screen.acceptedCount).toBeGreaterThan(0.95 * g.length);
    }
  });

  it('never accepts a wrong entry: a 1% error anywhere is escalated and failed entry by entry', () => {
    const c = networkCase('never-accepts', [5, 7, 6, 3], 4, 'sigmoid');
    const g = engineGradient(c);
    for (let i = 0; i < g.length; i++) {
      const wrong = Float64Array.from(g);
      wrong[i] = wrong[i] * 1.01 + 1e-9;
      expect(screenNetwork(c, true, wrong, { levels: 2, tolerances: TOLERANCES }).accepted[i]).toBe(0);
      const report = checkNetwork(c, { claimed: split(c, wrong), screen: true });
      expect(report.failures.map((f) => f.index)).toEqual([i]);
      // The failure is reported from the entry-by-entry check: its step is the parameter's own.
      expect(report.failures[0].method).toBe('central');
    }
  });

  it('escalates entries whose entry-by-entry stencil would cross a ReLU kink, so kinks are reported as before', () => {
    // One ReLU unit with pre-activation exactly 0 (0.5·2 − 1), as in the kink tests, inside a wider layer.
    const network = new Network({ inputs: 1, layers: [{ outputs: 3, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
    const params = Float64Array.from([0.5, 0.8, -0.3, -1, 0.1, 0.4, 1.5, 0.7, -0.2, 0.25]);
    const c = { network, params, inputs: matrixFromRows([[2]]), targets: matrixFromRows([[1]]), reduction: 'mean' as const };
    const slow = checkNetwork(c, { screen: false });
    const fast = checkNetwork(c, { screen: true });
    expect(verdictOf(fast)).toEqual(verdictOf(slow));
    const screen = screenNetwork(c, true, engineGradient(c), { levels: 2, tolerances: TOLERANCES });
    // W1[0,0], b1[0] and x sit on the kink: never settled by the first pass.
    for (const i of [0, 3, 10]) expect(screen.accepted[i]).toBe(0);
    for (const name of ['W1', 'b1', 'x']) {
      const t = fast.tensors.find((r) => r.name === name)!;
      expect(t.failed).toBe(0);
    }
    expect(slow.tensors.some((t) => t.worst?.nearKink)).toBe(true);
  });

  it('is used automatically from 20 entries (option screen: "auto"): passing entries then carry the first pass’s numbers', () => {
    expect(SCREEN_AUTO_ENTRIES).toBe(20);
    const big = networkCase('auto-big', [4, 3, 2, 1], 1, 'sigmoid'); // 26 parameters + 4 inputs = 30 entries
    const small = networkCase('auto-small', [2, 3, 1], 2, 'sigmoid'); // 13 parameters + 4 inputs = 17 entries
    for (const [c, screened] of [[big, true], [small, false]] as const) {
      const g = engineGradient(c);
      const screen = screenNetwork(c, true, g, { levels: 2, tolerances: TOLERANCES });
      const auto = checkNetwork(c);
      expect(auto.verdict).toBe('pass');
      for (const t of auto.tensors) {
        const w = t.worst!;
        if (screen.accepted[w.index] !== 1) continue;
        // Accepted by the screen: reported from it exactly when auto screens.
        expect(w.numeric === screen.value[w.index] && w.step === screen.step[w.index]).toBe(screened);
      }
      const wrong = Float64Array.from(g);
      wrong[7] *= 1.01;
      expect(verdictOf(checkNetwork(c, { claimed: split(c, wrong) }))).toEqual(verdictOf(checkNetwork(c, { claimed: split(c, wrong), screen: false })));
    }
  });

  it('settles from its own estimate the entries whose rtol·|g| lies below the finite-difference floor, as the entry-by-entry check passes them', () => {
    // bench:compare's [8,16,16,4]×8 case (sigmoid, MSE mean, the same seed string): on main at 5dfd60f the
    // screen escalated 3 of its 548 entries, each rounding-bound (|g|·1e-6 below the screen's own uncertainty).
    // Since its hidden layers' derivatives come from the chain rule (pre-activation-derivatives.ts), its
    // uncertainty is smaller and rtol 1e-6 leaves none below it: rtol 1e-8 puts 4 entries there.
    const TIGHT = { rtol: 1e-8, atol: 0 };
    const network = new Network({ inputs: 8, layers: [{ outputs: 16, activation: 'sigmoid' }, { outputs: 16, activation: 'sigmoid' }, { outputs: 4, activation: 'identity' }] });
    const random = seededRandom('compare-8-16-16-4-8');
    const c: NetworkCase = { network, params: randomParameters(network, random), inputs: randomMatrix(8, 8, random), targets: randomMatrix(8, 4, random), reduction: 'mean' };
    const g = engineGradient(c);
    const claimedRounding = networkClaimedRounding(c, true);
    const screen = screenNetwork(c, true, g, { levels: 2, tolerances: TIGHT }, { claimedRounding });
    const uncertainty = (i: number): number => screen.truncation[i] + screen.rounding[i];
    // Accepted, though the claim does not pass against both ends of the screen's interval.
    const floorBound = [...g.keys()].filter((i) => screen.accepted[i] === 1 && !(agrees(g[i], screen.value[i] - uncertainty(i), 0, TIGHT, claimedRounding[i]) && agrees(g[i], screen.value[i] + uncertainty(i), 0, TIGHT, claimedRounding[i])));
    expect(floorBound.length).toBeGreaterThan(0);
    // The entry-by-entry check of every entry: its estimates, as the report's heat maps read them.
    const prepared = prepareNetworkCheck(c, { screen: false, ...TIGHT });
    const every: EntryCheck[] = [];
    checkGradients({ ...prepared.problem, everyEntry: every }, prepared.options);
    const byLayer = networkLayerLossRounding(c);
    const trace = network.forward(c.params, c.inputs);
    const gains = coordinateGains(network, c.params, trace.activations, 8, true);
    const f0 = mseLoss(network.prediction(trace), c.targets.data, c.reduction);
    const p = network.parameterCount;
    for (const i of floorBound) {
      const entry = every.find((e) => e.index === i)!;
      expect(entry.status).toBe('pass');
      // The rule's premise: the screen's estimate is at least as precise as the entry check's (and its floor).
      const layer = i >= p ? 0 : network.tensors.find((t) => i >= t.offset && i < t.offset + t.rows * t.cols)!.layer;
      const least = leastCentralUncertainty(f0, i >= p ? c.inputs.data[i - p] : c.params[i], { levels: 2, precision: 'float64', lossRounding: byLayer[layer] }, gains[i]);
      expect(uncertainty(i)).toBeLessThanOrEqual(least);
      expect(entry.errorEstimate).toBeGreaterThanOrEqual(least);
    }
    // Wrong by 1% there: escalated, and failed as entry by entry.
    for (const i of floorBound) {
      const wrong = Float64Array.from(g);
      wrong[i] *= 1.01;
      expect(screenNetwork(c, true, wrong, { levels: 2, tolerances: TIGHT }, { claimedRounding }).accepted[i]).toBe(0);
      const fast = checkNetwork(c, { claimed: split(c, wrong), ...TIGHT });
      expect(verdictOf(fast)).toEqual(verdictOf(checkNetwork(c, { claimed: split(c, wrong), screen: false, ...TIGHT })));
      expect(fast.failures.map((f) => f.index)).toEqual([i]);
    }
  });

  it('checks only the parameters when the claim has no dL/dx, screened or not', () => {
    const c = networkCase('no-inputs', [5, 7, 6, 3], 4, 'relu');
    const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction).parameters;
    const wrong = Float64Array.from(g);
    wrong[40] = wrong[40] * 1.01 + 1e-6;
    const fast = checkNetwork(c, { claimed: { parameters: wrong } });
    expect(verdictOf(fast)).toEqual(verdictOf(checkNetwork(c, { claimed: { parameters: wrong }, screen: false })));
    expect(fast.tensors.map((t) => t.name)).not.toContain('x');
    expect(fast.failures.map((f) => f.index)).toEqual([40]);
  });
});
