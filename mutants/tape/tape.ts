/**
 * A small tape-based reverse-mode autodiff, the third catalogue's style (issue 21, item 6): nothing
 * here knows what a layer's gradient is. Each op computes its value, records a node on the tape with
 * a closure that adds the node's gradient into its inputs' gradients (the vector-Jacobian product of
 * that op), and `backward` seeds the last node with 1 and runs the closures in reverse tape order.
 * A node is a matrix (rows × cols, row-major Float64Array); a scalar is 1 × 1.
 *
 * The ops are methods of `Ops` so a bug overrides one op (its forward or its closure), the way a
 * person edits one function of their autodiff.
 */

export class Node {
  readonly grad: Float64Array;
  /** Runs this op's VJP: adds into the inputs' gradients from this node's. Leaves do nothing. */
  backward: () => void = () => {};

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly value: Float64Array,
    readonly op: string,
    readonly inputs: readonly Node[] = [],
    grad?: Float64Array,
  ) {
    this.grad = grad ?? new Float64Array(rows * cols);
  }
}

/** The nodes in the order they were computed: reverse order is a valid order for the backward pass. */
export class Tape {
  readonly nodes: Node[] = [];

  record(node: Node): Node {
    this.nodes.push(node);
    return node;
  }

  /** A leaf: a parameter, the inputs or a constant. `grad` lets a model keep its own gradient buffer. */
  leaf(rows: number, cols: number, value: Float64Array, op = 'leaf', grad?: Float64Array): Node {
    return this.record(new Node(rows, cols, value, op, [], grad));
  }
}

/** The order in which `backward` visits nodes: the tape reversed. */
export type BackwardOrder = (tape: Tape, root: Node) => readonly Node[];

export const reverseTape: BackwardOrder = (tape) => [...tape.nodes].reverse();

/** Seeds dL/dL = 1 and runs every node's closure in `order`. */
export function backward(tape: Tape, root: Node, order: BackwardOrder = reverseTape): void {
  root.grad.fill(0);
  root.grad[0] = 1;
  for (const node of order(tape, root)) node.backward();
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** The ops a dense network with an MSE loss is built from. Each records one node and its VJP. */
export class Ops {
  constructor(readonly tape: Tape) {}

  protected node(rows: number, cols: number, value: Float64Array, op: string, inputs: readonly Node[]): Node {
    return this.tape.record(new Node(rows, cols, value, op, inputs));
  }

  /** a·w: (n × p)·(p × m). */
  matmul(a: Node, w: Node): Node {
    const [n, p, m] = [a.rows, a.cols, w.cols];
    const v = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) for (let j = 0; j < m; j++) v[i * m + j] += a.value[i * p + k] * w.value[k * m + j];
    const out = this.node(n, m, v, 'matmul', [a, w]);
    out.backward = () => {
      this.matmulInputGrad(a, w, out);
      this.matmulWeightGrad(a, w, out);
    };
    return out;
  }

  /** dL/da += g·wᵀ. */
  protected matmulInputGrad(a: Node, w: Node, out: Node): void {
    const [n, p, m] = [a.rows, a.cols, w.cols];
    for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) for (let j = 0; j < m; j++) a.grad[i * p + k] += out.grad[i * m + j] * w.value[k * m + j];
  }

  /** dL/dw += aᵀ·g. */
  protected matmulWeightGrad(a: Node, w: Node, out: Node): void {
    const [n, p, m] = [a.rows, a.cols, w.cols];
    for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) for (let j = 0; j < m; j++) w.grad[k * m + j] += a.value[i * p + k] * out.grad[i * m + j];
  }

  /** z + b, b (1 × m) broadcast over the rows; its VJP sums over the rows. */
  addRow(z: Node, b: Node): Node {
    const v = Float64Array.from(z.value, (x, q) => x + b.value[q % z.cols]);
    const out = this.node(z.rows, z.cols, v, 'add-row', [z, b]);
    out.backward = () => {
      for (let q = 0; q < v.length; q++) z.grad[q] += out.grad[q];
      this.broadcastSum(b, out);
    };
    return out;
  }

  /** dL/db += Σ_rows g. */
  protected broadcastSum(b: Node, out: Node): void {
    for (let i = 0; i < out.rows; i++) for (let j = 0; j < out.cols; j++) b.grad[j] += out.grad[i * out.cols + j];
  }

  /** An elementwise function f with f′ given from the input and the output. */
  protected unary(x: Node, op: string, f: (z: number) => number, df: (z: number, y: number) => number): Node {
    const v = Float64Array.from(x.value, f);
    const out = this.node(x.rows, x.cols, v, op, [x]);
    out.backward = () => {
      for (let q = 0; q < v.length; q++) x.grad[q] += out.grad[q] * df(x.value[q], v[q]);
    };
    return out;
  }

  sigmoid(x: Node): Node {
    return this.unary(x, 'sigmoid', sigmoid, (_z, s) => s * (1 - s));
  }

  relu(x: Node): Node {
    return this.unary(x, 'relu', (z) => (z > 0 ? z : 0), (z) => (z > 0 ? 1 : 0));
  }

  identity(x: Node): Node {
    return x;
  }

  /** x − c for a constant c of the same shape (the targets): no gradient flows into c. */
  subConstant(x: Node, c: Float64Array): Node {
    const out = this.node(x.rows, x.cols, Float64Array.from(x.value, (v, q) => v - c[q]), 'sub', [x]);
    out.backward = () => {
      for (let q = 0; q < out.value.length; q++) x.grad[q] += out.grad[q];
    };
    return out;
  }

  /** x² elementwise. */
  square(x: Node): Node {
    return this.unary(x, 'square', (d) => d * d, (d) => 2 * d);
  }

  /** x ⊙ y elementwise (the same node twice is a fan-out: both closures add into it). */
  mul(x: Node, y: Node): Node {
    const out = this.node(x.rows, x.cols, Float64Array.from(x.value, (v, q) => v * y.value[q]), 'mul', [x, y]);
    out.backward = () => {
      for (let q = 0; q < out.value.length; q++) {
        x.grad[q] += out.grad[q] * y.value[q];
        y.grad[q] += out.grad[q] * x.value[q];
      }
    };
    return out;
  }

  /** c·Σ x, a 1 × 1 node. */
  scaledSum(x: Node, c: number): Node {
    let s = 0;
    for (const v of x.value) s += v;
    const out = this.node(1, 1, Float64Array.of(c * s), 'scaled-sum', [x]);
    out.backward = () => {
      for (let q = 0; q < x.value.length; q++) x.grad[q] += c * out.grad[0];
    };
    return out;
  }

  /** Σ x / (rows·cols), a 1 × 1 node (the mean reduction). */
  mean(x: Node): Node {
    return this.scaledSum(x, 1 / (x.rows * x.cols));
  }
}
