import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../../src/engine/random-parameters.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { renderReport, reportToJson, verdictLine } from '../../src/check/report/render-report.js';

// [4 → sigmoid 5 → sigmoid 3 → identity 2], batch 4: W1 (0–19), b1 (20–24), W2 (25–39), b2 (40–42), W3 (43–48), b3 (49–50).
function smoothCase() {
  const network = new Network({
    inputs: 4,
    layers: [
      { outputs: 5, activation: 'sigmoid' },
      { outputs: 3, activation: 'sigmoid' },
      { outputs: 2, activation: 'identity' },
    ],
  });
  const random = seededRandom('directions');
  const c = { network, params: randomParameters(network, random), inputs: randomMatrix(4, 4, random), targets: randomMatrix(4, 2, random), reduction: 'sum' as const };
  return { c, g: network.gradients(c.params, c.inputs, c.targets, c.reduction) };
}

describe('random-direction mode', () => {
  const { c, g } = smoothCase();
  const correct = { parameters: g.parameters, inputs: g.inputs };
  const W2 = { offset: 25, size: 15 };
  const doubledW2 = (): typeof correct => {
    const parameters = Float64Array.from(g.parameters);
    for (let k = 0; k < W2.size; k++) parameters[W2.offset + k] *= 2;
    return { parameters, inputs: g.inputs };
  };

  it('passes correct gradients with k directions per tensor and records the seed', () => {
    const report = checkNetwork(c, { claimed: correct, strategy: 'directions', directions: 3, seed: 7 });
    expect(report.verdict).toBe('pass');
    expect(report.strategy).toBe('directions');
    expect(report.seed).toBe(7);
    // Cost independent of the tensor sizes: 3 directions for each of W1, b1, W2, b2, W3, b3, x.
    expect(report.tensors.map((t) => t.checked)).toEqual([3, 3, 3, 3, 3, 3, 3]);
    expect(report.counts).toEqual({ checked: 21, failed: 0, skipped: 0, unresolved: 0 });
    for (const t of report.tensors) expect(t.worst!.direction).toBeGreaterThanOrEqual(0);
    expect(renderReport(report).split('\n')[0]).toBe('gradcheck (random directions, seed 7; a single wrong entry of an n-entry tensor shows only above √n·rtol): [4 → sigmoid 5 → sigmoid 3 → identity 2], batch 4, MSE sum');
  });

  it('uses 4 directions and seed 0 by default', () => {
    const report = checkNetwork(c, { strategy: 'directions' });
    expect(report.seed).toBe(0);
    expect(report.counts.checked).toBe(4 * 7);
  });

  it('fails a tensor off by a factor of 2, then locates every wrong entry', () => {
    const report = checkNetwork(c, { claimed: doubledW2(), strategy: 'directions', directions: 3, seed: 7 });
    expect(report.verdict).toBe('fail');
    const directionFailures = report.failures.filter((f) => f.direction !== undefined);
    const entryFailures = report.failures.filter((f) => f.direction === undefined);
    // Along any direction v the projection of 2g is 2(g·v): all 3 directions of W2 fail, nothing else does.
    expect(directionFailures.map((f) => [f.tensor, f.direction])).toEqual([['W2', 0], ['W2', 1], ['W2', 2]]);
    // Then every entry of W2 is checked and each is named.
    const expected = [];
    for (let r = 0; r < 5; r++) for (let col = 0; col < 3; col++) expected.push(`W2[${r},${col}]`);
    expect(entryFailures.map((f) => `${f.tensor}[${f.row},${f.col}]`)).toEqual(expected);
    for (const f of entryFailures) expect(f.relativeError).toBeCloseTo(0.5, 6);
    const w2 = report.tensors.find((t) => t.name === 'W2')!;
    expect([w2.checked, w2.failed, w2.verdict]).toEqual([15, 15, 'fail']);
    expect(report.tensors.filter((t) => t.name !== 'W2').map((t) => [t.checked, t.verdict])).toEqual(Array(6).fill([3, 'pass']));
  });

  it('with locate: false, lists the failing directions themselves', () => {
    const report = checkNetwork(c, { claimed: doubledW2(), strategy: 'directions', directions: 3, seed: 7, locate: false });
    expect(report.verdict).toBe('fail');
    expect(report.failures.map((f) => [f.tensor, f.direction])).toEqual([['W2', 0], ['W2', 1], ['W2', 2]]);
    expect(verdictLine(report)).toBe('FAIL: 3 checks disagree (first: W2 dir 0)');
    expect(renderReport(report)).toContain('layer 2 W along random direction 0 (W2): claimed ');
  });

  it('replays identically with the same seed, and draws other directions with another', () => {
    const a = reportToJson(checkNetwork(c, { claimed: doubledW2(), strategy: 'directions', seed: 123 }));
    const b = reportToJson(checkNetwork(c, { claimed: doubledW2(), strategy: 'directions', seed: 123 }));
    expect(b).toBe(a);
    const other = checkNetwork(c, { claimed: correct, strategy: 'directions', seed: 124 });
    const same = checkNetwork(c, { claimed: correct, strategy: 'directions', seed: 123 });
    expect(other.tensors[0].worst!.claimed).not.toBe(same.tensors[0].worst!.claimed);
  });
});
