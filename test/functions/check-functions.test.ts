/**
 * checkVjp, checkJvp and checkJacobian on functions whose derivatives are known in closed form:
 * f(x, w) = (x ⊙ w, Σ x²): ∂(x⊙w)_i/∂x_i = w_i, ∂(x⊙w)_i/∂w_i = x_i, ∂Σx²/∂x_i = 2x_i.
 */
import { describe, expect, it } from 'vitest';
import { checkVjp } from '../../src/check/functions/check-vjp.js';
import { checkJvp } from '../../src/check/functions/check-jvp.js';
import { checkJacobian } from '../../src/check/functions/check-jacobian.js';
import { renderFunctionReport } from '../../src/check/functions/render-function-report.js';
import type { NamedTensors } from '../../src/check/functions/tensor.js';

const x = Float64Array.of(0.5, -1.5, 2);
const w = Float64Array.of(3, 0.25, -1);
const f = ({ x, w }: NamedTensors) => ({
  prod: { shape: [3], data: x.data.map((v, i) => v * w.data[i]) },
  sq: { shape: [], data: Float64Array.of(x.data.reduce((s, v) => s + v * v, 0)) },
});
/** `wrong` scales ∂prod_i/∂x_i of one index (the bug) by 1.01. */
const vjpWith = (wrong: number) => ({ x, w }: NamedTensors, { prod, sq }: NamedTensors) => ({
  x: x.data.map((v, i) => w.data[i] * prod.data[i] * (i === wrong ? 1.01 : 1) + 2 * v * sq.data[0]),
  w: x.data.map((v, i) => v * prod.data[i]),
});
const jvpWith = (wrong: number) => ({ x, w }: NamedTensors, t: NamedTensors) => ({
  prod: x.data.map((v, i) => w.data[i] * t.x.data[i] * (i === wrong ? 1.01 : 1) + v * t.w.data[i]),
  sq: { shape: [], data: Float64Array.of(x.data.reduce((s, v, i) => s + 2 * v * t.x.data[i], 0)) },
});
const inputs = { x, w };

describe('checkVjp', () => {
  it('passes a correct VJP with a random cotangent, and says which seed drew it', () => {
    const report = checkVjp({ f, vjp: vjpWith(-1), inputs, seed: 3 });
    expect(report.verdict).toBe('pass');
    expect(report.drawSeed).toBe(3);
    expect(renderFunctionReport(report)).toContain('random cotangent seed 3');
  });
  it('locates a wrong entry by input name and index', () => {
    const report = checkVjp({ f, vjp: vjpWith(1), inputs });
    expect(report.verdict).toBe('fail');
    expect(report.located.map((l) => [l.input, l.inputIndex, l.label])).toEqual([['x', [1], 'x[1]']]);
    const text = renderFunctionReport(report);
    expect(text).toContain('x[1]: claimed');
    expect(text).toContain('FAIL: 1 entry disagrees (first: x[1])');
  });
  it('checks claimed gradients for a given cotangent: ȳ = (e_0, 0) gives x̄ = (w_0, 0, 0), w̄ = (x_0, 0, 0)', () => {
    const cotangent = { prod: Float64Array.of(1, 0, 0), sq: { shape: [], data: Float64Array.of(0) } };
    expect(checkVjp({ f, inputs, cotangent, claimed: { x: Float64Array.of(3, 0, 0), w: Float64Array.of(0.5, 0, 0) } }).verdict).toBe('pass');
    const wrong = checkVjp({ f, inputs, cotangent, claimed: { x: Float64Array.of(3, 0, 0), w: Float64Array.of(0.5, 0.1, 0) } });
    expect(wrong.located.map((l) => l.label)).toEqual(['w[1]']);
  });
  it('reads multi-dimensional inputs and names entries by their multi-index', () => {
    const m = { shape: [2, 3], data: Float64Array.of(1, 2, 3, 4, 5, 6) };
    const g = ({ m }: NamedTensors) => ({ shape: [2, 3], data: m.data.map((v) => v * v) });
    const bad = ({ m }: NamedTensors, { y }: NamedTensors) => ({ m: { shape: [2, 3], data: m.data.map((v, i) => (i === 5 ? 3 : 2) * v * y.data[i]) } });
    expect(checkVjp({ f: g, vjp: bad, inputs: { m } }).located.map((l) => l.label)).toEqual(['m[1,2]']);
  });
});

describe('checkJvp', () => {
  it('passes a correct JVP and locates a wrong output entry by output name and index', () => {
    expect(checkJvp({ f, jvp: jvpWith(-1), inputs }).verdict).toBe('pass');
    const report = checkJvp({ f, jvp: jvpWith(2), inputs });
    expect(report.located.map((l) => [l.output, l.outputIndex, l.label])).toEqual([['prod', [2], 'prod[2]']]);
    expect(report.tensors.map((t) => t.name)).toEqual(['prod', 'sq']);
  });
  it('shares calls of f among output entries: fewer calls than entries × a one-variable check', () => {
    const report = checkJvp({ f, jvp: jvpWith(-1), inputs });
    const single = checkJvp({ f: ({ x }) => ({ shape: [], data: Float64Array.of(x.data[0] * 2) }), jvp: (_i, t) => ({ shape: [], data: Float64Array.of(2 * t.x.data[0]) }), inputs: { x: Float64Array.of(1) } });
    expect(report.evaluations).toBeLessThan(4 * single.evaluations);
  });
});

describe('checkJacobian', () => {
  it('checks every entry (4 outputs × 6 inputs) and names a wrong one by output and input', () => {
    const good = checkJacobian({ f, vjp: vjpWith(-1), inputs });
    expect(good.verdict).toBe('pass');
    expect(good.counts.checked).toBe(24);
    const bad = checkJacobian({ f, vjp: vjpWith(0), inputs });
    expect(bad.located.map((l) => l.label)).toEqual(['∂prod[0]/∂x[0]']);
    const fromJvp = checkJacobian({ f, jvp: jvpWith(0), inputs });
    expect(fromJvp.located.map((l) => l.label)).toEqual(['∂prod[0]/∂x[0]']);
    expect(renderFunctionReport(bad)).toContain('FAIL: 1 entry disagrees (first: ∂prod[0]/∂x[0])');
  });
});
