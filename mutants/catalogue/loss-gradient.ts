/**
 * Mistakes in dL/dŷ, the error the backward pass starts from: sign, the factor 2, and the reduction's
 * scale (mean versus sum, off by the batch size or the element count).
 */
import type { Reduction } from '../../src/engine/loss.js';
import type { GradientCase } from '../../src/adapters/implementation.js';
import { ReferenceBackprop, type Forward } from '../reference-backprop.js';
import type { Rows } from '../rows.js';
import { net, type Mutant } from './mutant.js';

class SignFlipped extends ReferenceBackprop {
  protected override lossGradient(forward: Forward, c: GradientCase): Rows {
    const prediction = forward.a[forward.a.length - 1];
    const factor = 2 * this.lossScale(c.reduction, prediction.length, prediction[0].length);
    return prediction.map((row, i) => row.map((p, j) => factor * (c.targets[i][j] - p))); // y − ŷ
  }
}

class MeanNotDivided extends ReferenceBackprop {
  protected override lossScale(reduction: Reduction, n: number, k: number): number {
    return reduction === 'mean' ? 1 : super.lossScale(reduction, n, k); // forgot the 1/(N·K)
  }
}

class MeanOverBatchOnly extends ReferenceBackprop {
  protected override lossScale(reduction: Reduction, n: number, k: number): number {
    return reduction === 'mean' ? 1 / n : super.lossScale(reduction, n, k); // "mean over the batch"
  }
}

class SumDividedByBatch extends ReferenceBackprop {
  protected override lossGradient(forward: Forward, c: GradientCase): Rows {
    const error = super.lossGradient(forward, c);
    const n = error.length;
    // Averaging over the batch out of habit, though this loss is a sum.
    return c.reduction === 'mean' ? error : error.map((row) => row.map((e) => e / n));
  }
}

class HalfForgotten extends ReferenceBackprop {
  protected override lossGradient(forward: Forward, c: GradientCase): Rows {
    const prediction = forward.a[forward.a.length - 1];
    const n = prediction.length;
    const k = prediction[0].length;
    // d/dŷ of ½(ŷ − y)² written as 2(ŷ − y): the ½ forgotten.
    const factor = c.reduction === 'half-sum' ? 2 : 2 * this.lossScale(c.reduction, n, k);
    return prediction.map((row, i) => row.map((p, j) => factor * (p - c.targets[i][j])));
  }
}

class TwoForgotten extends ReferenceBackprop {
  protected override lossGradient(forward: Forward, c: GradientCase): Rows {
    const prediction = forward.a[forward.a.length - 1];
    const scale = this.lossScale(c.reduction, prediction.length, prediction[0].length);
    return prediction.map((row, i) => row.map((p, j) => scale * (p - c.targets[i][j]))); // d(r²)/dr taken as r
  }
}

export const lossGradientMutants: readonly Mutant[] = [
  {
    id: 'sign-flipped',
    title: 'Sign flipped in the output error',
    description: 'dL/dŷ computed as 2c(y − ŷ) instead of 2c(ŷ − y): every gradient has the wrong sign (a descent step would climb).',
    causes: ['negated'],
    shows: 'any case',
    smallest: { network: net(1, ['identity', 1]), batch: 1, reduction: 'sum' },
    create: () => new SignFlipped('mutant sign-flipped'),
  },
  {
    id: 'mean-not-divided',
    title: 'Mean loss not divided by N·K',
    description: 'With the mean reduction the 1/(N·K) is left out of dL/dŷ: the gradient of the summed loss, N·K times too large.',
    causes: ['mean-not-divided'],
    shows: 'MSE mean with N·K > 1',
    smallest: { network: net(1, ['identity', 1]), batch: 2, reduction: 'mean' },
    create: () => new MeanNotDivided('mutant mean-not-divided'),
  },
  {
    id: 'mean-over-batch-only',
    title: 'Mean over the batch only',
    description: 'The mean reduction divides by the batch size N but not by the K outputs: K times too large with several outputs.',
    causes: ['mean-over-batch-only'],
    shows: 'MSE mean with ≥ 2 outputs',
    smallest: { network: net(1, ['identity', 2]), batch: 1, reduction: 'mean' },
    create: () => new MeanOverBatchOnly('mutant mean-over-batch-only'),
  },
  {
    id: 'sum-divided-by-batch',
    title: 'Summed loss divided by the batch size',
    description: 'dL/dŷ divided by N although the loss is a sum (or half-sum): N times too small, so only batches > 1 show it.',
    causes: ['divided-by-batch'],
    shows: 'batch > 1, MSE sum or half-sum',
    smallest: { network: net(1, ['identity', 1]), batch: 2, reduction: 'sum' },
    create: () => new SumDividedByBatch('mutant sum-divided-by-batch'),
  },
  {
    id: 'half-forgotten',
    title: 'Missing ½ (half-sum)',
    description: 'The derivative of ½Σ(ŷ − y)² written as 2(ŷ − y): the ½ forgotten, every gradient twice too large.',
    causes: ['extra-factor-2'],
    shows: 'MSE half-sum',
    smallest: { network: net(1, ['identity', 1]), batch: 1, reduction: 'half-sum' },
    create: () => new HalfForgotten('mutant half-forgotten'),
  },
  {
    id: 'two-forgotten',
    title: 'Missing 2 from d(r²)/dr',
    description: 'The derivative of (ŷ − y)² taken as (ŷ − y) instead of 2(ŷ − y): every gradient half as large.',
    causes: ['missing-factor-2'],
    shows: 'any case',
    smallest: { network: net(1, ['identity', 1]), batch: 1, reduction: 'sum' },
    create: () => new TwoForgotten('mutant two-forgotten'),
  },
];
