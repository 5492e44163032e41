/**
 * Diagnoses a failed `ImplementationReport` from its evidence alone (no further calls to the
 * implementation): the fingerprints that reproduce the claim name the cause when exactly one does.
 */
import { describeCase } from '../check/strategies/check-network.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import type { ImplementationReport } from '../adapters/check-implementation.js';
import { conventionHints } from '../adapters/convention-hints.js';
import { diagnosisCase, type DiagnosisCase } from './diagnosis-case.js';
import type { CauseMatch, Diagnosis, ProbeRecord } from './diagnosis.js';
import { gatherEvidence } from './evidence.js';
import { causeMatch, matchHypotheses } from './match-hypotheses.js';
import { summaryLine } from './render-diagnosis.js';

export function diagnoseReport(report: ImplementationReport, nc?: NetworkCase): Diagnosis {
  const d = diagnosisCase(report, nc);
  return conclude(report, d, report.verdict === 'pass' ? [] : matchHypotheses(d).map((c) => causeMatch(c)), []);
}

/** Builds the diagnosis from the candidates that survived. */
export function conclude(report: ImplementationReport, d: DiagnosisCase, candidates: readonly CauseMatch[], probes: readonly ProbeRecord[], stateful?: Diagnosis['stateful']): Diagnosis {
  const evidence = gatherEvidence(d);
  const lossOnly = report.verdict === 'fail' && evidence.tensors.every((t) => t.agrees) && report.loss !== undefined && !report.loss.agrees;
  const verdict = report.verdict === 'pass' ? 'passed' : candidates.length === 1 ? 'named' : candidates.length > 1 ? 'ambiguous' : 'unknown';
  const match = verdict === 'named' ? candidates[0] : undefined;
  const base = {
    verdict,
    cause: match?.key,
    match,
    candidates,
    evidence,
    conventions: report.verdict === 'pass' ? [] : conventionHints(report, { parameters: d.correct.subarray(0, d.nc.network.parameterCount) }),
    probes,
    stateful,
    lossOnly,
    implementation: report.implementation,
    case: describeCase(d.nc),
  } as const;
  return { ...base, summary: summaryLine(base) };
}
