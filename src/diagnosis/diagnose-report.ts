/**
 * Diagnoses a failed `ImplementationReport` from its evidence alone (no further calls to the
 * implementation): the hypotheses that reproduce the counterexample name the cause when exactly one
 * cause does, tested on this case only (no probe cases, so no convention hint can be proven).
 */
import { describeCase } from '../check/strategies/check-network.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import type { ImplementationReport } from '../adapters/check-implementation.js';
import type { ConventionHint } from '../adapters/convention-hints.js';
import { diagnosisCase, type DiagnosisCase } from './diagnosis-case.js';
import type { CauseMatch, Diagnosis, ProbeRecord } from './diagnosis.js';
import { gatherEvidence } from './evidence.js';
import { causeMatch, matchHypotheses, standingCauses } from './match-hypotheses.js';
import { summaryLine } from './render-diagnosis.js';
import type { Finding } from './findings/finding.js';

/**
 * The diagnosis of a report without asking the implementation anything more.
 * @example
 * ```ts
 * const d = diagnoseReport(report);
 * console.log(d.summary);
 * ```
 */
export function diagnoseReport(report: ImplementationReport, nc?: NetworkCase): Diagnosis {
  const d = diagnosisCase(report, nc);
  const causes = report.verdict === 'pass' ? [] : standingCauses(matchHypotheses(d, report.loss)).map((g) => causeMatch(g));
  return conclude(report, d, causes, [], { confidence: 'the counterexample only (no probe cases were run)' });
}

/** What `conclude` adds to the causes and probes. */
export interface Conclusion {
  readonly stateful?: Diagnosis['stateful'];
  /** Convention hints proven on the counterexample and every probe. @default [] */
  readonly hints?: readonly ConventionHint[];
  /** How far a named cause was tested. */
  readonly confidence?: string;
  /** Facts about the wrong entries, verified on the counterexample and every probe (findings/). @default [] */
  readonly findings?: readonly Finding[];
}

/** Builds the diagnosis from the causes that stood. */
export function conclude(report: ImplementationReport, d: DiagnosisCase, candidates: readonly CauseMatch[], probes: readonly ProbeRecord[], more: Conclusion = {}): Diagnosis {
  const evidence = gatherEvidence(d, report.loss, report.conventions.precision);
  const lossOnly = report.verdict === 'fail' && evidence.tensors.every((t) => t.agrees) && report.loss !== undefined && !report.loss.agrees;
  const verdict = report.verdict === 'pass' ? 'passed' : candidates.length === 1 ? 'named' : candidates.length > 1 && !lossOnly ? 'ambiguous' : 'unknown';
  const match = verdict === 'named' ? candidates[0] : undefined;
  const base = {
    verdict,
    cause: match?.key,
    match,
    candidates: lossOnly && candidates.length > 1 ? [] : candidates,
    evidence,
    conventions: report.verdict === 'pass' ? [] : (more.hints ?? []),
    probes,
    findings: verdict === 'unknown' && !lossOnly ? (more.findings ?? []) : [],
    stateful: more.stateful,
    lossOnly,
    confidence: match ? more.confidence : undefined,
    implementation: report.implementation,
    case: describeCase(d.nc),
  } as const;
  return { ...base, summary: summaryLine(base) };
}
