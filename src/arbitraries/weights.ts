/**
 * Random weight regimes: ordinary (Glorot-like scales), saturating (sigmoid pre-activations far from
 * 0, where σ' is tiny), near-kink (biases chosen so some ReLU pre-activations sit exactly at 0 or
 * within 1e-9..1e-3 of it), and near-optimum (saturating weights, targets within 1e-2..1e-8 of the
 * prediction: a small residual next to large outputs, where the loss's rounding is not relative to
 * the loss). The values are drawn by `drawWeights` (and, for targets, `buildCase`) from a seed.
 */
import fc from 'fast-check';
import { choiceListField, fractionField, positiveListField, positiveNumberField, rejectUnknownFields } from './constraint-checks.js';

/** How weights are drawn: ordinary, saturating sigmoids, ReLU pre-activations at or near 0, or near an optimum (small residuals). */
export type WeightRegime = 'ordinary' | 'saturating' | 'near-kink' | 'near-optimum';

export const weightRegimes: readonly WeightRegime[] = ['ordinary', 'saturating', 'near-kink', 'near-optimum'];

/** Limits on generated weights: the regimes to draw from, the scales, the bias scale, and how saturated or how close to a kink. */
export interface WeightConstraints {
  /** Regimes to draw from; shrinking goes towards the first. @default ['ordinary', 'saturating', 'near-kink', 'near-optimum'] */
  readonly regimes?: readonly WeightRegime[];
  /** Weight scales s (W ~ N(0, s²/fan_in)); shrinking goes towards the first. @default [1, 0.5, 2] */
  readonly scales?: readonly number[];
  /** Standard deviation of biases. @default 0.5 */
  readonly biasScale?: number;
  /** `saturating`: spread of sigmoid layers' pre-activations (biases ~ N(0, s²), weights scaled to the layer's inputs). @default 10 */
  readonly saturation?: number;
  /** `near-kink`: fraction of biased ReLU units placed at or near their kink for one sample. @default 0.5 */
  readonly kinkFraction?: number;
}

/** Everything `drawWeights` needs besides the network, the inputs and the seed. */
export interface WeightRecipe {
  readonly regime: WeightRegime;
  readonly scale: number;
  readonly biasScale: number;
  readonly saturation: number;
  readonly kinkFraction: number;
}

export const WEIGHT_FIELDS = ['regimes', 'scales', 'biasScale', 'saturation', 'kinkFraction'] as const;

export function weights(constraints: WeightConstraints = {}): fc.Arbitrary<WeightRecipe> {
  const where = 'weights';
  rejectUnknownFields(where, constraints, WEIGHT_FIELDS);
  const regimes = choiceListField(where, 'regimes', constraints.regimes, weightRegimes, weightRegimes);
  const scales = positiveListField(where, 'scales', constraints.scales, [1, 0.5, 2]);
  const biasScale = positiveNumberField(where, 'biasScale', constraints.biasScale, 0.5);
  const saturation = positiveNumberField(where, 'saturation', constraints.saturation, 10);
  const kinkFraction = fractionField(where, 'kinkFraction', constraints.kinkFraction, 0.5);
  return fc.record({
    regime: fc.constantFrom(...regimes),
    scale: fc.constantFrom(...scales),
    biasScale: fc.constant(biasScale),
    saturation: fc.constant(saturation),
    kinkFraction: fc.constant(kinkFraction),
  });
}
