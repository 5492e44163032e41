/**
 * A hand-written backprop that computes in float32, as a Float32Array library or a GPU kernel does:
 * every arithmetic result is rounded to float32 (`Math.fround`), inputs and parameters too. Its
 * gradients are correct, to float32's precision, so it declares `precision: 'float32'` and gradcheck
 * allows for its rounding instead of failing it.
 *
 *   const report = await checkImplementationCase(float32Backprop, networkCase, { seed, nextId });
 *
 * `float32BackpropWrongBias` scales one bias gradient by 1.01: a 1% error that float32 rounding
 * (about 6e-8 relative per operation) cannot explain, and that gradcheck must still catch.
 */
import { defineImplementation, type GradientCase, type GradientResult, type Implementation } from 'gradcheck';

const f = Math.fround;
type Rows = number[][];

function act(name: string, z: number): number {
  if (name === 'sigmoid') return z >= 0 ? f(1 / f(1 + f(Math.exp(-z)))) : f(f(Math.exp(z)) / f(1 + f(Math.exp(z))));
  if (name === 'relu') return z > 0 ? z : 0;
  return z;
}

function actDerivative(name: string, z: number, a: number): number {
  if (name === 'sigmoid') return f(a * f(1 - a));
  if (name === 'relu') return z > 0 ? 1 : 0;
  return 1;
}

function lossScale(reduction: GradientCase['reduction'], count: number): number {
  return reduction === 'mean' ? f(1 / count) : reduction === 'sum' ? 1 : 0.5;
}

/** Σ_k a[k]·b[k], rounded after every product and sum. */
function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s = f(s + f(a[k] * b[k]));
  return s;
}

function forward(c: GradientCase): { z: Rows[]; a: Rows[] } {
  const a: Rows[] = [c.inputs.map((row) => row.map(f))];
  const z: Rows[] = [];
  c.network.layers.forEach((layer, l) => {
    const W = c.parameters[l].W.map((row) => row.map(f));
    const b = c.parameters[l].b?.map(f);
    const columns = W[0].map((_, j) => W.map((row) => row[j]));
    const zl = a[l].map((row) => columns.map((col, j) => f(dot(row, col) + (b ? b[j] : 0))));
    z.push(zl);
    a.push(zl.map((row) => row.map((v) => act(layer.activation, v))));
  });
  return { z, a };
}

function loss(c: GradientCase, prediction: Rows): number {
  let s = 0;
  prediction.forEach((row, i) => row.forEach((v, j) => {
    const r = f(v - f(c.targets[i][j]));
    s = f(s + f(r * r));
  }));
  return f(lossScale(c.reduction, prediction.length * prediction[0].length) * s);
}

function backprop(c: GradientCase, biasFactor: number): GradientResult {
  const { z, a } = forward(c);
  const last = c.network.layers.length - 1;
  const prediction = a[last + 1];
  const scale = f(2 * lossScale(c.reduction, prediction.length * prediction[0].length));
  let delta: Rows = prediction.map((row, i) => row.map((v, j) => f(scale * f(v - f(c.targets[i][j])))));
  const parameters: { W: Rows; b?: number[] }[] = [];
  for (let l = last; l >= 0; l--) {
    const name = c.network.layers[l].activation;
    delta = delta.map((row, i) => row.map((v, j) => f(v * actDerivative(name, z[l][i][j], a[l + 1][i][j]))));
    const inputs = a[l];
    const dW = inputs[0].map((_, p) => delta[0].map((_, j) => dot(inputs.map((row) => row[p]), delta.map((row) => row[j]))));
    const db = delta[0].map((_, j) => f(delta.reduce((s, row) => f(s + row[j]), 0) * (l === 0 ? biasFactor : 1)));
    parameters[l] = c.parameters[l].b ? { W: dW, b: db } : { W: dW };
    const W = c.parameters[l].W.map((row) => row.map(f));
    delta = delta.map((row) => W.map((wRow) => dot(row, wRow)));
  }
  return { parameters, inputs: delta, loss: loss(c, prediction) };
}

function float32Implementation(name: string, biasFactor: number): Implementation {
  return defineImplementation({
    name,
    conventions: { weightLayout: 'in-out', returns: 'gradient', batch: 'batch', precision: 'float32' },
    gradients: (c) => backprop(c, biasFactor),
    loss: (c) => loss(c, forward(c).a[c.network.layers.length]),
  });
}

export const float32Backprop: Implementation = float32Implementation('float32-backprop', 1);
export const float32BackpropWrongBias: Implementation = float32Implementation('float32-backprop-wrong-bias', 1.01);
