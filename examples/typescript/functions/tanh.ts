/**
 * tanh, element by element, with its backward rule (VJP), its forward-mode rule (JVP), and a buggy
 * backward rule that forgets to square: d tanh(x)/dx = 1 − tanh²(x), not 1 − tanh(x).
 *
 *   checkVjp({ f: tanh, vjp: tanhVjp, inputs: { x } })       // passes
 *   checkVjp({ f: tanh, vjp: buggyTanhVjp, inputs: { x } })  // fails at every entry with tanh(x) ∉ {0, 1}
 *
 * Only gradcheck's types are imported, so it can be copied; a tensor is { shape, data: Float64Array }, row-major.
 */
import type { NamedTensors as Named, Tensor } from 'gradcheck';

/** y = tanh(x), entry by entry. */
export function tanh({ x }: Named): Tensor {
  return { shape: x.shape, data: x.data.map(Math.tanh) };
}

/** x̄ = (1 − tanh²(x))·ȳ. */
export function tanhVjp({ x }: Named, { y }: Named): Record<string, Tensor> {
  return { x: { shape: x.shape, data: x.data.map((v, i) => (1 - Math.tanh(v) ** 2) * y.data[i]) } };
}

/** ẏ = (1 − tanh²(x))·ẋ. */
export function tanhJvp({ x }: Named, { x: dx }: Named): Record<string, Tensor> {
  return { y: { shape: x.shape, data: x.data.map((v, i) => (1 - Math.tanh(v) ** 2) * dx.data[i]) } };
}

/** The bug: (1 − tanh(x))·ȳ, the square forgotten. */
export function buggyTanhVjp({ x }: Named, { y }: Named): Record<string, Tensor> {
  return { x: { shape: x.shape, data: x.data.map((v, i) => (1 - Math.tanh(v)) * y.data[i]) } };
}
