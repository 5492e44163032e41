/**
 * What `gradcheck check` prints and writes: the header, the per-tensor summary over all random cases,
 * then the verdict. On a gradient failure: the shrunk counterexample, the located mismatch, its report,
 * the convention hints or the diagnosis, and the line that replays it (stdout). On a worker or usage
 * error: the error naming the worker, the case and its seed, and the replay line (stderr).
 */
import pc from './color.js';
import { describeConventions, type Conventions } from '../adapters/conventions.js';
import type { ConventionHint } from '../adapters/convention-hints.js';
import { describeReasons, type PropertyResult } from '../runner/assert-gradients.js';
import type { CaseConstraints } from '../arbitraries/network-case.js';
import { failureHeadline, mismatchLines, renderCounterexampleReport, stateLines } from '../runner/property-message.js';
import type { Diagnosis } from '../diagnosis/diagnosis.js';
import { renderDiagnosis } from '../diagnosis/render-diagnosis.js';
import { precisionHint } from './advice.js';
import { EXIT_GRADIENTS_WRONG, EXIT_INCONCLUSIVE, EXIT_PASS, EXIT_USAGE } from './exit-codes.js';
import type { CheckCommandOptions } from './check-options.js';
import { EXIT_SIGNAL, type Signal } from './interrupt.js';
import { renderSummary, type TensorSummary } from './summary-table.js';
import type { RunReport } from './case-recorder.js';
import type { CaseLine, CheckResultFields } from './check-result-schema.js';

/** What is printed about the worker: never its pid, so identical runs print identical output. */
export interface WorkerFacts {
  readonly name: string;
  readonly command: readonly string[];
  readonly conventions: Conventions;
}

export interface CheckOutcome {
  readonly worker: WorkerFacts;
  readonly options: CheckCommandOptions;
  readonly seedSource: 'from --seed' | 'from GRADCHECK_SEED' | 'random';
  /** The case constraints in force (the worker's supports ∩ the user's). */
  readonly constraints?: CaseConstraints;
  readonly result: PropertyResult;
  /** The per-tensor summary over the checked cases, and how many cases it covers. */
  readonly summary: readonly TensorSummary[];
  readonly cases: number;
  /** Cases checked whose answers could not be replayed for the summary (0 unless something is off). */
  readonly missing: number;
  readonly hints: readonly ConventionHint[];
  readonly diagnosis?: Diagnosis;
  /** The other weight layout, when the worker agrees with it (layout-hint.ts). */
  readonly layoutHint?: string;
  /** Why there is no diagnosis of a counterexample. */
  readonly diagnosisError?: string;
  /** The command line that replays the run (absent for a usage error). */
  readonly replay?: string;
}

/** 130/143 when interrupted, 2 for a worker or usage error (even after a gradient failure was found), 1 for a gradient failure, 0 for a pass. */
export function exitCodeOf(result: PropertyResult): CheckResultFields['exitCode'] {
  if (result.interrupted !== undefined && result.interrupted in EXIT_SIGNAL) return EXIT_SIGNAL[result.interrupted as Signal];
  if (result.error) return EXIT_USAGE;
  return result.verdict === 'pass' ? EXIT_PASS : result.verdict === 'inconclusive' ? EXIT_INCONCLUSIVE : EXIT_GRADIENTS_WRONG;
}

/** `constraints` are the effective ones, as flags (none: every case the generator makes). */
export function headerLines(worker: WorkerFacts, options: CheckCommandOptions, commandText: string, constraints: readonly string[] = []): string {
  return [
    `gradcheck check: ${worker.name} (${commandText})`,
    // The precision once, with where it came from (describeConventions would name it too).
    `conventions: ${describeConventions({ ...worker.conventions, precision: 'float64' })}; precision ${worker.conventions.precision}${options.precision !== undefined ? ' (--precision)' : ''}; mode ${options.mode}, strategy ${options.strategy}, rtol ${options.rtol.toExponential()}${options.atol !== undefined ? `, atol ${options.atol.toExponential()}` : ''}`,
    `cases: ${constraints.length === 0 ? 'any network (no constraints)' : constraints.join(' ')}`,
  ].join('\n');
}

export function renderOutcome(o: CheckOutcome, color = false): { stdout: string; stderr: string } {
  const { result } = o;
  const paint = (ok: boolean, s: string): string => (color ? (ok ? pc.green(s) : pc.red(s)) : s);
  const { summary } = o;
  const out: string[] = [];
  if (summary.length > 0) {
    out.push('', `Summary of ${plural(o.cases, 'random case')} (fast-check seed ${result.seed}):`, renderSummary(summary, { color }));
  }
  if (o.missing > 0) out.push(`note: ${plural(o.missing, 'checked case')} could not be replayed for this summary; the verdict below covers ${o.missing === 1 ? 'it' : 'them'}`);
  if (result.unsupported) {
    out.push(`note: ${o.worker.name} declined ${plural(result.unsupported.count, 'random case')} as unsupported: ${describeReasons(result.unsupported)}; they are not counted as checked`);
  }
  const seedLine = `fast-check seed ${result.seed} (${o.seedSource})${result.path === undefined ? '' : `, path "${result.path}"`}`;
  if (result.verdict === 'pass' || result.verdict === 'inconclusive') {
    const declined = result.unsupported ? ` (${result.unsupported.count} more declined as unsupported)` : '';
    const inconclusive = result.inconclusive ? `, ${result.inconclusive} of them with entries finite differences could not settle (inconclusive)` : '';
    out.push(
      '',
      result.verdict === 'pass'
        ? paint(true, `PASS: ${o.worker.name}: ${plural(result.runs, 'random case')} ${result.runs === 1 ? 'agrees' : 'agree'} with finite differences${inconclusive}${declined}; ${seedLine}`)
        : paint(false, `INCONCLUSIVE: ${o.worker.name}: none of ${plural(result.runs, 'random case')} failed, but none could be settled by finite differences${declined}; ${seedLine}`),
    );
  } else if (result.counterexample) {
    const { description, report } = result.counterexample;
    out.push(
      '',
      paint(false, `FAIL: ${o.worker.name}: ${failureHeadline(report)} (found after ${plural(result.runs, 'random case')}, then shrunk)`),
      seedLine,
      `counterexample: ${description}`,
      `conventions: ${describeConventions(report.conventions)}; mode ${report.mode}`,
      ...mismatchLines(report),
      ...(stateLines(result.state).length ? ['', ...stateLines(result.state)] : []),
      '',
      renderCounterexampleReport(report, { color }),
    );
    if (o.layoutHint) out.push('', `hint: ${o.layoutHint}`);
    else if (o.diagnosis) out.push('', renderDiagnosis(o.diagnosis));
    else {
      out.push(...o.hints.map((h) => `hint: ${h.text}`));
      if (o.diagnosisError) out.push(`diagnosis: not available (${o.diagnosisError})`);
    }
    const precision = precisionHint(o.diagnosis, o.hints);
    if (precision && !o.layoutHint) out.push(`hint: ${precision}`);
    if (o.replay) out.push('', `replay: ${o.replay}`);
  }
  const err: string[] = [];
  if (result.interrupted !== undefined) {
    // Not a verdict: the summary above covers the cases checked before the signal.
    err.push(`INTERRUPTED: ${result.error?.message ?? result.interrupted}`, `${seedLine}; to check again: ${o.replay ?? 'the same command'}`);
  } else if (result.error) {
    if (result.counterexample) {
      err.push(`gradcheck: an error while shrinking (the counterexample above is the smallest found before it): ${result.error.message}`);
    } else {
      const caseLine = /^case: .*$/m.exec(result.message)?.[0];
      err.push(`gradcheck: ${result.error.message}`);
      // A case the worker failed on (it has a path); not a run in which nothing could be checked.
      if (o.replay && result.path !== undefined) err.push(`(a worker error, not a gradient mismatch: the case was not shrunk)`, seedLine, ...(caseLine ? [caseLine] : []), `replay: ${o.replay}`);
      if (o.layoutHint) err.push(`hint: ${o.layoutHint}`);
    }
  }
  return { stdout: out.length > 0 ? `${out.join('\n')}\n` : '', stderr: err.length > 0 ? `${err.join('\n')}\n` : '' };
}

/**
 * Everything of the outcome as JSON fields except the cases (streamed by JsonOutput): options,
 * result, per-tensor summary, counterexample, hints, diagnosis, and the interrupt or error.
 */
export function outcomeFields(o: CheckOutcome, exitCode: CheckResultFields['exitCode']): Omit<CheckResultFields, 'caseTally' | 'notableCases' | 'caseReplay' | 'casesFile'> {
  const { result } = o;
  return {
    verdict: result.interrupted !== undefined && !result.counterexample ? 'interrupted' : result.error && !result.interrupted ? 'error' : result.verdict,
    exitCode,
    interrupted: result.interrupted ?? null,
    worker: o.worker,
    options: o.options,
    runs: result.runs,
    seed: result.seed,
    seedSource: o.seedSource,
    path: result.path ?? null,
    replay: o.replay ?? null,
    constraints: o.constraints ?? {},
    unsupported: result.unsupported ?? null,
    summary: o.summary,
    missing: o.missing,
    counterexample: result.counterexample ?? null,
    hints: o.hints,
    layoutHint: o.layoutHint ?? null,
    // What failed, in the words of the FAIL line: the gradients, or only the returned loss (with its ratio).
    headline: result.counterexample ? failureHeadline(result.counterexample.report) : null,
    // Whether the counterexample depends on earlier calls, and the prelude its replay checks first.
    state: result.state ?? null,
    diagnosis: o.diagnosis ?? null,
    // Float32 code checked as float64: how to declare it (the text line's hint).
    precisionHint: result.counterexample ? (precisionHint(o.diagnosis, o.hints) ?? null) : null,
    diagnosisError: o.diagnosisError ?? null,
    error: result.error ? { name: result.error.name, message: result.error.message } : null,
    // The runner names the seed as an API user gave it (options.seed); here it came from the command line.
    message: cliMessage(result.message, o),
  };
}

/**
 * The runner's message in the CLI's words: the seed's source as given on the command line, and the
 * replay line as a gradcheck command (the runner's says `GRADCHECK_SEED=… <your test command>`).
 */
export function cliMessage(message: string, o: Pick<CheckOutcome, 'seedSource' | 'replay'>): string {
  const seeded = message.replaceAll('(from options.seed)', `(${o.seedSource})`);
  return o.replay === undefined ? seeded : seeded.replace(/^replay: .*<your test command>.*$/m, `replay: ${o.replay}`);
}

/** One case of the JSON's `cases`. */
export function caseJson({ run, report }: RunReport): CaseLine {
  return { run, case: report.case, verdict: report.verdict, report: report.report, loss: report.loss ?? null };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
