/**
 * checkHvp on f(x, y) = x²·y + y³/3 (closed form): ∇f = (2xy, x² + y²), H = [[2y, 2x], [2x, 2y]],
 * so H·v = (2y·v_x + 2x·v_y, 2x·v_x + 2y·v_y).
 */
import { describe, expect, it } from 'vitest';
import { checkHvp } from '../../src/check/functions/check-hvp.js';
import type { NamedTensors } from '../../src/check/functions/tensor.js';

const gradient = ({ x, y }: NamedTensors) => ({
  x: x.data.map((u, i) => 2 * u * y.data[i]),
  y: x.data.map((u, i) => u * u + y.data[i] ** 2),
});
const hvpWith = (cross: number) => ({ x, y }: NamedTensors, v: NamedTensors) => ({
  x: x.data.map((u, i) => 2 * y.data[i] * v.x.data[i] + cross * u * v.y.data[i]),
  y: x.data.map((u, i) => cross * u * v.x.data[i] + 2 * y.data[i] * v.y.data[i]),
});
const inputs = { x: Float64Array.of(0.5, -1.2), y: Float64Array.of(2, 0.7) };

describe('checkHvp', () => {
  it('passes the exact Hessian–vector product for a random and for a given vector', () => {
    expect(checkHvp({ gradient, hvp: hvpWith(2), inputs }).verdict).toBe('pass');
    expect(checkHvp({ gradient, hvp: hvpWith(2), inputs, vector: { x: Float64Array.of(1, 0), y: Float64Array.of(0, 1) } }).verdict).toBe('pass');
  });
  it('fails a wrong cross term (x instead of 2x) at every entry, located by input', () => {
    const report = checkHvp({ gradient, hvp: hvpWith(1), inputs, name: 'f' });
    expect(report.located.map((l) => l.label)).toEqual(['x[0]', 'x[1]', 'y[0]', 'y[1]']);
    expect(report.function).toBe('∇f');
  });
  it('names a missing rule', () => {
    expect(() => checkHvp({ gradient, inputs } as never)).toThrow('checkHvp: hvp is undefined; expected a function (inputs, vector) => { input: (H·v) entries }');
  });
});
