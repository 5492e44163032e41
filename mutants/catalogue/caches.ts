/**
 * State keyed by part of a case: memos that a person adds for speed and keys by what they think
 * identifies a computation. Random cases never share a part, so these are caught only by the case
 * histories (src/arbitraries/case-history.ts): the same inputs under other weights, the same weights
 * under other inputs.
 */
import type { GradientCase, GradientResult } from '../../src/adapters/implementation.js';
import { ReferenceBackprop, type Forward } from '../reference-backprop.js';
import { net, type Mutant } from './mutant.js';

/** Memoises the forward pass by the input values: a new set of weights on the same batch reuses old activations. */
class ForwardCacheByInputs extends ReferenceBackprop {
  private readonly cache = new Map<string, Forward>();

  protected override forward(c: GradientCase): Forward {
    const key = JSON.stringify(c.inputs); // BUG: the weights are not part of the key
    let forward = this.cache.get(key);
    if (!forward) {
      forward = super.forward(c);
      this.cache.set(key, forward);
    }
    return forward;
  }
}

/** Memoises each sample's forward pass by its row of inputs: the same row under other weights reuses old values. */
class ForwardCacheByRow extends ReferenceBackprop {
  private readonly rows = new Map<string, { z: number[][]; a: number[][] }>();

  protected override forward(c: GradientCase): Forward {
    const fresh = super.forward(c);
    const z = fresh.z.map((m) => m.map((r) => r.slice()));
    const a = fresh.a.map((m) => m.map((r) => r.slice()));
    c.inputs.forEach((row, n) => {
      const key = JSON.stringify(row); // BUG: keyed by the sample alone
      const saved = this.rows.get(key);
      if (!saved) {
        this.rows.set(key, { z: z.map((m) => m[n]), a: a.map((m) => m[n]) });
        return;
      }
      saved.z.forEach((r, l) => (z[l][n] = r.slice()));
      saved.a.forEach((r, l) => (a[l][n] = r.slice()));
    });
    return { z, a };
  }
}

/** Memoises the whole answer by the weights: the same weights on a new batch return the old batch's gradients. */
class ResultCacheByWeights extends ReferenceBackprop {
  private readonly cache = new Map<string, GradientResult>();

  override gradients(c: GradientCase): GradientResult {
    const key = JSON.stringify(c.parameters); // BUG: the batch is not part of the key
    let result = this.cache.get(key);
    if (!result) {
      result = super.gradients(c);
      this.cache.set(key, result);
    }
    return result;
  }
}

const oneByOne = net(1, ['identity', 1]);

export const cacheMutants: readonly Mutant[] = [
  {
    id: 'forward-cache-keyed-by-inputs',
    title: 'Forward pass cached by the inputs',
    description: 'The forward pass is memoised by the input values only: checked again on the same batch with new weights, it returns the old activations.',
    causes: ['stale-forward-cache'],
    shows: 'the same inputs after other weights',
    smallest: { network: oneByOne, batch: 1, reduction: 'sum', calls: 2, shares: 'inputs' },
    create: () => new ForwardCacheByInputs('mutant forward-cache-keyed-by-inputs'),
  },
  {
    id: 'forward-cache-keyed-by-row',
    title: 'Forward pass cached per input row',
    description: "Each sample's forward values are memoised by its row of inputs: a row seen before under other weights keeps its old activations.",
    causes: ['stale-forward-cache'],
    shows: 'an input row seen before under other weights',
    smallest: { network: oneByOne, batch: 1, reduction: 'sum', calls: 2, shares: 'inputs' },
    create: () => new ForwardCacheByRow('mutant forward-cache-keyed-by-row'),
  },
  {
    id: 'result-cache-keyed-by-weights',
    title: 'Answer cached by the weights',
    description: 'The whole result is memoised by the parameters: the same weights on a new batch return the old batch’s gradients.',
    causes: ['stale-forward-cache'],
    shows: 'the same weights after other inputs',
    smallest: { network: oneByOne, batch: 1, reduction: 'sum', calls: 2, shares: 'weights' },
    create: () => new ResultCacheByWeights('mutant result-cache-keyed-by-weights'),
  },
];

/** The twin: the same memo keyed by every value of the case. */
export class CacheByWholeCase extends ReferenceBackprop {
  private readonly cache = new Map<string, GradientResult>();

  override gradients(c: GradientCase): GradientResult {
    const key = JSON.stringify([c.network, c.parameters, c.inputs, c.targets, c.reduction]);
    let result = this.cache.get(key);
    if (!result) {
      result = super.gradients(c);
      this.cache.set(key, result);
    }
    return result;
  }
}
