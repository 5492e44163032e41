/**
 * Mistakes in what is handed back: a learning rate folded in, an update instead of a gradient, and
 * gradient buffers that are never reset between calls.
 */
import type { GradientCase, GradientResult } from '../../src/adapters/implementation.js';
import { ReferenceBackprop, type Forward, type LayerGradient } from '../reference-backprop.js';
import { net, type Mutant } from './mutant.js';

function scaled(gradients: LayerGradient[], factor: number): LayerGradient[] {
  return gradients.map(({ W, b }) => ({ W: W.map((row) => row.map((v) => factor * v)), ...(b ? { b: b.map((v) => factor * v) } : {}) }));
}

class LearningRateFolded extends ReferenceBackprop {
  readonly learningRate = 0.01;

  protected override result(gradients: LayerGradient[], forward: Forward, c: GradientCase): GradientResult {
    return super.result(scaled(gradients, this.learningRate), forward, c); // dW *= lr left over from the optimizer
  }
}

class ReturnsUpdate extends ReferenceBackprop {
  readonly learningRate = 0.1;

  protected override result(gradients: LayerGradient[], forward: Forward, c: GradientCase): GradientResult {
    return super.result(scaled(gradients, -this.learningRate), forward, c); // the step −lr·dW, conventions not declared
  }
}

class AccumulatesAcrossCalls extends ReferenceBackprop {
  private readonly buffers = new Map<string, LayerGradient[]>();

  protected override startGradients(c: GradientCase): LayerGradient[] {
    // Allocated once per architecture, like buffers made in a model's constructor, and never zeroed.
    const key = JSON.stringify(c.network);
    let gradients = this.buffers.get(key);
    if (!gradients) {
      gradients = super.startGradients(c);
      this.buffers.set(key, gradients);
    }
    return gradients;
  }

  protected override result(gradients: LayerGradient[], forward: Forward, c: GradientCase): GradientResult {
    return super.result(scaled(gradients, 1), forward, c); // a copy: the buffers keep accumulating
  }
}

const oneByOne = net(1, ['identity', 1]);

export const returnedValueMutants: readonly Mutant[] = [
  {
    id: 'learning-rate-folded',
    title: 'Learning rate folded into the gradient',
    description: 'The returned gradient is lr·dL/dθ with lr = 0.01, a leftover of the update code.',
    causes: ['scaled-by-learning-rate'],
    shows: 'any case',
    smallest: { network: oneByOne, batch: 1, reduction: 'sum' },
    create: () => new LearningRateFolded('mutant learning-rate-folded'),
  },
  {
    id: 'returns-update',
    title: 'Update returned as the gradient',
    description: 'Returns the step −0.1·dL/dθ without declaring returns: "update": a convention mismatch gradcheck should recognise.',
    causes: ['returns-update'],
    shows: 'any case',
    smallest: { network: oneByOne, batch: 1, reduction: 'sum' },
    create: () => new ReturnsUpdate('mutant returns-update'),
  },
  {
    id: 'accumulates-across-calls',
    title: 'Gradients accumulated across calls',
    description: 'Gradient buffers live across calls (one set per architecture) and are never reset: the second call with the same architecture returns the sum of both gradients.',
    causes: ['accumulated-across-calls'],
    shows: 'a second call with the same architecture',
    smallest: { network: oneByOne, batch: 1, reduction: 'sum', calls: 2 },
    create: () => new AccumulatesAcrossCalls('mutant accumulates-across-calls'),
  },
];
