/**
 * The text a property run prints: the seed in use, and on failure fast-check's seed and path, the
 * shrunk case as a network description, the located mismatch with the report table, and the line
 * that replays it.
 */
import { describeEntry, formatNumber, renderReport } from '../check/report/render-report.js';
import { describeConventions } from '../adapters/conventions.js';
import type { ImplementationReport } from '../adapters/check-implementation.js';

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

/** `GRADCHECK_SEED=42 GRADCHECK_PATH="3:1:0" <your test command>, or options { seed: 42, path: "3:1:0" }`. */
export function replayLine(seed: number, path?: string): string {
  const env = path === undefined ? `GRADCHECK_SEED=${seed}` : `GRADCHECK_SEED=${seed} GRADCHECK_PATH="${path}"`;
  const option = path === undefined ? `{ seed: ${seed} }` : `{ seed: ${seed}, path: "${path}" }`;
  return `${env} <your test command>, or options ${option}`;
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

export function failureMessage(facts: RunFacts, path: string, shrinks: number, description: string, report: ImplementationReport): string {
  return [
    `FAIL: ${facts.implementation}: gradients disagree with finite differences after ${facts.runs} random case${facts.runs === 1 ? '' : 's'} (shrunk ${shrinks} time${shrinks === 1 ? '' : 's'})`,
    seedLine(facts, path),
    `counterexample: ${description}`,
    `conventions: ${describeConventions(report.conventions)}; mode ${report.mode}`,
    ...mismatchLines(report),
    '',
    renderReport(report.report),
    '',
    `replay: ${replayLine(facts.seed, path)}`,
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
