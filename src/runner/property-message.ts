/**
 * The text a property run prints: the seed in use, and on failure fast-check's seed and path, the
 * shrunk case as a network description, the located mismatch with the report table, and the line
 * that replays it.
 */
import { describeEntry, formatNumber, renderReport, verdictLine, type RenderOptions } from '../check/report/render-report.js';
import { describeConventions } from '../adapters/conventions.js';
import type { ImplementationReport } from '../adapters/check-implementation.js';
import type { Diagnosis } from '../diagnosis/diagnosis.js';
import { renderDiagnosis } from '../diagnosis/render-diagnosis.js';
import type { StateDependence } from './state-dependence.js';

export interface RunFacts {
  readonly implementation: string;
  readonly seed: number;
  readonly seedSource: 'option' | 'GRADCHECK_SEED' | 'random';
  readonly runs: number;
  /** Random cases declined as unsupported (not in `runs`). */
  readonly declined?: number;
  /** Of `runs`, cases with an entry finite differences could not settle (and none failing). */
  readonly inconclusive?: number;
}

/**
 * `GRADCHECK_SEED=42 GRADCHECK_PATH="3:1:0" <your test command>, or options { seed: 42, path: "3:1:0" }`;
 * with a prelude (the cases a failure that depends on earlier calls needs first) also
 * `GRADCHECK_PRELUDE="3:1:0"` and `prelude: ["3:1:0"]`.
 */
export function replayLine(seed: number, path?: string, prelude?: readonly string[]): string {
  const withPrelude = path !== undefined && prelude !== undefined && prelude.length > 0;
  const env = path === undefined ? `GRADCHECK_SEED=${seed}` : `GRADCHECK_SEED=${seed} GRADCHECK_PATH="${path}"${withPrelude ? ` GRADCHECK_PRELUDE="${prelude.join(',')}"` : ''}`;
  const option = path === undefined ? `{ seed: ${seed} }` : `{ seed: ${seed}, path: "${path}"${withPrelude ? `, prelude: [${prelude.map((q) => `"${q}"`).join(', ')}]` : ''} }`;
  return `${env} <your test command>, or options ${option}`;
}

/**
 * What failed, for the headline: the gradients, or only the returned loss value, with its ratio to the
 * reference loss (`the returned loss disagrees with the reference forward pass (claimed = 4 × reference)`).
 */
export function failureHeadline(report: ImplementationReport): string {
  const loss = report.loss;
  if (report.report.verdict !== 'fail' && loss && !loss.agrees) {
    const ratio = loss.reference !== 0 ? ` (claimed = ${formatNumber(loss.claimed / loss.reference)} × reference)` : '';
    return `the returned loss disagrees with the reference forward pass${ratio}; the gradients agree with finite differences`;
  }
  return 'gradients disagree with finite differences';
}

/**
 * The report table of a counterexample. When only the returned loss fails, its closing verdict line
 * ("PASS: 3 of 3 entries agree …") is reworded so that a FAIL does not end in a bare PASS.
 */
export function renderCounterexampleReport(report: ImplementationReport, options: RenderOptions = {}): string {
  const text = renderReport(report.report, options);
  if (report.report.verdict === 'fail' || !report.loss || report.loss.agrees) return text;
  const line = verdictLine(report.report);
  const at = text.lastIndexOf(line);
  if (at < 0 || !line.startsWith('PASS: ')) return text;
  return `${text.slice(0, at)}The gradients pass (${line.slice('PASS: '.length)}); what fails is the returned loss value (above).${text.slice(at + line.length)}`;
}

/** The paragraph on a failure that depends on earlier calls; none when it does not (or could not be told). */
export function stateLines(state: StateDependence | undefined): string[] {
  if (!state?.dependsOnEarlierCalls) return [];
  if (state.companion !== undefined) {
    return [
      `this failure depends on earlier calls: alone on a fresh instance it passes; on a fresh instance after ${state.companion.replace(/, checked before .*$/, '')} it fails. The implementation keeps state between calls keyed by part of a case (a cache keyed by the inputs or by the weights, gradient buffers not reset). The replay below checks both.`,
    ];
  }
  const seen = [
    state.fresh !== undefined ? `on a fresh instance it ${verb(state.fresh)}` : undefined,
    state.again !== undefined ? `checked again at once it ${verb(state.again)}` : undefined,
    state.afterAnother !== undefined ? `checked right after another case (${state.afterCase}) it ${verb(state.afterAnother)}` : undefined,
  ].filter((x): x is string => x !== undefined);
  const replay =
    state.prelude !== undefined
      ? `On a fresh instance it fails again after the case${state.prelude.length === 1 ? '' : 's'} at fast-check path ${state.prelude.map((q) => `"${q}"`).join(', ')}; the replay below checks ${state.prelude.length === 1 ? 'it' : 'them'} first.`
      : state.fresh === undefined
        ? 'Without a fresh instance (options.fresh) the earlier cases that lead to it cannot be found: the replay below may pass.'
        : 'No short sequence of earlier cases reproduced it on a fresh instance: the replay below may pass.';
  return [`this failure depends on earlier calls: ${seen.join('; ')}. The implementation keeps state between calls (gradient buffers not reset, a cache that returns an earlier case's values). ${replay}`];
}

function verb(v: string): string {
  return v === 'fail' ? 'fails' : v === 'pass' ? 'passes' : 'is inconclusive';
}

export function seedLine(facts: RunFacts, path?: string): string {
  const from = facts.seedSource === 'random' ? 'random' : `from ${facts.seedSource === 'option' ? 'options.seed' : 'GRADCHECK_SEED'}`;
  return `fast-check seed ${facts.seed} (${from})${path === undefined ? '' : `, path "${path}"`}`;
}

export function passMessage(facts: RunFacts): string {
  const declined = facts.declined ? ` (${facts.declined} more declined as unsupported)` : '';
  const inconclusive = facts.inconclusive ? `, ${facts.inconclusive} of them with entries finite differences could not settle (inconclusive)` : '';
  return `PASS: ${facts.implementation}: ${facts.runs} random case${facts.runs === 1 ? ' agrees' : 's agree'} with finite differences${inconclusive}${declined}; ${seedLine(facts)}`;
}

/** Every case checked, none failing, none settled either. */
export function inconclusiveMessage(facts: RunFacts): string {
  return `INCONCLUSIVE: ${facts.implementation}: none of ${facts.runs} random case${facts.runs === 1 ? '' : 's'} failed, but none could be settled by finite differences (each had unresolved or only skipped entries: see docs/verdicts.md); ${seedLine(facts)}`;
}

/** The located mismatch: the first disagreeing entry, or the loss value when only the forward pass is wrong. */
export function mismatchLines(report: ImplementationReport): string[] {
  const out: string[] = [];
  const failures = report.report.failures;
  if (failures.length > 0) {
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    out.push(`mismatch: ${describeEntry(failures[0])}${more}`);
  }
  const loss = report.loss;
  if (loss && !loss.agrees) {
    out.push(`loss: claimed ${formatNumber(loss.claimed)}, reference ${formatNumber(loss.reference)}, abs err ${Math.abs(loss.claimed - loss.reference).toExponential(1)} > tolerance ${loss.tolerance.toExponential(1)}`);
  }
  return out;
}

/** What a failure carries besides its report: whether it depends on earlier calls, and its diagnosis. */
export interface FailureExtras {
  readonly state?: StateDependence;
  /** Paths checked before the counterexample by the replay line. */
  readonly prelude?: readonly string[];
  readonly diagnosis?: Diagnosis;
  readonly diagnosisError?: string;
}

export function failureMessage(facts: RunFacts, path: string, shrinks: number, description: string, report: ImplementationReport, extras: FailureExtras = {}): string {
  const state = stateLines(extras.state);
  return [
    `FAIL: ${facts.implementation}: ${failureHeadline(report)} after ${facts.runs} random case${facts.runs === 1 ? '' : 's'} (shrunk ${shrinks} time${shrinks === 1 ? '' : 's'})`,
    seedLine(facts, path),
    `counterexample: ${description}`,
    `conventions: ${describeConventions(report.conventions)}; mode ${report.mode}`,
    ...mismatchLines(report),
    ...(state.length ? ['', ...state] : []),
    '',
    renderCounterexampleReport(report),
    ...(extras.diagnosis ? ['', renderDiagnosis(extras.diagnosis)] : extras.diagnosisError !== undefined ? ['', `diagnosis: not available (${extras.diagnosisError})`] : []),
    '',
    `replay: ${replayLine(facts.seed, path, extras.prelude)}`,
  ].join('\n');
}

export function errorMessage(facts: RunFacts, path: string | undefined, description: string, error: Error): string {
  return [
    `gradcheck: ${facts.implementation} failed on a case (not a gradient mismatch; not shrunk): ${error.message}`,
    seedLine(facts, path),
    `case: ${description}`,
    `replay: ${replayLine(facts.seed, path)}`,
  ].join('\n');
}

export function usageMessage(implementation: string, error: Error): string {
  return `gradcheck: ${implementation}: the property could not run: ${error.message}`;
}
