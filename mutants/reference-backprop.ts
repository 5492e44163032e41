/**
 * A correct, hand-written backprop for dense networks with MSE loss, the way a person writes one:
 * plain loops over `number[][]`, one method per step of the chain rule, independent of src/engine.
 * It is written for mutation: each mutant in `catalogue/` overrides one step with a classic mistake.
 *
 *   forward:   z_l = a_{l−1}·W_l + b_l,  a_l = σ(z_l),  a_0 = x           (W_l is inputs × outputs)
 *   loss:      L = c·Σ(ŷ − y)²,  c = 1/(N·K) (mean), 1 (sum), ½ (half-sum)
 *   backward:  dL/dŷ = 2c(ŷ − y);  δ_l = dL/da_l ⊙ σ'(z_l);
 *              dW_l = a_{l−1}ᵀ·δ_l;  db_l = Σ_samples δ_l;  dL/da_{l−1} = δ_l·W_lᵀ
 *
 * Layers are indexed from 0 in the code (layer l here is layer l + 1 in gradcheck's reports).
 */
import type { ActivationName } from '../src/engine/activation.js';
import type { Reduction } from '../src/engine/loss.js';
import type { Conventions } from '../src/adapters/conventions.js';
import type { GradientCase, GradientResult, Implementation } from '../src/adapters/implementation.js';
import { matmul, transpose, zeros, type Rows } from './rows.js';

/** What the forward pass computed: z[l] for each layer, a[0] = x and a[l + 1] = σ(z[l]). */
export interface Forward {
  readonly z: Rows[];
  readonly a: Rows[];
}

export interface LayerGradient {
  W: Rows;
  b?: number[];
}

/** Where the backward pass is: the case, the forward pass and a layer. */
export interface LayerAt {
  readonly case: GradientCase;
  readonly forward: Forward;
  readonly layer: number;
}

/** One layer's step of the backward pass, after its δ is known. */
export interface LayerStep extends LayerAt {
  /** dL/da of this layer (before σ'). */
  readonly error: Rows;
  /** δ = dL/dz of this layer. */
  readonly delta: Rows;
  /** δ of the output layer. */
  readonly outputDelta: Rows;
  /** Gradients being filled, one entry per layer. */
  readonly gradients: LayerGradient[];
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export class ReferenceBackprop implements Implementation {
  readonly name: string;
  readonly conventions?: Partial<Conventions>;

  constructor(name = 'reference backprop', conventions?: Partial<Conventions>) {
    this.name = name;
    this.conventions = conventions;
  }

  gradients(c: GradientCase): GradientResult {
    const forward = this.forward(c);
    const last = c.parameters.length - 1;
    const gradients = this.startGradients(c);
    let error = this.lossGradient(forward, c);
    let outputDelta: Rows = [];
    for (let l = last; l >= 0; l--) {
      const delta = this.layerDelta(error, { case: c, forward, layer: l });
      if (l === last) outputDelta = delta;
      const step: LayerStep = { case: c, forward, layer: l, error, delta, outputDelta, gradients };
      this.addWeightGradient(gradients[l].W, step);
      const b = gradients[l].b;
      if (b) this.addBiasGradient(b, step);
      if (l > 0) error = this.propagate(step);
    }
    return this.result(gradients, forward, c);
  }

  loss(c: GradientCase): number {
    return this.lossValue(this.forward(c), c);
  }

  protected forward(c: GradientCase): Forward {
    const z: Rows[] = [];
    const a: Rows[] = [c.inputs];
    c.network.layers.forEach((spec, l) => {
      const { W, b } = c.parameters[l];
      const zl = matmul(a[l], W);
      if (b) for (const row of zl) for (let j = 0; j < row.length; j++) row[j] += b[j];
      z.push(zl);
      a.push(zl.map((row) => row.map((v) => this.activate(spec.activation, v))));
    });
    return { z, a };
  }

  protected activate(name: ActivationName, z: number): number {
    if (name === 'sigmoid') return sigmoid(z);
    if (name === 'relu') return z > 0 ? z : 0;
    return z;
  }

  /** σ'(z); `a` = σ(z) is passed too, as a hand-written backprop has both at hand. */
  protected activationDerivative(name: ActivationName, z: number, _a: number): number {
    if (name === 'sigmoid') {
      const s = sigmoid(z);
      return s * (1 - s);
    }
    if (name === 'relu') return z > 0 ? 1 : 0;
    return 1;
  }

  /** c in L = c·Σ(ŷ − y)² for a batch of n rows and k outputs. */
  protected lossScale(reduction: Reduction, n: number, k: number): number {
    if (reduction === 'mean') return 1 / (n * k);
    if (reduction === 'sum') return 1;
    return 0.5;
  }

  protected lossValue(forward: Forward, c: GradientCase): number {
    const prediction = forward.a[forward.a.length - 1];
    let s = 0;
    prediction.forEach((row, i) => row.forEach((p, j) => (s += (p - c.targets[i][j]) ** 2)));
    return this.lossScale(c.reduction, prediction.length, prediction[0].length) * s;
  }

  /** dL/dŷ = 2c(ŷ − y). */
  protected lossGradient(forward: Forward, c: GradientCase): Rows {
    const prediction = forward.a[forward.a.length - 1];
    const factor = 2 * this.lossScale(c.reduction, prediction.length, prediction[0].length);
    return prediction.map((row, i) => row.map((p, j) => factor * (p - c.targets[i][j])));
  }

  /** δ = dL/da ⊙ σ'(z). */
  protected layerDelta(error: Rows, at: LayerAt): Rows {
    const name = at.case.network.layers[at.layer].activation;
    const z = at.forward.z[at.layer];
    const a = at.forward.a[at.layer + 1];
    return error.map((row, i) => row.map((e, j) => e * this.activationDerivative(name, z[i][j], a[i][j])));
  }

  protected startGradients(c: GradientCase): LayerGradient[] {
    return c.parameters.map(({ W, b }) => (b ? { W: zeros(W.length, W[0].length), b: new Array<number>(b.length).fill(0) } : { W: zeros(W.length, W[0].length) }));
  }

  /** dW += a_{l−1}ᵀ·δ, sample by sample. */
  protected addWeightGradient(dW: Rows, step: LayerStep): void {
    const input = step.forward.a[step.layer];
    for (let n = 0; n < step.delta.length; n++) {
      for (let i = 0; i < dW.length; i++) for (let j = 0; j < dW[0].length; j++) dW[i][j] += input[n][i] * step.delta[n][j];
    }
  }

  /** db += Σ_samples δ. */
  protected addBiasGradient(db: number[], step: LayerStep): void {
    for (let n = 0; n < step.delta.length; n++) for (let j = 0; j < db.length; j++) db[j] += step.delta[n][j];
  }

  /** dL/da_{l−1} = δ_l·W_lᵀ. */
  protected propagate(step: LayerStep): Rows {
    return matmul(step.delta, transpose(step.case.parameters[step.layer].W));
  }

  protected result(gradients: LayerGradient[], forward: Forward, c: GradientCase): GradientResult {
    return { parameters: gradients, loss: this.lossValue(forward, c) };
  }
}
