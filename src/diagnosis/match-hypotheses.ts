/**
 * Tests hypotheses against a case: one reproduces it when its recomputed gradient agrees with every
 * claimed entry by the judge's allowance (agreement.ts) and, when it changes the forward pass and the
 * implementation returned a loss, its loss agrees too. On the counterexample it must also differ from
 * the correct gradient (a mistake that changes nothing there proves nothing).
 */
import { networkClaimedRounding } from '../check/objective/claimed-rounding.js';
import { compareLoss, type LossComparison } from '../check/objective/loss-comparison.js';
import { onPrecisionGrid } from '../adapters/check-implementation.js';
import { agreement, type Agreement } from './agreement.js';
import { CAUSE_TITLES, type CauseKey } from './causes.js';
import type { DiagnosisCase } from './diagnosis-case.js';
import type { CauseMatch } from './diagnosis.js';
import { hypothesesFor, type Hypothesis } from './hypotheses.js';

/** A hypothesis that reproduced the counterexample, with how closely. */
export interface Candidate {
  readonly hypothesis: Hypothesis;
  readonly fit: Agreement;
}

/** No tolerance beyond the rounding model: what float64 arithmetic alone can get wrong. */
const EXACT = { rtol: 0, atol: 0 } as const;

/** How a hypothesis fares on one case: reproduces it, is refuted by it, or cannot say. */
export type Outcome = { readonly holds: true; readonly fit: Agreement; readonly telling: boolean } | { readonly holds: false } | { readonly holds: undefined };

/** Every hypothesis that reproduces the counterexample, in the order of `hypothesesFor`. */
export function matchHypotheses(d: DiagnosisCase, loss?: LossComparison): Candidate[] {
  const out: Candidate[] = [];
  for (const hypothesis of hypothesesFor(d)) {
    const o = testOn(hypothesis, d, loss, true);
    if (o.holds) out.push({ hypothesis, fit: o.fit });
  }
  return out;
}

/** Whether `h` reproduces the claimed gradients (and loss) of `d`. */
export function testOn(h: Hypothesis, d: DiagnosisCase, loss: LossComparison | undefined, mustDiffer: boolean): Outcome {
  const predicted = h.predict(d.nc, d.withInputs);
  if (!predicted) return { holds: undefined };
  const rounding = h.precision ? networkClaimedRounding(d.nc, d.withInputs, h.precision) : d.rounding;
  if (mustDiffer && !h.mayEqualCorrect && agreement(predicted, d.correct, d.tensors, d.tolerances, rounding).agrees) return { holds: false };
  const fit = agreement(d.claimed, predicted, d.tensors, d.tolerances, rounding);
  if (!fit.agrees) return { holds: false };
  if (h.check) {
    const checked = h.check(d);
    if (checked !== true) return { holds: checked };
  }
  if (h.precision && agreement(d.claimed, d.correct, d.tensors, EXACT, d.rounding).agrees) {
    // Within what float64 arithmetic can get wrong (exact zeros, representable results): no sign either way.
    return { holds: undefined };
  }
  if (loss && h.precision) {
    // Computed in that precision, the loss is compared the way a declared precision would have it.
    if (!compareLoss(loss.claimed, onPrecisionGrid(d.nc, h.precision), h.precision, d.tolerances).agrees) return { holds: false };
  } else if (loss && h.predictLoss) {
    // The loss comparison's tolerance (both computations' rounding and the judge's allowance) serves the predicted loss too.
    if (!(Math.abs(loss.claimed - h.predictLoss(d.nc)) <= loss.tolerance)) return { holds: false };
  }
  // Telling: the case tells the mistake from a correct implementation. A precision reproduces a claim
  // that float64 could not produce (checked above); any other mistake, where it changes the gradient
  // beyond the judge's allowance. A mistake that changes nothing on a case holds there without telling.
  const telling = h.precision !== undefined || !agreement(predicted, d.correct, d.tensors, d.tolerances, rounding).agrees;
  return { holds: true, fit, telling };
}

/**
 * The causes left: a fitted hypothesis goes when a fixed special case of it also stands (a scale
 * fitted to 2 is the doubled derivative); hypotheses of one cause at several places are one cause.
 */
export function standingCauses(candidates: readonly Candidate[]): Candidate[][] {
  const keys = new Set(candidates.map((c) => c.hypothesis.key));
  const kept = candidates.filter((c) => !(c.hypothesis.generalizes ?? []).some((k) => keys.has(k)));
  const byKey = new Map<CauseKey, Candidate[]>();
  for (const c of kept) byKey.set(c.hypothesis.key, [...(byKey.get(c.hypothesis.key) ?? []), c]);
  return [...byKey.values()];
}

/** A cause as the diagnosis reports it: its first (simplest) place, and the others that also stand. */
export function causeMatch(group: readonly Candidate[], confirmedOn = 0): CauseMatch {
  const h = group[0].hypothesis;
  const details = [...new Set(group.map((c) => c.hypothesis.detail).filter(Boolean))];
  const detail = details.length <= 1 ? (details[0] ?? '') : `${details[0]} (or ${details.slice(1, 3).join(', or ')}${details.length > 3 ? ', …' : ''})`;
  return { key: h.key, title: CAUSE_TITLES[h.key], detail, parameters: h.parameters, deviation: group[0].fit.deviation, worst: group[0].fit.worst, confirmedOn };
}
