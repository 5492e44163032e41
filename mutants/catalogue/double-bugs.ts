/**
 * Two mistakes at once. No single cause reproduces these, so a diagnosis must not name one unless
 * the case only shows one of the two (then naming that one is right).
 */
import { ReferenceBackprop, type Forward, type LayerAt, type LayerStep } from '../reference-backprop.js';
import type { GradientCase } from '../../src/adapters/implementation.js';
import { aligns, matmul, type Rows } from '../rows.js';
import { net, type Mutant } from './mutant.js';

class SignAndBiasFirstSample extends ReferenceBackprop {
  protected override lossGradient(forward: Forward, c: GradientCase): Rows {
    return super.lossGradient(forward, c).map((row) => row.map((e) => -e)); // y − ŷ
  }

  protected override addBiasGradient(db: number[], step: LayerStep): void {
    for (let j = 0; j < db.length; j++) db[j] += step.delta[0][j]; // first sample only
  }
}

class TransposeAndHiddenDerivative extends ReferenceBackprop {
  protected override layerDelta(error: Rows, at: LayerAt): Rows {
    return at.layer === at.case.parameters.length - 1 ? super.layerDelta(error, at) : error; // σ' only at the output
  }

  protected override propagate(step: LayerStep): Rows {
    const W = step.case.parameters[step.layer].W;
    return aligns(step.delta, W) ? matmul(step.delta, W) : super.propagate(step); // δ·W
  }
}

export const doubleBugMutants: readonly Mutant[] = [
  {
    id: 'sign-and-bias-first-sample',
    title: 'Sign flipped and bias from the first sample',
    description: 'Two bugs: dL/dŷ = 2c(y − ŷ), and db = δ[0].',
    causes: ['negated', 'bias-first-sample'],
    shows: 'any case (both with batch > 1)',
    smallest: { network: net(1, ['identity', 1]), batch: 1, reduction: 'sum' },
    alsoSmallest: [{ network: net(1, ['identity', 1]), batch: 2, reduction: 'sum' }],
    create: () => new SignAndBiasFirstSample('mutant sign-and-bias-first-sample'),
  },
  {
    id: 'transpose-and-hidden-derivative',
    title: "Missing transpose and hidden σ' missing",
    description: "Two bugs: δ·W instead of δ·Wᵀ on square layers, and no σ' below the output layer.",
    causes: ['missing-transpose', 'missing-activation-derivative'],
    shows: 'a non-identity hidden layer (both with a square layer above it)',
    smallest: { network: net(1, ['sigmoid', 1], ['identity', 1]), batch: 1, reduction: 'sum' },
    alsoSmallest: [{ network: net(1, ['identity', 2], ['identity', 2]), batch: 1, reduction: 'sum' }],
    create: () => new TransposeAndHiddenDerivative('mutant transpose-and-hidden-derivative'),
  },
];
