/**
 * Mistakes in σ'(z): missing, taken of the wrong quantity, applied twice, or cut off where units saturate.
 */
import type { ActivationName } from '../../src/engine/activation.js';
import type { GradientCase } from '../../src/adapters/implementation.js';
import { ReferenceBackprop, sigmoid, type Forward, type LayerAt } from '../reference-backprop.js';
import type { Rows } from '../rows.js';
import { net, type Mutant } from './mutant.js';

class OutputDerivativeMissing extends ReferenceBackprop {
  protected override layerDelta(error: Rows, at: LayerAt): Rows {
    // "The output layer is linear": true for identity, not for a sigmoid output.
    return at.layer === at.case.parameters.length - 1 ? error : super.layerDelta(error, at);
  }
}

class HiddenDerivativeMissing extends ReferenceBackprop {
  protected override layerDelta(error: Rows, at: LayerAt): Rows {
    return at.layer === at.case.parameters.length - 1 ? super.layerDelta(error, at) : error; // σ' only at the output
  }
}

class DerivativeOfActivation extends ReferenceBackprop {
  protected override activationDerivative(name: ActivationName, _z: number, a: number): number {
    return super.activationDerivative(name, a, a); // σ'(a) = σ'(σ(z))
  }
}

class SigmoidPrimeOfZ extends ReferenceBackprop {
  protected override activationDerivative(name: ActivationName, z: number, a: number): number {
    return name === 'sigmoid' ? z * (1 - z) : super.activationDerivative(name, z, a); // a(1 − a), fed z
  }
}

class ActivationAsDerivative extends ReferenceBackprop {
  protected override activationDerivative(_name: ActivationName, _z: number, a: number): number {
    return a; // the activation where its derivative belongs
  }
}

class DerivativeTwice extends ReferenceBackprop {
  protected override lossGradient(forward: Forward, c: GradientCase): Rows {
    // The textbook's output delta (ŷ − y)·σ'(z_L) … which the loop then multiplies by σ'(z_L) again.
    return this.layerDelta(super.lossGradient(forward, c), { case: c, forward, layer: c.parameters.length - 1 });
  }
}

class SaturatedZeroed extends ReferenceBackprop {
  protected override activationDerivative(name: ActivationName, z: number, a: number): number {
    if (name !== 'sigmoid') return super.activationDerivative(name, z, a);
    const s = sigmoid(z);
    return s > 0.999 || s < 0.001 ? 0 : s * (1 - s); // "saturated units learn nothing anyway"
  }
}

const sigmoidOut = net(1, ['sigmoid', 1]);

export const activationDerivativeMutants: readonly Mutant[] = [
  {
    id: 'output-derivative-missing',
    title: "Output activation derivative missing",
    description: "δ_L = dL/dŷ, without ⊙ σ'(z_L): right for an identity output, wrong for sigmoid or ReLU outputs.",
    causes: ['missing-activation-derivative'],
    shows: 'non-identity output layer',
    smallest: { network: sigmoidOut, batch: 1, reduction: 'sum' },
    create: () => new OutputDerivativeMissing('mutant output-derivative-missing'),
  },
  {
    id: 'hidden-derivative-missing',
    title: 'Hidden activation derivatives missing',
    description: "Hidden layers pass dL/da down as if it were dL/dz: σ'(z) forgotten below the output layer.",
    causes: ['missing-activation-derivative'],
    shows: 'a non-identity hidden layer',
    smallest: { network: net(1, ['sigmoid', 1], ['identity', 1]), batch: 1, reduction: 'sum' },
    create: () => new HiddenDerivativeMissing('mutant hidden-derivative-missing'),
  },
  {
    id: 'derivative-of-activation',
    title: "σ'(σ(z)): derivative applied to the activation",
    description: "The derivative function is called with a = σ(z) instead of z. Same value for ReLU and identity; wrong for sigmoid.",
    causes: ['derivative-of-activation'],
    shows: 'a sigmoid layer',
    smallest: { network: sigmoidOut, batch: 1, reduction: 'sum' },
    create: () => new DerivativeOfActivation('mutant derivative-of-activation'),
  },
  {
    id: 'sigmoid-prime-of-z',
    title: "σ'(z) written as z(1 − z)",
    description: "The formula σ' = a(1 − a) is meant for the activation a but is fed the pre-activation z.",
    causes: ['derivative-formula-on-preactivation'],
    shows: 'a sigmoid layer',
    smallest: { network: sigmoidOut, batch: 1, reduction: 'sum' },
    create: () => new SigmoidPrimeOfZ('mutant sigmoid-prime-of-z'),
  },
  {
    id: 'activation-as-derivative',
    title: 'Activation multiplied in instead of its derivative',
    description: "δ = dL/da ⊙ σ(z) instead of ⊙ σ'(z) (for identity: z instead of 1).",
    causes: ['activation-instead-of-derivative'],
    shows: 'any case',
    smallest: { network: net(1, ['identity', 1]), batch: 1, reduction: 'sum' },
    create: () => new ActivationAsDerivative('mutant activation-as-derivative'),
  },
  {
    id: 'derivative-twice',
    title: "Output σ' applied twice",
    description: "The output delta is written as (ŷ − y)·σ'(z_L), and the generic layer loop multiplies by σ'(z_L) again.",
    causes: ['activation-derivative-twice'],
    shows: 'sigmoid output layer',
    smallest: { network: sigmoidOut, batch: 1, reduction: 'sum' },
    create: () => new DerivativeTwice('mutant derivative-twice'),
  },
  {
    id: 'saturated-zeroed',
    title: "σ' zeroed for saturated units",
    description: "Units with σ(z) > 0.999 or < 0.001 get σ' = 0 (\"they learn nothing anyway\"); the true σ' there is small, not 0.",
    causes: ['saturated-derivative-zeroed'],
    shows: 'saturated sigmoid units',
    smallest: { network: sigmoidOut, batch: 1, reduction: 'sum', saturated: true, seed: 3 },
    create: () => new SaturatedZeroed('mutant saturated-zeroed'),
  },
];
