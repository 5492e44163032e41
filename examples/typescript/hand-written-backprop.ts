/**
 * A small hand-written backprop in plain TypeScript (arrays of rows, no gradcheck engine), written as
 * an `Implementation` so gradcheck can check it in process:
 *
 *   const report = await checkImplementationCase(handWrittenBackprop, networkCase, { seed, nextId });
 *
 * Layout as in the notebooks: a batch is rows, W is (inputs × outputs), z = a·W + b, a' = f(z).
 * Loss: squared error with the case's reduction. `buggyHandWrittenBackprop` forgets the activation's
 * derivative in the hidden layers, a classic bug, so tests and docs can show a failure.
 */
import { defineImplementation, type GradientCase, type GradientResult, type Implementation } from 'gradcheck';

type Rows = number[][];

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

const activation: Record<string, { f: (z: number) => number; df: (z: number) => number }> = {
  sigmoid: { f: sigmoid, df: (z) => sigmoid(z) * (1 - sigmoid(z)) },
  relu: { f: (z) => Math.max(z, 0), df: (z) => (z > 0 ? 1 : 0) },
  identity: { f: (z) => z, df: () => 1 },
};

const multiply = (a: Rows, b: Rows): Rows => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const transpose = (a: Rows): Rows => a[0].map((_, j) => a.map((row) => row[j]));
const map = (a: Rows, f: (v: number, i: number, j: number) => number): Rows => a.map((row, i) => row.map((v, j) => f(v, i, j)));

/** c in L = c · Σ (ŷ − y)², for `count` squared errors. */
function lossScale(reduction: GradientCase['reduction'], count: number): number {
  return reduction === 'mean' ? 1 / count : reduction === 'sum' ? 1 : 0.5;
}

/** Pre-activations z_l and activations a_l of every layer (a_0 is the input). */
function forward(c: GradientCase): { z: Rows[]; a: Rows[] } {
  const z: Rows[] = [];
  const a: Rows[] = [c.inputs];
  c.network.layers.forEach((layer, l) => {
    const { W, b } = c.parameters[l];
    const zl = map(multiply(a[l], W), (v, _i, j) => v + (b ? b[j] : 0));
    z.push(zl);
    a.push(map(zl, activation[layer.activation].f));
  });
  return { z, a };
}

function squaredError(c: GradientCase, prediction: Rows): number {
  const errors = map(prediction, (v, i, j) => (v - c.targets[i][j]) ** 2).flat();
  return lossScale(c.reduction, errors.length) * errors.reduce((s, e) => s + e, 0);
}

/** `hiddenDerivative: false` is the bug: σ'(z) applied at the output layer only. */
function backprop(c: GradientCase, hiddenDerivative: boolean): GradientResult {
  const { z, a } = forward(c);
  const last = c.network.layers.length - 1;
  const prediction = a[last + 1];
  const scale = 2 * lossScale(c.reduction, prediction.length * prediction[0].length);
  let delta = map(prediction, (v, i, j) => scale * (v - c.targets[i][j])); // dL/dŷ
  const parameters: { W: Rows; b?: number[] }[] = [];
  for (let l = last; l >= 0; l--) {
    const df = activation[c.network.layers[l].activation].df;
    if (l === last || hiddenDerivative) delta = map(delta, (v, i, j) => v * df(z[l][i][j])); // dL/dz_l
    const dW = multiply(transpose(a[l]), delta);
    parameters[l] = c.parameters[l].b ? { W: dW, b: transpose(delta).map((col) => col.reduce((s, v) => s + v, 0)) } : { W: dW };
    delta = multiply(delta, transpose(c.parameters[l].W)); // dL/da_{l−1}
  }
  return { parameters, inputs: delta, loss: squaredError(c, prediction) };
}

export const handWrittenBackprop: Implementation = defineImplementation({
  name: 'hand-written-backprop',
  conventions: { weightLayout: 'in-out', returns: 'gradient', batch: 'batch' },
  gradients: (c) => backprop(c, true),
  loss: (c) => squaredError(c, forward(c).a[c.network.layers.length]),
});

export const buggyHandWrittenBackprop: Implementation = defineImplementation({
  name: 'buggy-hand-written-backprop',
  conventions: { weightLayout: 'in-out', returns: 'gradient', batch: 'batch' },
  gradients: (c) => backprop(c, false),
  loss: (c) => squaredError(c, forward(c).a[c.network.layers.length]),
});
