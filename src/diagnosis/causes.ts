/**
 * The causes a diagnosis can name: hand-written-backprop mistakes and readings of a case, each made
 * of hypotheses (variants of the reference backward pass) in `hypotheses.ts`. A key is stable (the
 * catalogues record them); titles are for people.
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
  | 'gradient-scaled-by-constant'
  | 'mean-over-wrong-count'
  | 'fixed-reduction'
  | 'loss-gradient-ignores-reduction'
  | 'cross-entropy-gradient'
  // The activation derivative.
  | 'missing-activation-derivative'
  | 'derivative-of-activation'
  | 'derivative-formula-on-preactivation'
  | 'activation-instead-of-derivative'
  | 'activation-derivative-twice'
  | 'saturated-derivative-zeroed'
  | 'activation-derivative-doubled'
  | 'wrong-activation-derivative'
  | 'activation-derivative-scaled'
  | 'activation-derivative-floored'
  | 'relu-derivative-negated'
  | 'relu-mask-inverted'
  | 'leaky-slope-left-in'
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
  | 'bias-summed-without-axis'
  | 'weights-averaged'
  | 'weight-decay-in-gradient'
  | 'bias-summed-over-wrong-axis'
  // How the case is read and computed.
  | 'weights-read-transposed'
  | 'float32-rounding'
  | 'mixed-precision'
  | 'loss-value-scaled'
  // State between calls.
  | 'accumulated-across-calls'
  | 'stale-forward-cache';

export const CAUSE_TITLES: Readonly<Record<CauseKey, string>> = {
  negated: 'the gradient has the wrong sign (ŷ − y written as y − ŷ, or the negative gradient returned)',
  'extra-factor-2': 'an extra factor 2 (the ½ of a half-sum loss forgotten in the derivative)',
  'missing-factor-2': 'a missing factor 2 (d(ŷ − y)²/dŷ taken as (ŷ − y))',
  'mean-not-divided': 'the mean loss not divided by the element count N·K (the gradient of the sum)',
  'mean-over-batch-only': 'the mean loss divided by the batch size N only, not by N·K',
  'divided-by-batch': 'a summed loss divided by the batch size N',
  'scaled-by-learning-rate': 'every gradient scaled by one constant (a learning rate folded into the gradient)',
  'returns-update': 'an update −rate·gradient returned where the gradient is expected',
  'gradient-scaled-by-constant': 'every gradient scaled by one constant, whatever the reduction (a factor folded into dL/dŷ)',
  'mean-over-wrong-count': 'the mean loss divided by the wrong count (not the N·K elements of the output)',
  'fixed-reduction': "the loss gradient of one fixed reduction, whatever the case's reduction",
  'loss-gradient-ignores-reduction': "dL/dŷ = c·(ŷ − y) whatever the case's reduction (the reduction's scale ignored)",
  'cross-entropy-gradient': "the cross-entropy output error c·(a − y) used under an MSE loss (σ'(z) missing at the output only)",
  'missing-activation-derivative': "the activation derivative σ'(z) missing",
  'derivative-of-activation': "the derivative applied to the activation instead of the pre-activation, σ'(σ(z))",
  'derivative-formula-on-preactivation': "σ'(z) computed as z(1 − z): the formula a(1 − a) fed z instead of a = σ(z)",
  'activation-instead-of-derivative': "the activation σ(z) multiplied in where its derivative σ'(z) belongs",
  'activation-derivative-twice': "the activation derivative σ'(z) applied twice",
  'saturated-derivative-zeroed': "σ' set to 0 for saturated units",
  'activation-derivative-doubled': "the activation derivative twice too large (2·σ'(z))",
  'wrong-activation-derivative': "another activation's derivative formula used (tanh's 1 − a², the sigmoid's a(1 − a), the ReLU's step)",
  'activation-derivative-scaled': "the activation derivative scaled by a constant factor",
  'activation-derivative-floored': "the sigmoid derivative clamped from below, max(σ'(z), floor)",
  'relu-derivative-negated': "the ReLU derivative with its sign flipped (−1 where z > 0)",
  'relu-mask-inverted': 'the ReLU mask inverted (1 where z ≤ 0, 0 where z > 0)',
  'leaky-slope-left-in': "a leaky ReLU's slope left in the derivative (slope where z ≤ 0 instead of 0)",
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
  'weights-read-transposed': 'square weights read in the other layout (W where Wᵀ is meant, forward and backward)',
  'float32-rounding': "float32 arithmetic, not a bug: the gradients equal the reference within float32 rounding (declare precision: 'float32')",
  'mixed-precision': 'part of the computation rounded to float32 while the rest is float64: a mixed precision, not float32 arithmetic throughout (declaring float32 would hide the float64 part, not explain it)',
  'weights-averaged': 'the weight gradient averaged over the batch while the bias is summed',
  'weight-decay-in-gradient': 'a weight-decay term λ·W added to the gradient (an L2 penalty the loss does not have)',
  'bias-summed-without-axis': 'the bias gradient summed without an axis: every entry the sum of the whole δ',
  'bias-summed-over-wrong-axis': 'the bias gradient summed over the wrong axis (over the outputs instead of the batch)',
  'loss-value-scaled': 'the returned loss value scaled by a constant (the gradients are right)',
  'stale-forward-cache': 'stale values: the answer does not change when the inputs or the weights do (a cache keyed by shape, or by part of the case, not by all its values)',
  'accumulated-across-calls': 'gradients accumulated across calls instead of reset',
};

export const causeKeys = Object.keys(CAUSE_TITLES) as CauseKey[];
