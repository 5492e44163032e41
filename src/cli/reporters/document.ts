/**
 * The part of `gradcheck check`'s JSON document (schemas/check-result.schema.json) that the CI
 * reporters read, and the texts they share: a case's title and a failure's mismatch lines.
 */
import { describeEntry, formatNumber } from '../../check/report/render-report.js';
import type { EntryCheck } from '../../check/report/report.js';

/** Mismatches listed per failure, as the CLI's report lists them; the rest are counted. */
const MAX_LISTED = 10;

/** Numbers JSON could not hold (±Infinity, NaN) arrive as null. */
type Jsonified<T> = { readonly [K in keyof T]: T[K] extends number ? number | null : T[K] };

export type ReportEntry = Jsonified<Pick<EntryCheck, 'tensor' | 'layer' | 'kind' | 'index' | 'row' | 'col' | 'direction' | 'claimed' | 'numeric' | 'errorEstimate' | 'absoluteError' | 'relativeError' | 'tolerance'>>;

export interface ReportCase {
  readonly run: number;
  readonly case: { readonly id: number; readonly seed: number };
  readonly verdict: string;
  readonly report: { readonly label?: string; readonly failures: readonly ReportEntry[]; readonly failureCount?: number };
  readonly loss?: unknown;
  /**
   * A check that is not a random network case (a function worker's `conv1d vjp`, a fixture): its
   * stable test name (else `run N`), its own printed outcome (else its mismatches), and the file and
   * line its GitHub annotation lands on (else the run's).
   */
  readonly name?: string;
  readonly message?: string;
  readonly file?: string;
  readonly line?: number;
}

export interface CheckDocument {
  readonly verdict: 'pass' | 'fail' | 'inconclusive' | 'error' | 'interrupted';
  readonly exitCode: number;
  readonly worker: { readonly name?: string; readonly command: readonly string[] };
  readonly runs: number;
  readonly seed?: number;
  readonly replay?: string | null;
  /** The command that replays any one random case, `<path>` standing for its path (run − 1); null when the run replayed a --path. */
  readonly caseReplay?: string | null;
  readonly interrupted?: string | null;
  readonly cases: readonly ReportCase[];
  readonly counterexample?: { readonly description: string; readonly report: { readonly report: { readonly failures: readonly ReportEntry[] } } } | null;
  readonly error?: { readonly name: string; readonly message: string } | null;
  /** On a failure, what failed in the words of the FAIL line (the gradients, or only the returned loss with its ratio). */
  readonly headline?: string | null;
  /** Cases the worker declined as unsupported (not checked), with their reasons. */
  readonly unsupported?: { readonly count: number; readonly reasons: ReadonlyArray<{ readonly reason: string; readonly count: number }> } | null;
  readonly message: string;
  /** The file GitHub annotations land on; default: the worker's script (`workerFile`). */
  readonly file?: string;
  /** The suite's name in JUnit and TAP; default `gradcheck check: <worker>`. */
  readonly suite?: string;
  /** Each check annotated on its own (function workers, fixtures), not the run as one. */
  readonly perCheck?: boolean;
  /** When and where the run happened (JUnit's timestamp, hostname and time); not part of the JSON document. */
  readonly timing?: RunTiming;
}

export interface RunTiming {
  /** Start of the run, ISO 8601 without a zone offset (UTC), as JUnit's timestamp: `2026-12-06T20:41:00`. */
  readonly timestamp: string;
  readonly hostname: string;
  /** Wall-clock seconds of the run. */
  readonly seconds: number;
}

/** The timing of a run that started at `start` and ends now. */
export function runTiming(start: Date, hostname: string, now = new Date()): RunTiming {
  return { timestamp: start.toISOString().slice(0, 19), hostname, seconds: (now.getTime() - start.getTime()) / 1000 };
}

/** What the reporters keep of a case: no tensors, parameters or inputs, the listed failures only (check.ts may hold many). */
export function caseForReports(c: ReportCase): ReportCase {
  const { label, failures } = c.report;
  return { run: c.run, case: { id: c.case.id, seed: c.case.seed }, verdict: c.verdict, report: { label, failures: failures.slice(0, MAX_LISTED), failureCount: failureCount(c) }, loss: c.loss ?? null, ...(c.name !== undefined && { name: c.name }), ...(c.message !== undefined && { message: c.message }), ...(c.file !== undefined && { file: c.file }), ...(c.line !== undefined && { line: c.line }) };
}

function failureCount(c: ReportCase): number {
  return c.report.failureCount ?? c.report.failures.length;
}

/** `3 random cases declined as unsupported: relu (3)`, or undefined when none was. */
export function declinedLine(doc: CheckDocument): string | undefined {
  const u = doc.unsupported;
  if (!u) return undefined;
  return `${u.count} random case${u.count === 1 ? '' : 's'} declined as unsupported: ${u.reasons.map((r) => `${r.reason} (${r.count})`).join('; ')}`;
}

/** `gradcheck check: numpy-mlp`, `gradcheck fixtures`. */
export function suiteName(doc: CheckDocument): string {
  return doc.suite ?? `gradcheck check: ${workerName(doc)}`;
}

export function workerName(doc: CheckDocument): string {
  return doc.worker.name ?? doc.worker.command.join(' ');
}

/** A case's stable test name: `run 3`, or the check's own (`conv1d vjp`). */
export function caseName(c: ReportCase): string {
  return c.name ?? `run ${c.run}`;
}

/** `run 3: [2 → sigmoid 2 → identity 1], batch 1, MSE sum, seed 123 (case id 3)`; `conv1d vjp: …` for a named check. */
export function caseTitle(c: ReportCase): string {
  if (c.name !== undefined) return c.report.label ? `${c.name}: ${c.report.label}` : c.name;
  return `run ${c.run}: ${c.report.label ?? `case ${c.case.id} (seed ${c.case.seed})`}`;
}

/** The located mismatches (at most ten, then how many more of `total`). */
export function mismatchLines(failures: readonly ReportEntry[], total = failures.length): string[] {
  const lines = failures.slice(0, MAX_LISTED).map((e) => `mismatch: ${describeEntry(withNumbers(e))}`);
  if (total > lines.length) lines.push(`(and ${total - lines.length} more)`);
  return lines;
}

/** A failing case's text: its mismatches (or, when only its loss value disagrees, that) and the line that replays it. */
export function caseFailureText(c: ReportCase, doc: CheckDocument): string {
  if (c.message !== undefined) return c.message;
  const lines = failureCount(c) > 0 ? mismatchLines(c.report.failures, failureCount(c)) : [lossLine(c.loss)];
  const replay = caseReplay(c, doc);
  if (replay) lines.push(`replay: ${replay}`);
  return lines.join('\n');
}

/** The CLI command that replays this case (random case `run` is fast-check path `run − 1`), else the run's replay line. */
export function caseReplay(c: ReportCase, doc: CheckDocument): string | null | undefined {
  return doc.caseReplay?.includes('<path>') ? doc.caseReplay.replace('<path>', String(c.run - 1)) : doc.replay;
}

/** `the returned loss disagrees with the reference forward pass: claimed 8, reference 2 (claimed = 4 × reference)`. */
function lossLine(loss: unknown): string {
  const l = loss as { claimed?: unknown; reference?: unknown } | null | undefined;
  if (typeof l?.claimed !== 'number' || typeof l.reference !== 'number') return `the loss value disagrees: ${JSON.stringify(loss)}`;
  const ratio = l.reference !== 0 ? ` (claimed = ${formatNumber(l.claimed / l.reference)} × reference)` : '';
  return `the returned loss disagrees with the reference forward pass: claimed ${formatNumber(l.claimed)}, reference ${formatNumber(l.reference)}${ratio}`;
}

function withNumbers(e: ReportEntry): EntryCheck {
  const n = (v: number | null) => v ?? Number.NaN;
  return { ...e, claimed: n(e.claimed), numeric: n(e.numeric), errorEstimate: n(e.errorEstimate), absoluteError: n(e.absoluteError), relativeError: n(e.relativeError), tolerance: n(e.tolerance) } as EntryCheck;
}
