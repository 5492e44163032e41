import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { describeEntry, entryLabel, renderReport, reportToJson, verdictLine } from '../../src/check/report/render-report.js';
import type { GradientReport } from '../../src/check/report/report.js';

/**
 * The README's example (2 → relu 3 → identity 1, batch 2, MSE mean), worked by hand:
 *   row [1, 2]:     z1 = [1.0, 1.1, −0.2] → a1 = [1.0, 1.1, 0],  ŷ = 1.2 − 0.66 + 0.05 = 0.59
 *   row [−0.5, 0.3]: z1 = [−0.09, 0.36, −0.72] → a1 = [0, 0.36, 0], ŷ = −0.216 + 0.05 = −0.166
 *   r = ŷ − y = [0.09, 0.834]; mean over 2: dL/dŷ = r, so dL/dW2[0,0] = 1.0·0.09 = 0.09, dL/db2 = 0.924.
 * W2[0,0] is then claimed 1% too large: 0.0909.
 */
function readmeExample(): GradientReport {
  const network = new Network({ inputs: 2, layers: [{ outputs: 3, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
  const params = new Float64Array([0.5, -0.3, 0.8, 0.2, 0.7, -0.4, 0.1, 0.0, -0.2, 1.2, -0.6, 0.9, 0.05]);
  const inputs = matrixFromRows([[1.0, 2.0], [-0.5, 0.3]]);
  const targets = matrixFromRows([[0.5], [-1.0]]);
  const { parameters } = network.gradients(params, inputs, targets, 'mean');
  parameters[9] *= 1.01;
  return checkNetwork({ network, params, inputs, targets, reduction: 'mean' }, { claimed: { parameters } });
}

const cells = (line: string): string[] => line.trim().split(/ {2,}/);

describe('renderReport (plain text, as documented in the README)', () => {
  const report = readmeExample();
  const text = renderReport(report);
  const lines = text.split('\n');

  it('starts with the title and the column header', () => {
    expect(lines[0]).toBe('gradcheck (every entry): [2 → relu 3 → identity 1], batch 2, MSE mean');
    expect(cells(lines[1])).toEqual(['tensor', 'shape', 'checked', 'skipped', 'unresolved', 'worst', 'claimed', 'numeric', 'abs err', 'rel err', 'step', 'verdict']);
  });

  it('has one row per tensor with its shape, counts, worst entry and verdict', () => {
    const rows = lines.slice(2, 6).map(cells);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[11]])).toEqual([
      ['W1', '2×3', '6', '0', '0', 'pass'],
      ['b1', '1×3', '3', '0', '0', 'pass'],
      ['W2', '3×1', '3', '0', '0', 'FAIL (1)'],
      ['b2', '1×1', '1', '0', '0', 'pass'],
    ]);
    // The failing tensor's worst entry is the planted one, with both values (claimed 0.0909, numeric 0.09).
    const w2 = rows[2];
    expect(w2[5]).toBe('[0,0]');
    expect(Number(w2[6])).toBeCloseTo(0.0909, 12);
    expect(Number(w2[7])).toBeCloseTo(0.09, 9);
    expect(Number(w2[8])).toBeCloseTo(9e-4, 5); // abs err 9.0e-4
    expect(Number(w2[9])).toBeCloseTo(0.0099, 4); // rel err 0.0009 / 0.0909 = 9.9e-3
    // b2's worst is its only entry, dL/db2 = 0.924.
    expect(rows[3][5]).toBe('[0,0]');
    expect(Number(rows[3][6])).toBeCloseTo(0.924, 12);
  });

  it('lists the disagreement in one sentence locating layer, tensor and entry', () => {
    const at = lines.indexOf('Disagreements (1):');
    expect(at).toBe(7);
    expect(lines[6]).toBe('');
    expect(lines[at + 1]).toMatch(/^ {2}layer 2 W\[0,0\] \(W2\): claimed 0\.0909, numeric 0\.09 ± \S+, abs err 9\.0e-4, rel err 9\.9e-3 > tolerance \S+$/);
    expect(lines[at + 1]).toBe(`  ${describeEntry(report.failures[0])}`);
  });

  it('ends with the verdict line', () => {
    expect(lines[lines.length - 2]).toBe('');
    expect(lines[lines.length - 1]).toBe('FAIL: 1 entry disagrees (first: W2[0,0])');
    expect(verdictLine(report)).toBe(lines[lines.length - 1]);
    expect(entryLabel(report.failures[0])).toBe('W2[0,0]');
  });

  it('is plain text by default and coloured on request', () => {
    expect(text).not.toMatch(/\x1b\[/);
    const coloured = renderReport(report, { color: true });
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
  });

  it('a passing report has no Disagreements section and a PASS line with the counts', () => {
    const network = new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'identity' }] });
    const pass = checkNetwork({ network, params: Float64Array.from([2, 1]), inputs: matrixFromRows([[3]]), targets: matrixFromRows([[0]]), reduction: 'sum' });
    const out = renderReport(pass);
    expect(out).not.toContain('Disagreements');
    expect(out.split('\n').at(-1)).toBe('PASS: 3 of 3 entries agree with finite differences');
  });

  it('a claim between the one-sided derivatives at a kink (|θ| at 0, claim 0) is a settled pass, kept marked as at a kink', () => {
    const r = checkLoss({ loss: (t) => Math.abs(t[0]), point: Float64Array.from([0]), claimed: Float64Array.from([0]) });
    const out = renderReport(r).split('\n');
    expect(out[0]).toBe('gradcheck (every entry)');
    expect(cells(out[2]).slice(0, 5)).toEqual(['θ', '1×1', '1', '0', '0']);
    expect(out.at(-1)).toBe('PASS: 1 of 1 entries agree with finite differences');
    expect(r.tensors[0].worst).toMatchObject({ status: 'pass', nearKink: true, claimed: 0, numeric: 0 });
  });

  it('truncates a long Disagreements list at maxFailures and points to the JSON', () => {
    const network = new Network({ inputs: 3, layers: [{ outputs: 4, activation: 'sigmoid' }] });
    const params = new Float64Array(16).map((_, i) => 0.1 * (i - 8));
    const inputs = matrixFromRows([[1, -1, 0.5]]);
    const targets = matrixFromRows([[1, 0, 1, 0]]);
    const { parameters } = network.gradients(params, inputs, targets, 'sum');
    const r = checkNetwork({ network, params, inputs, targets, reduction: 'sum' }, { claimed: { parameters: parameters.map((v) => 2 * v) } });
    expect(r.failures).toHaveLength(16);
    const out = renderReport(r, { maxFailures: 3 }).split('\n');
    const at = out.indexOf('Disagreements (16):');
    expect(out.slice(at + 1, at + 4).every((l) => l.startsWith('  layer 1 '))).toBe(true);
    expect(out[at + 4]).toBe('  … and 13 more (all are in the JSON report)');
    expect(renderReport(r).split('\n').filter((l) => l.startsWith('  layer 1 '))).toHaveLength(10);
  });
});

describe('reportToJson', () => {
  it('parses back to the report with every field', () => {
    const report = readmeExample();
    const json = JSON.parse(reportToJson(report));
    expect(json).toEqual(JSON.parse(JSON.stringify(report)));
    expect(json.verdict).toBe('fail');
    expect(json.strategy).toBe('full');
    expect(json.label).toBe('[2 → relu 3 → identity 1], batch 2, MSE mean');
    expect(json.tolerances).toEqual({ rtol: 1e-6, atol: 0 });
    expect(json.levels).toBe(2);
    expect(json.counts).toEqual({ checked: 13, failed: 1, skipped: 0, unresolved: 0 });
    expect(json.tensors.map((t: { name: string }) => t.name)).toEqual(['W1', 'b1', 'W2', 'b2']);
    for (const t of json.tensors) {
      expect(Object.keys(t).sort()).toEqual(['checked', 'cols', 'failed', 'kind', 'layer', 'name', 'rows', 'skipped', 'unresolved', 'verdict', 'worst']);
    }
    expect(json.failures).toHaveLength(1);
    const f = json.failures[0];
    expect(Object.keys(f).sort()).toEqual(
      ['absoluteError', 'claimed', 'col', 'converged', 'errorEstimate', 'index', 'kind', 'layer', 'method', 'nearKink', 'numeric', 'relativeError', 'row', 'status', 'step', 'tensor', 'tolerance'].sort(),
    );
    expect([f.tensor, f.layer, f.kind, f.index, f.row, f.col, f.status]).toEqual(['W2', 2, 'W', 9, 0, 0, 'fail']);
    expect(f.claimed).toBeCloseTo(0.0909, 12);
    expect(f.numeric).toBeCloseTo(0.09, 9);
  });

  it('includes the seed in directions mode', () => {
    const network = new Network({ inputs: 1, layers: [{ outputs: 2, activation: 'sigmoid' }] });
    const r = checkNetwork({ network, params: Float64Array.from([0.3, -0.2, 0.1, 0.4]), inputs: matrixFromRows([[1]]), targets: matrixFromRows([[0, 1]]), reduction: 'mean' }, { strategy: 'directions', seed: 42 });
    expect(JSON.parse(reportToJson(r))).toMatchObject({ strategy: 'directions', seed: 42, verdict: 'pass' });
  });
});
