/**
 * A loss value an implementation returned, against the reference engine's: they agree when they
 * differ by no more than both computations' rounding (objective/claimed-rounding.ts, in the
 * implementation's precision and in float64) plus the judge's allowance (rtol, atol).
 */
import { mseLoss, type Reduction } from '../../engine/loss.js';
import { allowance, type Tolerances } from '../numerics/judge.js';
import type { Precision } from '../numerics/precision.js';
import { networkLossRounding } from './claimed-rounding.js';
import type { NetworkCase } from './network-objective.js';

/** The implementation's loss value against the reference forward pass: both values, the tolerance, and whether they agree. */
export interface LossComparison {
  readonly claimed: number;
  readonly reference: number;
  readonly tolerance: number;
  readonly agrees: boolean;
}

export function compareLoss(claimed: number, nc: NetworkCase, precision: Precision, t: Tolerances, reduction: Reduction = nc.reduction): LossComparison {
  const c = { ...nc, reduction };
  const reference = mseLoss(c.network.prediction(c.network.forward(c.params, c.inputs)), c.targets.data, reduction);
  const rounding = networkLossRounding(c, precision)(reference) + networkLossRounding(c)(reference);
  const tolerance = rounding + allowance(claimed, reference, t);
  return { claimed, reference, tolerance, agrees: Math.abs(claimed - reference) <= tolerance };
}
