/**
 * `gradcheck check`'s per-tensor summary over all random cases: for each tensor name (W1, b1, …, x),
 * the cases that had it, the entries checked, those skipped at ReLU kinks and those finite differences
 * could not settle (unresolved, docs/verdicts.md), the worst entry (the one
 * closest to, or furthest past, its tolerance, as in a single report) with its absolute error over
 * its tolerance (> 1 fails), its relative error and the run it came from, and a verdict. The ratio
 * comes first because a relative error alone misleads near zero: claimed 2e-15 against numeric
 * −8e-16 is a relative error of 1.4 and still agrees to rounding.
 */
import pc from './color.js';
import { severity, type EntryCheck } from '../check/report/report.js';
import type { RunReport } from './case-recorder.js';

export interface TensorSummary {
  readonly name: string;
  readonly layer: number;
  readonly kind: string;
  /** Random cases whose network has this tensor. */
  readonly cases: number;
  /** Entries (or directions, in directions strategy) compared, including skipped ones. */
  readonly checked: number;
  /** Skipped because θ sits on a ReLU kink. */
  readonly skipped: number;
  /** Entries finite differences could not settle. */
  readonly unresolved: number;
  /** Cases in which at least one of its entries disagreed. */
  readonly failedCases: number;
  /** The worst entry over all cases, with the run and case seed it came from; null when all were skipped. */
  readonly worst: { readonly entry: EntryCheck; readonly run: number; readonly caseSeed: number } | null;
  readonly verdict: 'pass' | 'fail';
}

/** The summary of runs added one at a time, in constant space (one row per tensor name). */
export class RunSummary {
  private readonly byName = new Map<string, { -readonly [K in keyof TensorSummary]: TensorSummary[K] }>();
  private count = 0;

  /** Random cases added. */
  get cases(): number {
    return this.count;
  }

  add({ run, report }: RunReport): void {
    this.count++;
    for (const t of report.report.tensors) {
      let s = this.byName.get(t.name);
      if (!s) this.byName.set(t.name, (s = { name: t.name, layer: t.layer, kind: t.kind, cases: 0, checked: 0, skipped: 0, unresolved: 0, failedCases: 0, worst: null, verdict: 'pass' }));
      s.cases++;
      s.checked += t.checked;
      s.skipped += t.skipped;
      s.unresolved += t.unresolved;
      if (t.verdict === 'fail') [s.failedCases, s.verdict] = [s.failedCases + 1, 'fail'];
      if (t.worst && (s.worst === null || severity(t.worst) > severity(s.worst.entry))) s.worst = { entry: t.worst, run, caseSeed: report.case.seed };
    }
  }

  tensors(): TensorSummary[] {
    // Layers in order, W before b, the input gradient x last (as in a single report).
    const rank = (s: TensorSummary) => (s.layer === 0 ? Infinity : s.layer * 2 + (s.kind === 'W' ? 0 : 1));
    return [...this.byName.values()].map((s) => ({ ...s })).sort((a, b) => rank(a) - rank(b));
  }
}

export function renderSummary(summaries: readonly TensorSummary[], options: { readonly color?: boolean } = {}): string {
  const paint = (ok: boolean, s: string): string => (options.color ? (ok ? pc.green(s) : pc.red(s)) : s);
  // Fits 100 columns for networks of up to 999,999 cases' worth of entries: `at` names the entry, the
  // run and that case's value seed in the shortest readable form.
  const header = ['tensor', 'cases', 'checked', 'skipped', 'unresolved', 'err/tol', 'rel err', 'worst at', 'verdict'];
  const rows = summaries.map((s) => [
    s.name,
    String(s.cases),
    String(s.checked),
    String(s.skipped),
    String(s.unresolved),
    s.worst ? ratio(severity(s.worst.entry)) : '-',
    s.worst ? s.worst.entry.relativeError.toExponential(1) : '-',
    s.worst ? `${at(s.worst.entry)} run ${s.worst.run} seed ${s.worst.caseSeed}` : '-',
    s.verdict === 'pass' ? 'pass' : `FAIL (${s.failedCases}/${s.cases} cases)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [options.color ? pc.dim(line(header)) : line(header)];
  summaries.forEach((s, i) => {
    const cells = [...rows[i]];
    cells[cells.length - 1] = paint(s.verdict === 'pass', cells[cells.length - 1]);
    out.push(line(cells));
  });
  return out.join('\n');
}

/** 0.022, or 1.6e-6 and 7.6e+5 away from ordinary sizes. */
function ratio(x: number): string {
  return x >= 0.01 && x < 1000 ? x.toPrecision(2) : x.toExponential(1);
}

function at(e: EntryCheck): string {
  return e.direction !== undefined ? `dir ${e.direction}` : `[${e.row},${e.col}]`;
}
