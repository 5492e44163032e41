/**
 * Tests every fingerprint against a failing case: a cause is a candidate only if its recomputed
 * gradient reproduces every claimed entry within tolerance and differs from the correct gradient
 * (a mistake that changes nothing on this case proves nothing).
 */
import { agreement, type Agreement } from './agreement.js';
import { CAUSE_TITLES, type CauseKey } from './causes.js';
import type { DiagnosisCase } from './diagnosis-case.js';
import type { CauseMatch } from './diagnosis.js';
import { hypothesesFor, type Hypothesis } from './hypotheses.js';

export interface Candidate {
  readonly hypothesis: Hypothesis;
  readonly fit: Agreement;
}

/** One candidate per cause (the first fingerprint of that cause that reproduces the claim). */
export function matchHypotheses(d: DiagnosisCase): Candidate[] {
  const found = new Map<CauseKey, Candidate>();
  for (const hypothesis of hypothesesFor(d)) {
    if (found.has(hypothesis.key)) continue;
    const predicted = hypothesis.predict(d.nc, d.withInputs);
    if (!predicted) continue;
    if (agreement(predicted, d.correct, d.tensors, d.tolerances, d.rounding).agrees) continue;
    const fit = agreement(d.claimed, predicted, d.tensors, d.tolerances, d.rounding);
    if (fit.agrees) found.set(hypothesis.key, { hypothesis, fit });
  }
  return [...found.values()];
}

export function causeMatch(c: Candidate, confirmedOn = 0): CauseMatch {
  const h = c.hypothesis;
  return { key: h.key, title: CAUSE_TITLES[h.key], detail: h.detail, parameters: h.parameters, deviation: c.fit.deviation, worst: c.fit.worst, confirmedOn };
}
