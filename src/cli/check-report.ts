/**
 * What `gradcheck check` prints and writes: the header, the per-tensor summary over all random cases,
 * then the verdict. On a gradient failure: the shrunk counterexample, the located mismatch, its report,
 * the convention hints or the diagnosis, and the line that replays it (stdout). On a worker or usage
 * error: the error naming the worker, the case and its seed, and the replay line (stderr).
 */
import pc from 'picocolors';
import { renderReport } from '../check/report/render-report.js';
import { describeConventions, type Conventions } from '../adapters/conventions.js';
import type { ConventionHint } from '../adapters/convention-hints.js';
import type { PropertyResult } from '../runner/assert-gradients.js';
import { mismatchLines } from '../runner/property-message.js';
import type { Diagnosis } from '../diagnosis/diagnosis.js';
import { renderDiagnosis } from '../diagnosis/render-diagnosis.js';
import { EXIT_GRADIENTS_WRONG, EXIT_PASS, EXIT_USAGE } from './exit-codes.js';
import type { RunReport } from './case-recorder.js';
import type { CheckCommandOptions } from './check-options.js';
import { renderSummary, summarizeRuns, type TensorSummary } from './summary-table.js';

export interface WorkerFacts {
  readonly name: string;
  readonly command: readonly string[];
  readonly pid: number;
  readonly conventions: Conventions;
}

export interface CheckOutcome {
  readonly worker: WorkerFacts;
  readonly options: CheckCommandOptions;
  readonly seedSource: 'from --seed' | 'from GRADCHECK_SEED' | 'random';
  readonly result: PropertyResult;
  readonly runs: readonly RunReport[];
  /** Cases checked whose answers could not be replayed for the summary (0 unless something is off). */
  readonly missing: number;
  readonly hints: readonly ConventionHint[];
  readonly diagnosis?: Diagnosis;
  /** Why there is no diagnosis of a counterexample. */
  readonly diagnosisError?: string;
  /** The command line that replays the run (absent for a usage error). */
  readonly replay?: string;
}

/** 2 for a worker or usage error (even after a gradient failure was found), 1 for a gradient failure, 0 for a pass. */
export function exitCodeOf(result: PropertyResult): number {
  if (result.error) return EXIT_USAGE;
  return result.verdict === 'pass' ? EXIT_PASS : EXIT_GRADIENTS_WRONG;
}

export function headerLines(worker: WorkerFacts, options: CheckCommandOptions, commandText: string): string {
  return [
    `gradcheck check: ${worker.name} (${commandText}, pid ${worker.pid})`,
    `conventions: ${describeConventions(worker.conventions)}; mode ${options.mode}, strategy ${options.strategy}, rtol ${options.rtol.toExponential()}`,
  ].join('\n');
}

export function renderOutcome(o: CheckOutcome, color = false): { stdout: string; stderr: string } {
  const { result } = o;
  const paint = (ok: boolean, s: string): string => (color ? (ok ? pc.green(s) : pc.red(s)) : s);
  const summary = summarizeRuns(o.runs);
  const out: string[] = [];
  if (summary.length > 0) {
    out.push('', `Summary of ${plural(o.runs.length, 'random case')} (fast-check seed ${result.seed}):`, renderSummary(summary, { color }));
  }
  if (o.missing > 0) out.push(`note: ${plural(o.missing, 'checked case')} could not be replayed for this summary; the verdict below covers ${o.missing === 1 ? 'it' : 'them'}`);
  const seedLine = `fast-check seed ${result.seed} (${o.seedSource})${result.path === undefined ? '' : `, path "${result.path}"`}`;
  if (result.verdict === 'pass') {
    out.push('', paint(true, `PASS: ${o.worker.name}: ${plural(result.runs, 'random case')} ${result.runs === 1 ? 'agrees' : 'agree'} with finite differences; ${seedLine}`));
  } else if (result.counterexample) {
    const { description, report } = result.counterexample;
    out.push(
      '',
      paint(false, `FAIL: ${o.worker.name}: gradients disagree with finite differences (found after ${plural(result.runs, 'random case')}, then shrunk)`),
      seedLine,
      `counterexample: ${description}`,
      `conventions: ${describeConventions(report.conventions)}; mode ${report.mode}`,
      ...mismatchLines(report),
      '',
      renderReport(report.report, { color }),
    );
    if (o.diagnosis) out.push('', renderDiagnosis(o.diagnosis));
    else {
      out.push(...o.hints.map((h) => `hint: ${h.text}`));
      if (o.diagnosisError) out.push(`diagnosis: not available (${o.diagnosisError})`);
    }
    if (o.replay) out.push('', `replay: ${o.replay}`);
  }
  const err: string[] = [];
  if (result.error) {
    if (result.counterexample) {
      err.push(`ERROR while shrinking (the counterexample above is the smallest found before it): ${result.error.message}`);
    } else {
      const caseLine = /^case: .*$/m.exec(result.message)?.[0];
      err.push(`ERROR: ${result.error.message}`);
      if (o.replay) err.push(`(a worker error, not a gradient mismatch: the case was not shrunk)`, seedLine, ...(caseLine ? [caseLine] : []), `replay: ${o.replay}`);
    }
  }
  return { stdout: out.length > 0 ? `${out.join('\n')}\n` : '', stderr: err.length > 0 ? `${err.join('\n')}\n` : '' };
}

/** The whole outcome as JSON: options, result, per-tensor summary, every case's report, hints, diagnosis. */
export function outcomeToJson(o: CheckOutcome, exitCode: number): string {
  const { result } = o;
  const summary: TensorSummary[] = summarizeRuns(o.runs);
  return JSON.stringify(
    {
      verdict: result.error ? 'error' : result.verdict,
      exitCode,
      worker: o.worker,
      options: o.options,
      runs: result.runs,
      seed: result.seed,
      seedSource: o.seedSource,
      path: result.path ?? null,
      replay: o.replay ?? null,
      summary,
      missing: o.missing,
      cases: o.runs.map(({ run, report }) => ({ run, case: report.case, verdict: report.verdict, report: report.report, loss: report.loss ?? null })),
      counterexample: result.counterexample ?? null,
      hints: o.hints,
      diagnosis: o.diagnosis ?? null,
      diagnosisError: o.diagnosisError ?? null,
      error: result.error ? { name: result.error.name, message: result.error.message } : null,
      message: result.message,
    },
    (_key, value: unknown) => (value instanceof Float64Array ? Array.from(value) : value),
    2,
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
