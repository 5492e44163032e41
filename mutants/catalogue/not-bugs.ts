/**
 * Changes that are not gradient bugs: equivalent formulas, a valid subgradient at the ReLU kink, another
 * summation order, and conventions declared honestly. gradcheck must pass every one of them.
 */
import type { ActivationName } from '../../src/engine/activation.js';
import type { GradientCase, GradientResult } from '../../src/adapters/implementation.js';
import { ReferenceBackprop, sigmoid, type Forward, type LayerGradient, type LayerStep } from '../reference-backprop.js';
import { matmul, transpose, type Rows } from '../rows.js';
import type { NotABug } from './mutant.js';
import { CacheByWholeCase } from './caches.js';

class ReluOneAtZero extends ReferenceBackprop {
  protected override activationDerivative(name: ActivationName, z: number, a: number): number {
    return name === 'relu' ? (z >= 0 ? 1 : 0) : super.activationDerivative(name, z, a);
  }
}

class ReluFromActivation extends ReferenceBackprop {
  protected override activationDerivative(name: ActivationName, z: number, a: number): number {
    return name === 'relu' ? (a > 0 ? 1 : 0) : super.activationDerivative(name, z, a);
  }
}

class SigmoidSymmetricForm extends ReferenceBackprop {
  protected override activationDerivative(name: ActivationName, z: number, a: number): number {
    return name === 'sigmoid' ? sigmoid(z) * sigmoid(-z) : super.activationDerivative(name, z, a);
  }
}

class ReversedSummation extends ReferenceBackprop {
  protected override addWeightGradient(dW: Rows, step: LayerStep): void {
    const input = step.forward.a[step.layer];
    for (let j = dW[0].length - 1; j >= 0; j--) {
      for (let i = dW.length - 1; i >= 0; i--) {
        for (let n = step.delta.length - 1; n >= 0; n--) dW[i][j] += input[n][i] * step.delta[n][j];
      }
    }
  }

  protected override addBiasGradient(db: number[], step: LayerStep): void {
    for (let j = 0; j < db.length; j++) {
      let s = 0;
      for (let n = step.delta.length - 1; n >= 0; n--) s += step.delta[n][j];
      db[j] += s;
    }
  }
}

/** PyTorch's layout: W is outputs × inputs, z = a·Wᵀ, dW = δᵀ·a; declared, so gradcheck maps it. */
class OutInLayout extends ReferenceBackprop {
  protected override forward(c: GradientCase): Forward {
    return super.forward({ ...c, parameters: c.parameters.map((p) => ({ ...p, W: transpose(p.W) })) });
  }

  protected override addWeightGradient(dW: Rows, step: LayerStep): void {
    const input = step.forward.a[step.layer];
    for (let n = 0; n < step.delta.length; n++) {
      for (let j = 0; j < dW.length; j++) for (let i = 0; i < dW[0].length; i++) dW[j][i] += step.delta[n][j] * input[n][i];
    }
  }

  protected override propagate(step: LayerStep): Rows {
    return matmul(step.delta, step.case.parameters[step.layer].W);
  }
}

class NegativeGradient extends ReferenceBackprop {
  protected override result(gradients: LayerGradient[], forward: Forward, c: GradientCase): GradientResult {
    const negated = gradients.map(({ W, b }) => ({ W: W.map((row) => row.map((v) => -v)), ...(b ? { b: b.map((v) => -v) } : {}) }));
    return super.result(negated, forward, c);
  }
}

export const notBugs: readonly NotABug[] = [
  {
    id: 'relu-one-at-zero',
    title: "ReLU'(0) taken as 1",
    description: "z >= 0 instead of z > 0: at exactly z = 0 either one-sided derivative is a valid subgradient.",
    create: () => new ReluOneAtZero('not a bug: relu-one-at-zero'),
  },
  {
    id: 'relu-from-activation',
    title: "ReLU' from the activation",
    description: 'a > 0 instead of z > 0: the same test, since relu(z) > 0 exactly when z > 0.',
    create: () => new ReluFromActivation('not a bug: relu-from-activation'),
  },
  {
    id: 'sigmoid-symmetric-form',
    title: "σ' as σ(z)·σ(−z)",
    description: "σ(z)(1 − σ(z)) = σ(z)σ(−z); the second form does not cancel for large z.",
    create: () => new SigmoidSymmetricForm('not a bug: sigmoid-symmetric-form'),
  },
  {
    id: 'reversed-summation',
    title: 'Another summation order',
    description: 'dW and db summed over samples in reverse order with the loops nested differently: equal up to rounding.',
    create: () => new ReversedSummation('not a bug: reversed-summation'),
  },
  {
    id: 'out-in-declared',
    title: 'Outputs × inputs weights, declared',
    description: "Stores W as outputs × inputs (PyTorch's layout) and declares weightLayout: 'out-in'.",
    create: () => new OutInLayout('not a bug: out-in-declared', { weightLayout: 'out-in' }),
  },
  {
    id: 'negative-gradient-declared',
    title: 'Negative gradient, declared',
    description: "Returns −dL/dθ and declares returns: 'negative-gradient'.",
    create: () => new NegativeGradient('not a bug: negative-gradient-declared', { returns: 'negative-gradient' }),
  },
  {
    id: 'per-sample-declared',
    title: 'Per-sample gradients, declared',
    description: "Declares batch: 'per-sample'; gradcheck calls it once per row and combines the gradients.",
    create: () => new ReferenceBackprop('not a bug: per-sample-declared', { batch: 'per-sample' }),
  },
  {
    id: 'cache-keyed-by-whole-case',
    title: 'Answer cached by the whole case',
    description: 'The result is memoised by every value of the case (network, weights, inputs, targets, reduction): a true memo, never stale.',
    create: () => new CacheByWholeCase('not a bug: cache-keyed-by-whole-case'),
  },
];
