/**
 * A dense network with an MSE loss built from tape ops (tape.ts), as a user of an autodiff writes one:
 * the model keeps one gradient buffer per parameter (zeroed at the start of every call, like
 * `optimizer.zero_grad()`), the forward pass records the ops on a new tape, and the backward pass is
 * `backward(tape, loss)`. The gradients are read from the buffers, dL/dx from the input leaf.
 *
 *   z_l = a_{l−1}·W_l + b_l,  a_l = f(z_l),  a_0 = x     (W_l inputs × outputs, the default layout)
 *   L = c·Σ(ŷ − y)²,  c = 1 (sum), ½ (half-sum), 1/(N·K) (mean)
 *
 * Layers are indexed from 0 here (layer l is layer l + 1 in gradcheck's reports). A bug overrides one
 * method: an op (a subclass of Ops, `makeOps`), the backward order, zeroing, or how results are read.
 */
import type { ActivationName } from '../../src/engine/activation.js';
import type { Reduction } from '../../src/engine/loss.js';
import type { GradientCase, GradientResult, Implementation, LayerParameters } from '../../src/adapters/implementation.js';
import { backward, Ops, reverseTape, Tape, type BackwardOrder, type Node } from './tape.js';

/** A parameter's gradient buffers, kept by the model across calls. */
export interface ParameterBuffers {
  W: Float64Array;
  b?: Float64Array;
}

/** What one call recorded: the leaves, the prediction and the loss node. */
export interface Recorded {
  readonly tape: Tape;
  readonly x: Node;
  readonly weights: readonly { W: Node; b?: Node }[];
  readonly loss: Node;
}

const flat = (rows: readonly number[][]): Float64Array => Float64Array.from(rows.flat());
const unflat = (v: Float64Array, rows: number, cols: number): number[][] => Array.from({ length: rows }, (_, i) => Array.from(v.subarray(i * cols, (i + 1) * cols)));

/** Every parameter's shape, in order: `2x3,3;3x1,1` (W rows × cols, then b's length or -). */
function shapeKey(c: GradientCase): string {
  return c.parameters.map((p) => `${p.W.length}x${p.W[0].length},${p.b?.length ?? '-'}`).join(';');
}

export class TapeNetwork implements Implementation {
  readonly name: string;
  /** One buffer set per layer, kept across calls as a model keeps its parameters' `.grad`. */
  protected buffers: ParameterBuffers[] = [];
  /** The architecture the buffers were made for (`shapeKey`). */
  private shape = '';

  constructor(name = 'tape autodiff') {
    this.name = name;
  }

  gradients(c: GradientCase): GradientResult {
    const r = this.record(c);
    backward(r.tape, r.loss, this.order());
    return this.read(c, r);
  }

  loss(c: GradientCase): number {
    return this.record(c).loss.value[0];
  }

  /** The ops this network's tape is built with. */
  protected makeOps(tape: Tape): Ops {
    return new Ops(tape);
  }

  protected order(): BackwardOrder {
    return reverseTape;
  }

  protected newTape(): Tape {
    return new Tape();
  }

  /** The model's buffers for this architecture (new when the architecture changes), zeroed. */
  protected zeroGrad(c: GradientCase): ParameterBuffers[] {
    const key = shapeKey(c);
    if (key !== this.shape) this.buffers = c.parameters.map((p) => ({ W: new Float64Array(p.W.length * p.W[0].length), ...(p.b && { b: new Float64Array(p.b.length) }) }));
    this.shape = key;
    for (const g of this.buffers) {
      g.W.fill(0);
      g.b?.fill(0);
    }
    return this.buffers;
  }

  protected activate(ops: Ops, name: ActivationName, z: Node): Node {
    if (name === 'sigmoid') return ops.sigmoid(z);
    if (name === 'relu') return ops.relu(z);
    return ops.identity(z);
  }

  /** One dense layer: a·W (+ b), then the activation. */
  protected layer(ops: Ops, a: Node, W: Node, b: Node | undefined, activation: ActivationName, _l: number): Node {
    const z = ops.matmul(a, W);
    return this.activate(ops, activation, b ? ops.addRow(z, b) : z);
  }

  protected lossNode(ops: Ops, prediction: Node, targets: Float64Array, reduction: Reduction): Node {
    const sq = ops.square(ops.subConstant(prediction, targets));
    if (reduction === 'mean') return ops.mean(sq);
    return ops.scaledSum(sq, reduction === 'sum' ? 1 : 0.5);
  }

  protected record(c: GradientCase): Recorded {
    const tape = this.newTape();
    const ops = this.makeOps(tape);
    const buffers = this.zeroGrad(c);
    const x = tape.leaf(c.inputs.length, c.inputs[0].length, flat(c.inputs), 'x');
    const weights = c.parameters.map((p, l) => ({
      W: tape.leaf(p.W.length, p.W[0].length, flat(p.W), `W${l + 1}`, buffers[l].W),
      ...(p.b && { b: tape.leaf(1, p.b.length, Float64Array.from(p.b), `b${l + 1}`, buffers[l].b) }),
    }));
    let a = x;
    c.network.layers.forEach((spec, l) => {
      a = this.layer(ops, a, weights[l].W, weights[l].b, spec.activation, l);
    });
    return { tape, x, weights, loss: this.lossNode(ops, a, flat(c.targets), c.reduction) };
  }

  /** The gradients as the contract wants them, copied out of the buffers. */
  protected read(c: GradientCase, r: Recorded): GradientResult {
    const parameters: LayerParameters[] = r.weights.map(({ W, b }) => ({ W: unflat(W.grad, W.rows, W.cols), ...(b && { b: Array.from(b.grad) }) }));
    return { parameters, inputs: unflat(r.x.grad, r.x.rows, r.x.cols), loss: r.loss.value[0] };
  }
}
