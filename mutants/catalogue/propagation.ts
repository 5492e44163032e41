/**
 * Mistakes in passing the error down, dL/da_{l−1} = δ_l·W_lᵀ: wrong matrix, missing transpose, the
 * wrong layer's error, the error before σ', or weights already updated.
 *
 * Shapes: in NumPy a wrong matrix usually raises a shape error, so the bug that survives to a gradient
 * check is the one whose shapes happen to agree (square layers, equal widths). These mutants make the
 * mistake wherever the shapes agree and compute the right product where the wrong one would not align.
 */
import { ReferenceBackprop, type LayerStep } from '../reference-backprop.js';
import { aligns, matmul, sameShape, transpose, type Rows } from '../rows.js';
import { net, type Mutant } from './mutant.js';

class MissingTranspose extends ReferenceBackprop {
  protected override propagate(step: LayerStep): Rows {
    const W = step.case.parameters[step.layer].W;
    return aligns(step.delta, W) ? matmul(step.delta, W) : super.propagate(step); // δ·W, not δ·Wᵀ
  }
}

class PreviousLayerWeights extends ReferenceBackprop {
  protected override propagate(step: LayerStep): Rows {
    const W = step.case.parameters[step.layer].W;
    const below = step.case.parameters[step.layer - 1].W; // indexed like the layer the error goes to
    return sameShape(below, W) ? matmul(step.delta, transpose(below)) : super.propagate(step);
  }
}

class OutputErrorPropagated extends ReferenceBackprop {
  protected override propagate(step: LayerStep): Rows {
    const Wt = transpose(step.case.parameters[step.layer].W);
    // The output delta (a variable still in scope) passed down instead of this layer's δ.
    return aligns(step.outputDelta, Wt) ? matmul(step.outputDelta, Wt) : super.propagate(step);
  }
}

class PropagatedBeforeDerivative extends ReferenceBackprop {
  protected override propagate(step: LayerStep): Rows {
    return matmul(step.error, transpose(step.case.parameters[step.layer].W)); // dL/da·Wᵀ, σ' skipped
  }
}

class UpdatedWeightsInBackward extends ReferenceBackprop {
  readonly learningRate = 0.1;

  protected override propagate(step: LayerStep): Rows {
    const W = step.case.parameters[step.layer].W;
    const dW = step.gradients[step.layer].W;
    // A layer's backward() that applies its update (W −= rate·dW) before returning δ·Wᵀ.
    const updated = W.map((row, i) => row.map((w, j) => w - this.learningRate * dW[i][j]));
    return matmul(step.delta, transpose(updated));
  }
}

export const propagationMutants: readonly Mutant[] = [
  {
    id: 'missing-transpose',
    title: 'Missing transpose (square layer)',
    description: 'The error is passed down as δ·W instead of δ·Wᵀ; with a square W the shapes still match and nothing complains.',
    causes: ['missing-transpose'],
    shows: 'a square layer above a hidden layer',
    smallest: { network: net(1, ['identity', 2], ['identity', 2]), batch: 1, reduction: 'sum' },
    create: () => new MissingTranspose('mutant missing-transpose'),
  },
  {
    id: 'previous-layer-weights',
    title: "Wrong weight matrix: W_{l−1} instead of W_l",
    description: "The error of layer l is passed down through the weights of layer l − 1 (an index off by one); shapes agree when the layers have the same shape.",
    causes: ['wrong-weight-matrix'],
    shows: '≥ 1 hidden layer with W_{l−1} shaped like W_l',
    smallest: { network: net(1, ['identity', 1], ['identity', 1]), batch: 1, reduction: 'sum' },
    create: () => new PreviousLayerWeights('mutant previous-layer-weights'),
  },
  {
    id: 'output-error-propagated',
    title: "The output layer's error propagated at every layer",
    description: "Each layer passes down δ_L·W_lᵀ (the output delta still in scope) instead of its own δ_l·W_lᵀ. Right for the layer below the output, wrong from the second hidden layer down.",
    causes: ['wrong-layer-error'],
    shows: '≥ 2 hidden layers',
    smallest: { network: net(1, ['identity', 1], ['identity', 1], ['identity', 1]), batch: 1, reduction: 'sum' },
    create: () => new OutputErrorPropagated('mutant output-error-propagated'),
  },
  {
    id: 'propagated-before-derivative',
    title: "Error passed down before ⊙ σ'",
    description: "dW_l uses δ_l, but the error passed down is dL/da_l·W_lᵀ, skipping σ'(z_l).",
    causes: ['propagated-before-derivative'],
    shows: 'a non-identity layer above a hidden layer',
    smallest: { network: net(1, ['identity', 1], ['sigmoid', 1]), batch: 1, reduction: 'sum' },
    create: () => new PropagatedBeforeDerivative('mutant propagated-before-derivative'),
  },
  {
    id: 'updated-weights-in-backward',
    title: 'Updated weights used for the backward pass',
    description: "Each layer updates its weights (W −= 0.1·dW) before passing the error down, so earlier layers see δ·(W − 0.1·dW)ᵀ.",
    causes: ['updated-weights-in-backward'],
    shows: '≥ 1 hidden layer',
    smallest: { network: net(1, ['identity', 1], ['identity', 1]), batch: 1, reduction: 'sum' },
    create: () => new UpdatedWeightsInBackward('mutant updated-weights-in-backward'),
  },
];
