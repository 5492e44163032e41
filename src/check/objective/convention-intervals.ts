/**
 * A network case's convention intervals (engine/kink-conventions.ts) with a rounding bound per entry:
 * what the judge's kink rule reads when several units sit on their kinks at θ (numerics/judge.ts,
 * docs/verdicts.md).
 *
 * Rounding of an endpoint. An endpoint is a sum of T = `terms` backward passes' values
 * (engine/kink-conventions.ts): per row, G₀ (the row's paths avoiding its layer A's kinked units) and
 * C_k (the paths through unit k alone), plus one pass over the rows without kinked units. Each is a
 * float64 backward pass with every slope in [0, 1] over a set of paths disjoint from the others', so
 * their worst-case errors γ_k·G_i sum to at most γ_k·G (G the worst-case gradient envelope, whose
 * ReLU |σ′| is 1, so it holds for every convention; k the backward chain length); adding the T terms
 * adds at most γ_T·Σ|terms| (Higham's bound for a sum of T terms; `magnitude` bounds Σ|terms|). The
 * float64 claimed rounding r₆₄ (claimed-rounding.ts) is added for what it covers beyond that (the
 * forward values' own rounding, units within rounding of a kink). Hence
 * ρ = r₆₄ + γ_k·G + γ_T·magnitude.
 */
import { conventionBounds } from '../../engine/kink-conventions.js';
import { backpropChainLength, gradientEnvelope } from '../../engine/gradient-envelope.js';
import { unitRoundoff } from '../numerics/precision.js';
import { gamma } from '../numerics/rounding.js';
import { networkClaimedRounding } from './claimed-rounding.js';
import type { NetworkCase } from './network-objective.js';

/** Per entry, in θ's layout: the valid conventions' range [lower, upper] and the rounding of its endpoints. */
export interface ConventionIntervals {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly rounding: Float64Array;
  /** Units on their kink at θ. */
  readonly units: number;
}

/** In θ's layout (parameters, then inputs with `includeInputs`); undefined when no unit is on its kink, or too many are. */
export function networkConventionIntervals(c: NetworkCase, includeInputs: boolean): ConventionIntervals | undefined {
  const bounds = conventionBounds(c.network, c.params, c.inputs, c.targets, c.reduction, includeInputs);
  if (bounds === undefined) return undefined;
  const r64 = networkClaimedRounding(c, includeInputs, 'float64');
  const rounding = Float64Array.from(r64);
  const u = unitRoundoff('float64');
  const envelope = gradientEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction);
  const chain = gamma(backpropChainLength(c.network, c.inputs.rows), u);
  const sum = gamma(bounds.terms, u);
  const p = c.network.parameterCount;
  for (let i = 0; i < rounding.length; i++) {
    const g = i < p ? envelope.parameters[i] : envelope.inputs[i - p];
    rounding[i] += chain * g + sum * bounds.magnitude[i];
  }
  return { lower: bounds.lower, upper: bounds.upper, rounding, units: bounds.units };
}
