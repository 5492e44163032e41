/**
 * Mistakes in dW = a_{l−1}ᵀ·δ and db = Σ δ: transposed, the wrong activation, one sample instead of
 * the batch, or a mean where a sum belongs.
 */
import { ReferenceBackprop, type LayerStep } from '../reference-backprop.js';
import type { Rows } from '../rows.js';
import { net, type Mutant } from './mutant.js';

class WeightGradientTransposed extends ReferenceBackprop {
  protected override addWeightGradient(dW: Rows, step: LayerStep): void {
    if (dW.length !== dW[0].length) return super.addWeightGradient(dW, step); // non-square: the indices would not fit
    const input = step.forward.a[step.layer];
    for (let n = 0; n < step.delta.length; n++) {
      for (let i = 0; i < dW.length; i++) for (let j = 0; j < dW[0].length; j++) dW[i][j] += step.delta[n][i] * input[n][j]; // δᵀ·a
    }
  }
}

class WeightGradientOwnActivation extends ReferenceBackprop {
  protected override addWeightGradient(dW: Rows, step: LayerStep): void {
    const own = step.forward.a[step.layer + 1]; // a_l, where a_{l−1} = a[layer] belongs
    if (own[0].length !== dW.length) return super.addWeightGradient(dW, step);
    for (let n = 0; n < step.delta.length; n++) {
      for (let i = 0; i < dW.length; i++) for (let j = 0; j < dW[0].length; j++) dW[i][j] += own[n][i] * step.delta[n][j];
    }
  }
}

class BiasFirstSample extends ReferenceBackprop {
  protected override addBiasGradient(db: number[], step: LayerStep): void {
    for (let j = 0; j < db.length; j++) db[j] += step.delta[0][j]; // the sum over the batch forgotten
  }
}

class PerSampleOverwrite extends ReferenceBackprop {
  protected override addWeightGradient(dW: Rows, step: LayerStep): void {
    const input = step.forward.a[step.layer];
    for (let n = 0; n < step.delta.length; n++) {
      for (let i = 0; i < dW.length; i++) for (let j = 0; j < dW[0].length; j++) dW[i][j] = input[n][i] * step.delta[n][j]; // = not +=
    }
  }

  protected override addBiasGradient(db: number[], step: LayerStep): void {
    for (let n = 0; n < step.delta.length; n++) for (let j = 0; j < db.length; j++) db[j] = step.delta[n][j]; // = not +=
  }
}

class BiasAveraged extends ReferenceBackprop {
  protected override addBiasGradient(db: number[], step: LayerStep): void {
    const n = step.delta.length;
    for (let i = 0; i < n; i++) for (let j = 0; j < db.length; j++) db[j] += step.delta[i][j] / n; // np.mean(δ, axis=0)
  }
}

const oneByOne = net(1, ['identity', 1]);

export const parameterGradientMutants: readonly Mutant[] = [
  {
    id: 'weight-gradient-transposed',
    title: 'Weight gradient transposed (square layer)',
    description: 'dW accumulated as δᵀ·a (outputs × inputs) into an inputs × outputs array; with a square layer the indices fit.',
    causes: ['weight-gradient-transposed'],
    shows: 'a square layer with ≥ 2 units',
    smallest: { network: net(2, ['identity', 2]), batch: 1, reduction: 'sum' },
    create: () => new WeightGradientTransposed('mutant weight-gradient-transposed'),
  },
  {
    id: 'weight-gradient-own-activation',
    title: "Weight gradient from the layer's own output",
    description: 'dW_l = a_lᵀ·δ_l instead of a_{l−1}ᵀ·δ_l (forward.a[l + 1] where forward.a[l] belongs); possible where inputs = outputs.',
    causes: ['weight-gradient-wrong-activation'],
    shows: 'a layer with as many inputs as outputs',
    smallest: { network: oneByOne, batch: 1, reduction: 'sum' },
    create: () => new WeightGradientOwnActivation('mutant weight-gradient-own-activation'),
  },
  {
    id: 'bias-first-sample',
    title: 'Bias gradient from the first sample',
    description: 'db = δ[0] instead of Σ_n δ[n]: right for batch 1, wrong for any larger batch.',
    causes: ['bias-first-sample'],
    shows: 'batch > 1',
    smallest: { network: oneByOne, batch: 2, reduction: 'sum' },
    create: () => new BiasFirstSample('mutant bias-first-sample'),
  },
  {
    id: 'per-sample-overwrite',
    title: 'Per-sample gradients assigned, not accumulated',
    description: 'A loop over samples writes dW = a[n]ᵀ·δ[n] and db = δ[n] with = instead of +=: only the last sample survives.',
    causes: ['last-sample-only'],
    shows: 'batch > 1',
    smallest: { network: oneByOne, batch: 2, reduction: 'sum' },
    create: () => new PerSampleOverwrite('mutant per-sample-overwrite'),
  },
  {
    id: 'bias-averaged',
    title: 'Bias gradient averaged over the batch',
    description: 'db = mean over samples of δ while dW sums them: the bias gradient N times too small.',
    causes: ['bias-averaged'],
    shows: 'batch > 1',
    smallest: { network: oneByOne, batch: 2, reduction: 'sum' },
    create: () => new BiasAveraged('mutant bias-averaged'),
  },
];
