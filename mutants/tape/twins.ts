/**
 * Correct twins of the tape autodiff: other valid ways to write it, which gradcheck must pass.
 */
import type { ActivationName } from '../../src/engine/activation.js';
import type { GradientCase } from '../../src/adapters/implementation.js';
import { TapeNetwork, type ParameterBuffers } from './network.js';
import { Node, Ops, Tape, type BackwardOrder } from './tape.js';

/** The backward order from a depth-first topological sort with a visited set (micrograd's), not the tape. */
export class TopologicalOrder extends TapeNetwork {
  protected override order(): BackwardOrder {
    return (_tape, root) => {
      const seen = new Set<Node>();
      const out: Node[] = [];
      const visit = (n: Node): void => {
        if (seen.has(n)) return;
        seen.add(n);
        for (const i of n.inputs) visit(i);
        out.push(n);
      };
      visit(root);
      return out.reverse();
    };
  }
}

/** a·W + b as one fused op with one VJP (dL/da, dL/dW and dL/db in one closure). */
export class FusedLinear extends TapeNetwork {
  protected override layer(ops: Ops, a: Node, W: Node, b: Node | undefined, activation: ActivationName, _l: number): Node {
    const [n, p, m] = [a.rows, a.cols, W.cols];
    const v = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = b ? b.value[j] : 0;
        for (let k = 0; k < p; k++) s += a.value[i * p + k] * W.value[k * m + j];
        v[i * m + j] = s;
      }
    }
    const z = ops.tape.record(new Node(n, m, v, 'linear', b ? [a, W, b] : [a, W]));
    z.backward = () => {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const g = z.grad[i * m + j];
          if (b) b.grad[j] += g;
          for (let k = 0; k < p; k++) {
            W.grad[k * m + j] += a.value[i * p + k] * g;
            a.grad[i * p + k] += W.value[k * m + j] * g;
          }
        }
      }
    };
    return this.activate(ops, activation, z);
  }
}

/** ReLU′(0) = 1 (the subgradient convention of some libraries): z = 0 exactly never comes up in a drawn case. */
export class ReluPrimeOneAtZero extends TapeNetwork {
  protected override makeOps(tape: Tape): Ops {
    return new (class extends Ops {
      override relu(x: Node): Node {
        return this.unary(x, 'relu', (z) => (z > 0 ? z : 0), (z) => (z >= 0 ? 1 : 0));
      }
    })(tape);
  }
}

/** The ReLU mask from the output (y > 0) rather than the input: the same mask. */
export class ReluMaskFromOutput extends TapeNetwork {
  protected override makeOps(tape: Tape): Ops {
    return new (class extends Ops {
      override relu(x: Node): Node {
        return this.unary(x, 'relu', (z) => (z > 0 ? z : 0), (_z, y) => (y > 0 ? 1 : 0));
      }
    })(tape);
  }
}

/** The buffers allocated afresh on every call instead of kept and zeroed. */
export class FreshBuffers extends TapeNetwork {
  protected override zeroGrad(c: GradientCase): ParameterBuffers[] {
    this.buffers = c.parameters.map((p) => ({ W: new Float64Array(p.W.length * p.W[0].length), ...(p.b && { b: new Float64Array(p.b.length) }) }));
    return this.buffers;
  }
}
