/**
 * The causes a diagnosis can name: classic hand-written-backprop mistakes, each with a fingerprint
 * (an alternative gradient computation) in `hypotheses.ts`. A key is stable; titles are for people.
 */
export type CauseKey =
  // The whole gradient scaled by one number.
  | 'negated'
  | 'extra-factor-2'
  | 'missing-factor-2'
  | 'mean-not-divided'
  | 'mean-over-batch-only'
  | 'divided-by-batch'
  | 'scaled-by-learning-rate'
  | 'returns-update'
  // The activation derivative.
  | 'missing-activation-derivative'
  | 'derivative-of-activation'
  | 'derivative-formula-on-preactivation'
  | 'activation-instead-of-derivative'
  | 'activation-derivative-twice'
  | 'saturated-derivative-zeroed'
  // Passing the error down.
  | 'missing-transpose'
  | 'wrong-weight-matrix'
  | 'wrong-layer-error'
  | 'propagated-before-derivative'
  | 'updated-weights-in-backward'
  // Parameter gradients from δ.
  | 'weight-gradient-transposed'
  | 'weight-gradient-wrong-activation'
  | 'last-sample-only'
  | 'bias-first-sample'
  | 'bias-last-sample'
  | 'bias-averaged'
  // State between calls.
  | 'accumulated-across-calls';

export const CAUSE_TITLES: Readonly<Record<CauseKey, string>> = {
  negated: 'the gradient has the wrong sign (ŷ − y written as y − ŷ, or the negative gradient returned)',
  'extra-factor-2': 'an extra factor 2 (the ½ of a half-sum loss forgotten in the derivative)',
  'missing-factor-2': 'a missing factor 2 (d(ŷ − y)²/dŷ taken as (ŷ − y))',
  'mean-not-divided': 'the mean loss not divided by the element count N·K (the gradient of the sum)',
  'mean-over-batch-only': 'the mean loss divided by the batch size N only, not by N·K',
  'divided-by-batch': 'a summed loss divided by the batch size N',
  'scaled-by-learning-rate': 'every gradient scaled by one constant (a learning rate folded into the gradient)',
  'returns-update': 'an update −rate·gradient returned where the gradient is expected',
  'missing-activation-derivative': "the activation derivative σ'(z) missing",
  'derivative-of-activation': "the derivative applied to the activation instead of the pre-activation, σ'(σ(z))",
  'derivative-formula-on-preactivation': "σ'(z) computed as z(1 − z): the formula a(1 − a) fed z instead of a = σ(z)",
  'activation-instead-of-derivative': "the activation σ(z) multiplied in where its derivative σ'(z) belongs",
  'activation-derivative-twice': "the activation derivative σ'(z) applied twice",
  'saturated-derivative-zeroed': "σ' set to 0 for saturated units",
  'missing-transpose': 'a missing transpose in the backward pass: δ·W instead of δ·Wᵀ (square layers)',
  'wrong-weight-matrix': "the error passed down through the wrong layer's weights (W_{l−1} instead of W_l)",
  'wrong-layer-error': "the output layer's error propagated where a hidden layer's error belongs",
  'propagated-before-derivative': "the error passed down before multiplying by σ'(z) (dL/da instead of dL/dz)",
  'updated-weights-in-backward': 'weights already updated used to pass the error to earlier layers',
  'weight-gradient-transposed': 'the weight gradient transposed (δᵀ·a instead of aᵀ·δ, square layers)',
  'weight-gradient-wrong-activation': "the weight gradient built from the layer's own output a_l instead of its input a_{l−1}",
  'last-sample-only': 'parameter gradients assigned per sample instead of accumulated: only the last sample counts',
  'bias-first-sample': 'the bias gradient taken from the first sample instead of summed over the batch',
  'bias-last-sample': 'the bias gradient taken from the last sample instead of summed over the batch',
  'bias-averaged': 'the bias gradient averaged over the batch while the weights are summed',
  'accumulated-across-calls': 'gradients accumulated across calls instead of reset',
};

export const causeKeys = Object.keys(CAUSE_TITLES) as CauseKey[];
