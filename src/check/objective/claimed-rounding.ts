/**
 * The rounding model of a network case (numerics/rounding.ts applied to the reference engine's
 * envelopes, engine/gradient-envelope.ts):
 * - the claimed side: a correct implementation in precision p may be off by min(γ_k(u_p)·G, λ·√k·u_p·G₂)
 *   per entry, with G the gradient envelope, G₂ its quadrature form (probableGradientEnvelope) and k the
 *   longest chain of rounded operations behind an entry, plus the
 *   kink-ambiguity envelope A: where a ReLU unit lies within its own rounding of its kink, a correct
 *   implementation may have it on either piece; and u_p·F, with F the forward-error envelope: how far the
 *   gradient moves because the implementation's own forward values are off by their rounding;
 * - the loss side: one evaluation in precision p is within λ·u_p·(residual·√L + sum·L) + (λ·u_p)²·second of
 *   the exact loss, with high probability (engine/gradient-envelope.ts, lossRoundingEnvelope).
 */
import { backpropChainLength, forwardErrorBounds, forwardErrorEnvelope, gradientEnvelope, kinkAmbiguityEnvelope, lossRoundingEnvelope, probableGradientEnvelope, ROUNDING_CONFIDENCE, type LossRoundingEnvelope } from '../../engine/gradient-envelope.js';
import { unitRoundoff, type Precision } from '../numerics/precision.js';
import { gamma, type LossRounding } from '../numerics/rounding.js';
import type { NetworkCase } from './network-objective.js';

/** Per entry (θ's layout: parameters, then inputs when checked): what a correct implementation may get wrong. */
export function networkClaimedRounding(c: NetworkCase, includeInputs: boolean, precision: Precision = 'float64'): Float64Array {
  // One backward pass in magnitudes and one forward-error pass serve the worst-case envelopes.
  const u = unitRoundoff(precision);
  const k = backpropChainLength(c.network, c.inputs.rows);
  const deltas: Float64Array[] = [];
  const worst = gradientEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction, deltas);
  const errors = forwardErrorBounds(c.network, c.params, c.inputs);
  const probable = probableGradientEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction);
  const ambiguity = kinkAmbiguityEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction, u, errors);
  const forward = forwardErrorEnvelope(c.network, c.params, c.inputs, c.targets, c.reduction, { deltas, errors });
  // The backward rounding is the smaller of the worst-case bound γ_k·G and the probable one λ·√k·u·G₂
  // (a bound with probability 1 − 2.5e-14): deep networks and large batches make G exceed G₂ by orders
  // of magnitude. The forward-error term stays worst case: its probable form, tried, failed correct
  // float32 and float64 cases in bench:verdicts where cancellation is what it must cover.
  const g = gamma(k, u);
  const gp = ROUNDING_CONFIDENCE * Math.sqrt(k) * u;
  const entry = (wG: number, pG: number, a: number, f: number): number => Math.min(g * wG, gp * pG) + a + u * f;
  const p = c.network.parameterCount;
  const rounding = new Float64Array(p + (includeInputs ? worst.inputs.length : 0));
  for (let i = 0; i < p; i++) rounding[i] = entry(worst.parameters[i], probable.parameters[i], ambiguity.parameters[i], forward.parameters[i]);
  if (includeInputs) for (let i = 0; i < worst.inputs.length; i++) rounding[p + i] = entry(worst.inputs[i], probable.inputs[i], ambiguity.inputs[i], forward.inputs[i]);
  return rounding;
}

/**
 * The bound on one loss evaluation's rounding for this case, computed in `precision`
 * (lossRoundingEnvelope); `fromLayer` (0-based): only rounding from that layer on, for lines that move
 * nothing before it.
 */
export function networkLossRounding(c: NetworkCase, precision: Precision = 'float64', fromLayer = 0, envelopes = new LossEnvelopes(c)): LossRounding {
  const envelope = envelopes.from(fromLayer);
  return boundOf(envelope.residual, envelope.sum, envelope.second, unitRoundoff(precision));
}

/**
 * One case's `lossRoundingEnvelope` per `fromLayer`, each computed on first use: a check reads the
 * same envelopes for the whole loss, per layer and per row (a forward pass and a forward-error pass
 * each). The case must not change while it is used.
 */
export class LossEnvelopes {
  private readonly computed: (LossRoundingEnvelope | undefined)[] = [];

  constructor(private readonly c: NetworkCase) {}

  from(fromLayer: number): LossRoundingEnvelope {
    const { network, params, inputs, targets, reduction } = this.c;
    return (this.computed[fromLayer] ??= lossRoundingEnvelope(network, params, inputs, targets, reduction, fromLayer));
  }
}

/**
 * Per layer l (index l: the parameters of layer l, 1-based; index 0: the inputs), the bound for lines
 * that move only layer l and what follows it.
 */
export function networkLayerLossRounding(c: NetworkCase, precision: Precision = 'float64', envelopes = new LossEnvelopes(c)): LossRounding[] {
  const bounds = [networkLossRounding(c, precision, 0, envelopes)];
  for (let l = 1; l <= c.network.layers.length; l++) bounds.push(l === 1 ? bounds[0] : networkLossRounding(c, precision, l - 1, envelopes));
  return bounds;
}

/** The same bound for each row's share of the loss (the screen differentiates one row at a time). */
export function networkRowLossRounding(c: NetworkCase, precision: Precision = 'float64', fromLayer = 0, envelopes = new LossEnvelopes(c)): LossRounding[] {
  const envelope = envelopes.from(fromLayer);
  const u = unitRoundoff(precision);
  // A row's second-order term is at most the whole batch's.
  return envelope.rows.map((row) => boundOf(row.residual, row.sum, envelope.second, u));
}

function boundOf(residual: number, sum: number, second: number, u: number): LossRounding {
  const lu = ROUNDING_CONFIDENCE * u;
  const secondOrder = lu * lu * second;
  return (loss) => {
    const l = Math.abs(loss);
    return lu * (residual * Math.sqrt(l) + sum * l) + secondOrder;
  };
}
