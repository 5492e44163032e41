/**
 * Diagnoses a failed report with the implementation at hand, which can be asked more questions:
 *   1. the same case again, twice: different answers mean state kept between calls, and a second
 *      answer equal to the first plus the correct gradient means gradients accumulated, not reset;
 *   2. the fingerprints that reproduce the failing case (as in `diagnoseReport`);
 *   3. each of them recomputed on probe cases and compared with the implementation's answers there:
 *      only causes that reproduce every probe stay candidates.
 */
import { GradcheckError } from '../errors.js';
import { describeCase } from '../check/strategies/check-network.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import { checkImplementationCase, idCounter, type ImplementationReport } from '../adapters/check-implementation.js';
import type { Implementation } from '../adapters/implementation.js';
import { agreement } from './agreement.js';
import { CAUSE_TITLES } from './causes.js';
import { conclude } from './diagnose-report.js';
import { diagnosisCase, flatClaimed, type DiagnosisCase } from './diagnosis-case.js';
import type { CauseMatch, Diagnosis, ProbeRecord } from './diagnosis.js';
import { causeMatch, matchHypotheses, type Candidate } from './match-hypotheses.js';
import { probeCases } from './probe-cases.js';

export interface DiagnoseOptions {
  /** The case as the reference engine sees it. @default rebuilt from report.case */
  readonly case?: NetworkCase;
  /** Ask the implementation about probe cases to tell coinciding causes apart. @default true */
  readonly probes?: boolean;
}

export async function diagnoseImplementation(impl: Implementation, report: ImplementationReport, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  if (options.probes !== undefined && typeof options.probes !== 'boolean') {
    throw new GradcheckError('diagnoseImplementation', `options.probes is ${JSON.stringify(options.probes)}; expected true or false`);
  }
  const d = diagnosisCase(report, options.case);
  if (report.verdict === 'pass') return conclude(report, d, [], []);
  const ask = answerer(impl, report);

  const second = await ask(d.nc, d.withInputs);
  const third = await ask(d.nc, d.withInputs);
  const drift = [second, third].map((c) => agreement(d.claimed, c, d.tensors, d.tolerances, d.rounding));
  if (drift.some((a) => !a.agrees)) return concludeStateful(report, d, second, third, Math.max(...drift.map((a) => a.deviation)));

  let candidates = matchHypotheses(d);
  const confirmed = new Map<Candidate, number>(candidates.map((c) => [c, 0]));
  const probes: ProbeRecord[] = [];
  if (candidates.length > 0 && (options.probes ?? true)) {
    for (const probe of probeCases(d.nc, report.case.seed)) {
      let claimed: Float64Array;
      try {
        claimed = await ask(probe, d.withInputs);
      } catch (error) {
        probes.push({ description: describeCase(probe), error: error instanceof Error ? error.message : String(error), survivors: candidates.map((c) => c.hypothesis.key) });
        continue;
      }
      const p = diagnosisCase({ ...report, claimed: splitClaimed(claimed, probe) }, probe);
      candidates = candidates.filter((c) => {
        const predicted = c.hypothesis.predict(probe, d.withInputs);
        if (!predicted) return true;
        const holds = agreement(p.claimed, predicted, p.tensors, p.tolerances, p.rounding).agrees;
        if (holds) confirmed.set(c, (confirmed.get(c) ?? 0) + 1);
        return holds;
      });
      probes.push({ description: describeCase(probe), survivors: candidates.map((c) => c.hypothesis.key) });
    }
  }
  return conclude(report, d, candidates.map((c) => causeMatch(c, confirmed.get(c))), probes);
}

/** The implementation's claimed dL/dθ (and dL/dx) for a case, through its declared conventions. */
function answerer(impl: Implementation, report: ImplementationReport): (nc: NetworkCase, withInputs: boolean) => Promise<Float64Array> {
  const nextId = idCounter(1_000_000);
  const { rtol, atol } = report.report.tolerances;
  return async (nc, withInputs) => {
    // The cheapest check that still returns the mapped claim: one direction per tensor, no locating.
    const r = await checkImplementationCase(impl, nc, { seed: report.case.seed, nextId }, { strategy: 'directions', directions: 1, locate: false, rtol, atol });
    const flat = flatClaimed(r.claimed, nc.network.parameterCount);
    return withInputs || flat.length === nc.network.parameterCount ? flat : flat.subarray(0, nc.network.parameterCount);
  };
}

function splitClaimed(flat: Float64Array, nc: NetworkCase): ImplementationReport['claimed'] {
  const p = nc.network.parameterCount;
  return flat.length > p ? { parameters: flat.subarray(0, p), inputs: flat.subarray(p) } : { parameters: flat };
}

/** Third answer − second answer = correct gradient: the buffers keep the last answer and add to it. */
function concludeStateful(report: ImplementationReport, d: DiagnosisCase, second: Float64Array, third: Float64Array, deviation: number): Diagnosis {
  const step = third.map((v, q) => v - second[q]);
  const fit = agreement(step, d.correct, d.tensors, d.tolerances, d.rounding);
  const candidates: CauseMatch[] = fit.agrees
    ? [{ key: 'accumulated-across-calls', title: CAUSE_TITLES['accumulated-across-calls'], detail: 'each further call with the same case returned the previous answer plus the correct gradient', deviation: fit.deviation, worst: fit.worst, confirmedOn: 0 }]
    : [];
  return conclude(report, d, candidates, [], { calls: 3, deviation });
}
