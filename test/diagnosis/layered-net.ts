/**
 * A test implementation in another style than mutants/reference-backprop.ts, so the diagnosis is tried
 * on code it was not written next to: a class per layer caching x, z and a, weights outputs × inputs
 * (`out-in`), dL/dx and the loss returned. Each bug is one hook, written the way a person would get it wrong.
 */
import type { GradientCase, GradientResult, Implementation, LayerParameters } from '../../src/adapters/implementation.js';
import type { ActivationName } from '../../src/engine/activation.js';
import type { Reduction } from '../../src/engine/loss.js';

type Vec = number[];
type Mat = number[][];

export interface Bugs {
  /** f'(z) given z, a and the activation (default: the true derivative). */
  derivative?(name: ActivationName, z: number, a: number, layer: number, depth: number): number;
  /** dL/dŷ from ŷ − y and the case (default: the reduction's scale times ŷ − y). */
  lossGradient?(diff: number, c: GradientCase, scale: number): number;
  /** The returned loss from Σ(ŷ − y)² (default: the reduction's). */
  loss?(sumOfSquares: number, c: GradientCase): number;
  /** Returns no loss value. */
  withoutLoss?: boolean;
  /** The returned dL/dx from the correct one. */
  inputGradient?(g: Mat): Mat;
  /** Rounds every stored number (float32 arithmetic). */
  round?(x: number): number;
  /** Reads W with its shape guessed: square matrices taken as inputs × outputs. */
  guessLayout?: boolean;
  /** Keeps gradient buffers between calls for W and b (never zeroed). */
  accumulate?: boolean;
  /** Caches the forward values by shape. */
  cacheByShape?: boolean;
  /** dW from δ and x (default δᵀx). */
  weightGradient?(dW: Mat, n: number): Mat;
}

const f = (name: ActivationName, z: number): number => (name === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : name === 'relu' ? Math.max(0, z) : z);
const df = (name: ActivationName, z: number, a: number): number => (name === 'sigmoid' ? a * (1 - a) : name === 'relu' ? (z > 0 ? 1 : 0) : 1);

class Dense {
  x: Mat = [];
  z: Mat = [];
  a: Mat = [];
  constructor(
    readonly W: Mat, // outputs × inputs
    readonly b: Vec | undefined,
    readonly activation: ActivationName,
    readonly round: (x: number) => number,
  ) {}

  forward(x: Mat): Mat {
    this.x = x;
    this.z = x.map((row) => this.W.map((w, j) => this.round(w.reduce((s, wk, k) => this.round(s + wk * row[k]), 0) + (this.b ? this.b[j] : 0))));
    this.a = this.z.map((row) => row.map((z) => this.round(f(this.activation, z))));
    return this.a;
  }
}

/** The correct implementation, and every bug of `Bugs` through its hooks. */
export class LayeredNet implements Implementation {
  readonly conventions = { weightLayout: 'out-in' as const };
  private buffers = new Map<string, { W: Mat[]; b: (Vec | undefined)[] }>();
  private cache = new Map<string, { x: Mat; z: Mat; a: Mat }[]>();

  constructor(
    readonly name: string,
    private readonly bugs: Bugs = {},
    precision?: 'float32',
  ) {
    if (precision) (this as { conventions: object }).conventions = { weightLayout: 'out-in', precision };
  }

  gradients(c: GradientCase): GradientResult {
    const round = this.bugs.round ?? ((x: number) => x);
    const layers = c.parameters.map((p, l) => new Dense(this.weights(p, c, l), p.b && [...p.b], c.network.layers[l].activation, round));
    let out = c.inputs.map((r) => r.map(round));
    for (const layer of layers) out = layer.forward(out);
    const key = `${JSON.stringify(c.network)}:${c.inputs.length}`;
    if (this.bugs.cacheByShape) {
      const saved = this.cache.get(key);
      if (saved) {
        layers.forEach((layer, l) => Object.assign(layer, saved[l]));
        out = layers[layers.length - 1].a;
      } else this.cache.set(key, layers.map((l) => ({ x: l.x, z: l.z, a: l.a })));
    }
    const n = out.length;
    const k = out[0].length;
    const scale = reductionScale(c.reduction, n * k);
    let squares = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) squares += (out[i][j] - c.targets[i][j]) ** 2;
    const loss = round(this.bugs.loss ? this.bugs.loss(squares, c) : lossScale(c.reduction, n * k) * squares);
    let grad: Mat = out.map((row, i) => row.map((p, j) => round(this.bugs.lossGradient ? this.bugs.lossGradient(p - c.targets[i][j], c, scale) : scale * (p - c.targets[i][j]))));
    const result: LayerParameters[] = [];
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const delta = grad.map((row, i) => row.map((g, j) => round(g * (this.bugs.derivative ?? ((name, z, a) => df(name, z, a)))(layer.activation, layer.z[i][j], layer.a[i][j], l + 1, layers.length))));
      let dW: Mat = layer.W.map((_, j) => layer.x[0].map((_, q) => round(delta.reduce((s, d, i) => s + d[j] * layer.x[i][q], 0))));
      if (this.bugs.weightGradient) dW = this.bugs.weightGradient(dW, n);
      const db = layer.b && layer.b.map((_, j) => round(delta.reduce((s, d) => s + d[j], 0)));
      result[l] = { W: this.unweights(dW, c, l), ...(db ? { b: db } : {}) };
      grad = delta.map((d) => layer.W[0].map((_, q) => round(d.reduce((s, dj, j) => s + dj * layer.W[j][q], 0))));
    }
    const parameters = this.bugs.accumulate ? this.accumulated(key, result) : result;
    return { parameters, inputs: this.bugs.inputGradient ? this.bugs.inputGradient(grad) : grad, ...(this.bugs.withoutLoss ? {} : { loss }) };
  }

  /** out-in as given; a guessed layout reads a square W as in-out. */
  private weights(p: LayerParameters, c: GradientCase, l: number): Mat {
    const W = p.W.map((r) => [...r]);
    const spec = c.network.layers[l];
    const inputs = l === 0 ? c.network.inputs : c.network.layers[l - 1].outputs;
    return this.bugs.guessLayout && spec.outputs === inputs ? W[0].map((_, i) => W.map((r) => r[i])) : W;
  }

  private unweights(dW: Mat, c: GradientCase, l: number): Mat {
    const spec = c.network.layers[l];
    const inputs = l === 0 ? c.network.inputs : c.network.layers[l - 1].outputs;
    return this.bugs.guessLayout && spec.outputs === inputs ? dW[0].map((_, i) => dW.map((r) => r[i])) : dW;
  }

  private accumulated(key: string, g: LayerParameters[]): LayerParameters[] {
    const buf = this.buffers.get(key) ?? { W: g.map((p) => p.W.map((r) => r.map(() => 0))), b: g.map((p) => p.b?.map(() => 0)) };
    this.buffers.set(key, buf);
    return g.map((p, l) => {
      buf.W[l] = buf.W[l].map((r, i) => r.map((v, j) => v + p.W[i][j]));
      if (p.b) buf.b[l] = buf.b[l]!.map((v, j) => v + p.b![j]);
      return { W: buf.W[l].map((r) => [...r]), ...(p.b ? { b: [...buf.b[l]!] } : {}) };
    });
  }
}

/** d/dŷ of the reduction: 2/count (mean), 2 (sum), 1 (half-sum), from L = Σ(ŷ − y)² × lossScale. */
function reductionScale(r: Reduction, count: number): number {
  return 2 * lossScale(r, count);
}

function lossScale(r: Reduction, count: number): number {
  return r === 'mean' ? 1 / count : r === 'sum' ? 1 : 0.5;
}
