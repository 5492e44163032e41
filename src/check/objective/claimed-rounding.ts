/**
 * The rounding model of a network case (numerics/rounding.ts applied to the reference engine's
 * envelopes, engine/gradient-envelope.ts):
 * - the claimed side: a correct implementation in precision p may be off by γ_k(u_p)·G per entry, with
 *   G the gradient envelope and k the longest chain of rounded operations behind an entry, plus the
 *   kink-ambiguity envelope A: where a ReLU unit lies within its own rounding of its kink, a correct
 *   implementation may have it on either piece; and u_p·F, with F the forward-error envelope: how far the
 *   gradient moves because the implementation's own forward values are off by their rounding;
 * - the loss side: one evaluation in precision p is within u_p·(residual·√L + sum·L) + u_p²·(residual/2)²
 *   of the exact loss.
 */
import { backpropChainLength, forwardErrorEnvelope, gradientEnvelope, kinkAmbiguityEnvelope, lossRoundingEnvelope } from '../../engine/gradient-envelope.js';
import { unitRoundoff, type Precision } from '../numerics/precision.js';
import { gamma, type LossRounding } from '../numerics/rounding.js';
import type { NetworkCase } from './network-objective.js';

/** Per entry (θ's layout: parameters, then inputs when checked): what a correct implementation may get wrong. */
export function networkClaimedRounding(c: NetworkCase, includeInputs: boolean, precision: Precision = 'float64'): Float64Array {
  const envelope = gradientEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction);
  const u = unitRoundoff(precision);
  const ambiguity = kinkAmbiguityEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction, u);
  const forward = forwardErrorEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction);
  const g = gamma(backpropChainLength(c.network, c.inputs.rows), u);
  const p = c.network.parameterCount;
  const rounding = new Float64Array(p + (includeInputs ? envelope.inputs.length : 0));
  for (let i = 0; i < p; i++) rounding[i] = g * envelope.parameters[i] + ambiguity.parameters[i] + u * forward.parameters[i];
  if (includeInputs) for (let i = 0; i < envelope.inputs.length; i++) rounding[p + i] = g * envelope.inputs[i] + ambiguity.inputs[i] + u * forward.inputs[i];
  return rounding;
}

/** The bound on one loss evaluation's rounding for this case, computed in `precision`. */
export function networkLossRounding(c: NetworkCase, precision: Precision = 'float64'): LossRounding {
  const { residual, sum } = lossRoundingEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction);
  const u = unitRoundoff(precision);
  // Second order too: where the residual is 0 the first-order terms vanish, and the squared residual
  // error s·Σe_r² = (residual/2)²·u² is all there is.
  const second = (residual / 2) ** 2 * u * u;
  return (loss) => {
    const l = Math.abs(loss);
    return u * (residual * Math.sqrt(l) + sum * l) + second;
  };
}
