/**
 * The third catalogue's bugs: each a one-place edit of the tape autodiff (tape.ts) or of the network
 * built on it (network.ts), in an op's VJP, the backward order, the model's buffers, or how the
 * gradients are read. Which are inside the diagnosis's hypothesis space is recorded in catalogue.ts.
 */
import type { Reduction } from '../../src/engine/loss.js';
import type { GradientCase, GradientResult } from '../../src/adapters/implementation.js';
import { TapeNetwork, type ParameterBuffers, type Recorded } from './network.js';
import { Node, Ops, Tape, type BackwardOrder } from './tape.js';

/** A network whose ops are `O` (one op edited). */
function withOps(O: new (tape: Tape) => Ops) {
  return class extends TapeNetwork {
    protected override makeOps(tape: Tape): Ops {
      return new O(tape);
    }
  };
}

/** The square written as d ⊙ d: a fan-out, d feeds both operands (correct: a twin; two bugs build on it). */
export class SquareAsProduct extends TapeNetwork {
  protected override lossNode(ops: Ops, prediction: Node, targets: Float64Array, reduction: Reduction): Node {
    const d = ops.subConstant(prediction, targets);
    const sq = ops.mul(d, d);
    return reduction === 'mean' ? ops.mean(sq) : ops.scaledSum(sq, reduction === 'sum' ? 1 : 0.5);
  }
}

// ---- Inside the hypothesis space --------------------------------------------------------------

/** mul's VJP assigns (=) where it must add: with d ⊙ d the second operand's write replaces the first's. */
export class MulAssigns extends SquareAsProduct {
  protected override makeOps(tape: Tape): Ops {
    return new (class extends Ops {
      override mul(x: Node, y: Node): Node {
        const out = this.node(x.rows, x.cols, Float64Array.from(x.value, (v, q) => v * y.value[q]), 'mul', [x, y]);
        out.backward = () => {
          for (let q = 0; q < out.value.length; q++) {
            x.grad[q] = out.grad[q] * y.value[q];
            y.grad[q] = out.grad[q] * x.value[q];
          }
        };
        return out;
      }
    })(tape);
  }
}

/** The bias op's broadcast-sum over the units (axis 1) instead of the rows, where the shape lets it (batch = width). */
export const BiasSumWrongAxis = withOps(
  class extends Ops {
    protected override broadcastSum(b: Node, out: Node): void {
      if (out.rows !== out.cols) return super.broadcastSum(b, out);
      for (let j = 0; j < out.cols; j++) for (let i = 0; i < out.cols; i++) b.grad[j] += out.grad[j * out.cols + i];
    }
  },
);

/** The mean op's VJP divides by the rows only (forward right: Σ/(N·K)). */
export const MeanVjpOverRows = withOps(
  class extends Ops {
    override mean(x: Node): Node {
      const out = this.scaledSum(x, 1 / (x.rows * x.cols));
      out.backward = () => {
        for (let q = 0; q < x.value.length; q++) x.grad[q] += out.grad[0] / x.rows;
      };
      return out;
    }
  },
);

/** The sigmoid's VJP computes s(1 − s) from its input z instead of its output s. */
export const SigmoidVjpFromInput = withOps(
  class extends Ops {
    override sigmoid(x: Node): Node {
      const out = super.sigmoid(x);
      out.backward = () => {
        for (let q = 0; q < out.value.length; q++) x.grad[q] += out.grad[q] * x.value[q] * (1 - x.value[q]);
      };
      return out;
    }
  },
);

/** zero_grad skips the output layer's bias: its buffer keeps adding up over calls. */
export class ZeroGradSkipsOutputBias extends TapeNetwork {
  protected override zeroGrad(c: GradientCase): ParameterBuffers[] {
    const last = this.buffers.at(-1)?.b;
    const kept = last ? Float64Array.from(last) : undefined;
    const buffers = super.zeroGrad(c);
    const b = buffers.at(-1)?.b;
    if (b && kept && kept.length === b.length) b.set(kept);
    return buffers;
  }
}

/** The first matmul's output memoised by the input values: new weights with the same inputs get the old z. */
export class InputKeyedMemo extends TapeNetwork {
  private readonly memo = new Map<string, Float64Array>();

  protected override makeOps(tape: Tape): Ops {
    const memo = this.memo;
    return new (class extends Ops {
      override matmul(a: Node, w: Node): Node {
        const out = super.matmul(a, w);
        if (a.op !== 'x') return out;
        const key = `${a.rows}x${a.cols}:${a.value.join(',')}`;
        const old = memo.get(key);
        if (old && old.length === out.value.length) out.value.set(old);
        else memo.set(key, Float64Array.from(out.value));
        return out;
      }
    })(tape);
  }
}

/** The weight VJP accumulates aᵀ·g in a Float32Array scratch (each partial sum rounded to float32); every other op stays float64. */
export const WeightVjpFloat32 = withOps(
  class extends Ops {
    protected override matmulWeightGrad(a: Node, w: Node, out: Node): void {
      const [n, p, m] = [a.rows, a.cols, w.cols];
      const scratch = new Float32Array(p * m);
      for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) for (let j = 0; j < m; j++) scratch[k * m + j] += a.value[i * p + k] * out.grad[i * m + j];
      for (let q = 0; q < scratch.length; q++) w.grad[q] += scratch[q];
    }
  },
);

/** The weight VJP subtracts where the matmul reads the network's input (the first layer only). */
export const FirstWeightVjpNegated = withOps(
  class extends Ops {
    protected override matmulWeightGrad(a: Node, w: Node, out: Node): void {
      if (a.op !== 'x') return super.matmulWeightGrad(a, w, out);
      const before = Float64Array.from(w.grad);
      super.matmulWeightGrad(a, w, out);
      for (let q = 0; q < w.grad.length; q++) w.grad[q] = before[q] - (w.grad[q] - before[q]);
    }
  },
);

// ---- Outside the hypothesis space -------------------------------------------------------------

/** A topological sort by depth-first search without a visited set: a node reached by two paths is listed (and run) twice. */
export class TopologicalSortRevisits extends SquareAsProduct {
  protected override order(): BackwardOrder {
    return (_tape, root) => {
      const out: Node[] = [];
      const visit = (n: Node): void => {
        for (const i of n.inputs) visit(i);
        out.push(n);
      };
      visit(root);
      return out.reverse();
    };
  }
}

/** dL/dx only for the first input feature: the input VJP's loop stops at k < 1 where the matmul reads x. */
export const InputVjpFirstFeature = withOps(
  class extends Ops {
    protected override matmulInputGrad(a: Node, w: Node, out: Node): void {
      if (a.op !== 'x') return super.matmulInputGrad(a, w, out);
      const [n, p, m] = [a.rows, a.cols, w.cols];
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) a.grad[i * p] += out.grad[i * m + j] * w.value[j];
    }
  },
);

/** The subtraction's VJP loops over rows − 1 rows: the batch's last sample contributes nothing. */
export const SubVjpDropsLastSample = withOps(
  class extends Ops {
    override subConstant(x: Node, c: Float64Array): Node {
      const out = super.subConstant(x, c);
      out.backward = () => {
        for (let q = 0; q < (x.rows - 1) * x.cols; q++) x.grad[q] += out.grad[q];
      };
      return out;
    }
  },
);

/** The weight VJP's unit loop stops at j < m − 1: every W's last unit column gets no gradient. */
export const WeightVjpSkipsLastUnit = withOps(
  class extends Ops {
    protected override matmulWeightGrad(a: Node, w: Node, out: Node): void {
      const [n, p, m] = [a.rows, a.cols, w.cols];
      for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) for (let j = 0; j < m - 1; j++) w.grad[k * m + j] += a.value[i * p + k] * out.grad[i * m + j];
    }
  },
);

/** The weight VJP clips its result to ±1 entry by entry (a "safety" clip left in the autodiff). */
export const WeightVjpClipped = withOps(
  class extends Ops {
    protected override matmulWeightGrad(a: Node, w: Node, out: Node): void {
      super.matmulWeightGrad(a, w, out);
      for (let q = 0; q < w.grad.length; q++) w.grad[q] = Math.max(-1, Math.min(1, w.grad[q]));
    }
  },
);

/** The returned dL/dθ rescaled to norm 1 when larger (clip_grad_norm(1.0) before returning). */
export class GlobalNormClipped extends TapeNetwork {
  protected override read(c: GradientCase, r: Recorded): GradientResult {
    const leaves = r.weights.flatMap(({ W, b }) => (b ? [W, b] : [W]));
    const norm = Math.sqrt(leaves.reduce((s, n) => s + n.grad.reduce((t, g) => t + g * g, 0), 0));
    if (norm > 1) for (const n of leaves) for (let q = 0; q < n.grad.length; q++) n.grad[q] /= norm;
    return super.read(c, r);
  }
}

/** The first two layers' weight gradients returned in each other's place (zip over a reversed list), where their shapes agree. */
export class FirstTwoWeightGradientsSwapped extends TapeNetwork {
  protected override read(c: GradientCase, r: Recorded): GradientResult {
    const result = super.read(c, r);
    const [p0, p1, ...rest] = result.parameters;
    if (!p1 || p0.W.length !== p1.W.length || p0.W[0].length !== p1.W[0].length) return result;
    return { ...result, parameters: [{ ...p0, W: p1.W }, { ...p1, W: p0.W }, ...rest] };
  }
}

/** The model's weight-gradient buffers kept in a map keyed by shape: layers of one shape share (tie) one buffer. */
export class GradientBufferTiedByShape extends TapeNetwork {
  protected override zeroGrad(c: GradientCase): ParameterBuffers[] {
    const byShape = new Map<string, Float64Array>();
    this.buffers = c.parameters.map((p) => {
      const key = `${p.W.length}x${p.W[0].length}`;
      const W = byShape.get(key) ?? new Float64Array(p.W.length * p.W[0].length);
      byShape.set(key, W);
      return { W, ...(p.b && { b: new Float64Array(p.b.length) }) };
    });
    return this.buffers;
  }
}

/** The tape is a field, never cleared: every call's backward replays the earlier calls' nodes, whose gradients were never reset. */
export class StaleTapeReused extends TapeNetwork {
  private readonly kept = new Tape();

  protected override newTape(): Tape {
    return this.kept;
  }
}

/** The square's VJP uses its output: 2·d² where 2·d belongs. */
export const SquareVjpFromOutput = withOps(
  class extends Ops {
    override square(x: Node): Node {
      const out = super.square(x);
      out.backward = () => {
        for (let q = 0; q < out.value.length; q++) x.grad[q] += out.grad[q] * 2 * out.value[q];
      };
      return out;
    }
  },
);
