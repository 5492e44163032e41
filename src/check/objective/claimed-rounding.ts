/**
 * The per-entry claimed-rounding allowance of a reference-engine case (tolerance.ts): ROUNDING_FACTOR·ε
 * times the gradient envelope, for the parameters and, when checked, the inputs.
 */
import { gradientEnvelope } from '../../engine/gradient-envelope.js';
import type { NetworkCase } from './network-objective.js';
import { claimedRoundingOf } from '../numerics/tolerance.js';

export function networkClaimedRounding(c: NetworkCase, includeInputs: boolean): Float64Array {
  const envelope = gradientEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction);
  const p = c.network.parameterCount;
  const rounding = new Float64Array(p + (includeInputs ? envelope.inputs.length : 0));
  for (let i = 0; i < p; i++) rounding[i] = claimedRoundingOf(envelope.parameters[i]);
  if (includeInputs) for (let i = 0; i < envelope.inputs.length; i++) rounding[p + i] = claimedRoundingOf(envelope.inputs[i]);
  return rounding;
}
