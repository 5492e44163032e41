import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../../src/engine/random-parameters.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { parameterTensor } from '../../src/engine/layout.js';

// [3 → sigmoid 4 → identity 2], batch 3: W1 (0–11), b1 (12–15), W2 (16–23), b2 (24–25), then x (26–34).
function smoothCase() {
  const network = new Network({ inputs: 3, layers: [{ outputs: 4, activation: 'sigmoid' }, { outputs: 2, activation: 'identity' }] });
  const random = seededRandom('detection');
  const c = { network, params: randomParameters(network, random), inputs: randomMatrix(3, 3, random), targets: randomMatrix(3, 2, random), reduction: 'mean' as const };
  const g = network.gradients(c.params, c.inputs, c.targets, c.reduction);
  return { c, g, all: Float64Array.from([...g.parameters, ...g.inputs]) };
}
const TENSORS = [
  { name: 'W1', layer: 1, kind: 'W', offset: 0, cols: 4 },
  { name: 'b1', layer: 1, kind: 'b', offset: 12, cols: 4 },
  { name: 'W2', layer: 2, kind: 'W', offset: 16, cols: 2 },
  { name: 'b2', layer: 2, kind: 'b', offset: 24, cols: 2 },
  { name: 'x', layer: 0, kind: 'x', offset: 26, cols: 3 },
];
const P = 26;

function claim(all: Float64Array) {
  return { parameters: all.slice(0, P), inputs: all.slice(P) };
}

describe('a wrong entry is failed and located exactly', () => {
  const { c, g, all } = smoothCase();

  it('the unmodified engine gradient passes (the baseline)', () => {
    expect(checkNetwork(c, { claimed: claim(all) }).verdict).toBe('pass');
  });

  it('every entry, off by +1% or −1%, is failed alone and named by tensor, layer, row, column and both values', () => {
    for (let i = 0; i < all.length; i++) {
      expect(Math.abs(all[i]), `entry ${i} must not be negligible for this test`).toBeGreaterThan(1e-6);
      const t = [...TENSORS].reverse().find((s) => s.offset <= i)!;
      const local = i - t.offset;
      for (const factor of [1.01, 0.99]) {
        const wrong = Float64Array.from(all);
        wrong[i] *= factor;
        const report = checkNetwork(c, { claimed: claim(wrong) });
        expect(report.verdict).toBe('fail');
        expect(report.failures).toHaveLength(1);
        const f = report.failures[0];
        expect([f.tensor, f.layer, f.kind, f.row, f.col, f.index]).toEqual([t.name, t.layer, t.kind, Math.floor(local / t.cols), local % t.cols, i]);
        expect(f.claimed).toBe(all[i] * factor);
        // The numeric value recovers the true derivative, so the relative error is ≈ 1%.
        expect(Math.abs(f.numeric - all[i])).toBeLessThan(1e-7 * Math.abs(all[i]) + 1e-12);
        expect(f.relativeError).toBeGreaterThan(0.0098);
        expect(f.relativeError).toBeLessThan(0.0102);
        expect(report.tensors.find((r) => r.name === t.name)!.worst).toEqual(f);
      }
    }
  });

  it('a sign flip is failed', () => {
    const wrong = Float64Array.from(all);
    wrong[17] = -wrong[17]; // W2[0,1]
    const report = checkNetwork(c, { claimed: claim(wrong) });
    expect(report.verdict).toBe('fail');
    expect(report.failures.map((f) => [f.tensor, f.row, f.col])).toEqual([['W2', 0, 1]]);
    // |g − (−g)| / |g| = 2, up to the numeric derivative's own error.
    expect(report.failures[0].relativeError).toBeCloseTo(2, 10);
  });

  it('a factor of 2 on a whole tensor fails every entry of that tensor and nothing else', () => {
    const wrong = Float64Array.from(all);
    for (let i = 0; i < 4; i++) wrong[12 + i] *= 2; // b1
    const report = checkNetwork(c, { claimed: claim(wrong) });
    expect(report.verdict).toBe('fail');
    expect(report.failures.map((f) => `${f.tensor}[${f.row},${f.col}]`)).toEqual(['b1[0,0]', 'b1[0,1]', 'b1[0,2]', 'b1[0,3]']);
    expect(report.tensors.map((t) => t.verdict)).toEqual(['pass', 'fail', 'pass', 'pass', 'pass']);
    for (const f of report.failures) expect(f.relativeError).toBeCloseTo(0.5, 6);
  });

  it('a factor of 2 on the whole loss gradient (a forgotten ½) fails everything', () => {
    const wrong = all.map((v) => 2 * v);
    const report = checkNetwork(c, { claimed: claim(wrong) });
    expect(report.counts.failed).toBe(all.length);
    expect(g.loss).toBeGreaterThan(0);
  });
});

describe('black-box checkLoss on a smooth function', () => {
  // Rosenbrock (1960): f(x, y) = (1 − x)² + 100(y − x²)²,
  //   ∂f/∂x = −2(1 − x) − 400x(y − x²),  ∂f/∂y = 200(y − x²).
  const rosenbrock = (t: Float64Array): number => (1 - t[0]) ** 2 + 100 * (t[1] - t[0] ** 2) ** 2;
  const gradient = (x: number, y: number): Float64Array => Float64Array.from([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]);

  it.each([
    [-1.2, 1], // the classic starting point: gradient (−215.6, −88)
    [0.5, -0.3],
    [1, 1], // the minimum: gradient exactly 0
    [3e4, -2e3],
  ])('passes the closed-form gradient at (%d, %d)', (x, y) => {
    const report = checkLoss({ loss: rosenbrock, point: Float64Array.from([x, y]), claimed: gradient(x, y) });
    expect(report.verdict).toBe('pass');
    expect(report.counts).toEqual({ checked: 2, failed: 0, skipped: 0, unresolved: 0 });
  });

  it('the gradient at the classic start is (−215.6, −88)', () => {
    const g = gradient(-1.2, 1);
    expect(g[0]).toBeCloseTo(-215.6, 10);
    expect(g[1]).toBeCloseTo(-88, 10);
  });

  it('fails and locates a 1% error, with named tensors', () => {
    const g = gradient(-1.2, 1);
    g[1] *= 1.01;
    const report = checkLoss({
      loss: rosenbrock,
      point: Float64Array.from([-1.2, 1]),
      claimed: g,
      tensors: [parameterTensor('x', 1, 1, 0, 1, 'coord'), parameterTensor('y', 1, 1, 1, 1, 'coord')],
    });
    expect(report.verdict).toBe('fail');
    expect(report.failures.map((f) => [f.tensor, f.index, f.claimed])).toEqual([['y', 1, g[1]]]);
    expect(g[1]).toBeCloseTo(-88.88, 12);
    expect(report.failures[0].numeric).toBeCloseTo(-88, 8);
  });

  it('passes the n-dimensional Rosenbrock gradient', () => {
    // f = Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²; ∂f/∂x_i = −400x_i(x_{i+1} − x_i²) − 2(1 − x_i) + 200(x_i − x_{i−1}²).
    const n = 6;
    const f = (t: Float64Array): number => {
      let s = 0;
      for (let i = 0; i + 1 < n; i++) s += 100 * (t[i + 1] - t[i] ** 2) ** 2 + (1 - t[i]) ** 2;
      return s;
    };
    const point = Float64Array.from([0.3, -0.7, 1.1, 0.9, -1.4, 2.0]);
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (i + 1 < n) g[i] += -400 * point[i] * (point[i + 1] - point[i] ** 2) - 2 * (1 - point[i]);
      if (i > 0) g[i] += 200 * (point[i] - point[i - 1] ** 2);
    }
    expect(checkLoss({ loss: f, point, claimed: g }).verdict).toBe('pass');
  });
});
