/**
 * Renders a `GradientReport` as a terminal table (optionally coloured) or as JSON.
 */
import picocolors from 'picocolors';

// Colours only when asked (`options.color`), whatever picocolors guesses from the environment.
const pc = picocolors.createColors(true);
import type { EntryCheck, GradientReport, TensorReport } from './report.js';

/** How `renderReport` prints a report. */
export interface RenderOptions {
  /** ANSI colours. Default: false (plain text, stable for logs and tests). */
  readonly color?: boolean;
  /** Failing entries listed after the table before "… and N more". Default 10. */
  readonly maxFailures?: number;
}

/** Significant digits enough to see a 1e-6 relative difference. */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? x.toPrecision(10).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : x.toExponential(6);
}

/** An error or a step: `0`, else two significant digits in exponent form. */
export function formatError(x: number): string {
  return x === 0 ? '0' : x.toExponential(1);
}

/** `W2[1,0]`, or `W2 direction 3` in directions mode. */
export function entryLabel(e: EntryCheck): string {
  return e.direction !== undefined ? `${e.tensor} dir ${e.direction}` : `${e.tensor}[${e.row},${e.col}]`;
}

/** One sentence locating an entry: `layer 2 W[1,0] (W2): claimed 0.51, numeric 0.505, …`. */
export function describeEntry(e: EntryCheck): string {
  const where = e.layer > 0 ? `layer ${e.layer} ${e.kind}` : `input ${e.kind}`;
  const at = e.direction !== undefined ? ` along random direction ${e.direction}` : `[${e.row},${e.col}]`;
  return (
    `${where}${at} (${e.tensor}): claimed ${formatNumber(e.claimed)}, numeric ${formatNumber(e.numeric)} ± ${formatError(e.errorEstimate)}, ` +
    `abs err ${formatError(e.absoluteError)}, rel err ${formatError(e.relativeError)} > tolerance ${formatError(e.tolerance)}`
  );
}

/** The report's last line: the verdict, with every skipped and unresolved entry counted. */
/** An unresolved entry: where, the claim, and the estimate that did not converge. */
function describeUnresolved(e: EntryCheck): string {
  const where = e.layer > 0 ? `layer ${e.layer} ${e.kind}` : `input ${e.kind}`;
  const at = e.direction !== undefined ? ` along random direction ${e.direction}` : `[${e.row},${e.col}]`;
  return `${where}${at} (${e.tensor}): claimed ${formatNumber(e.claimed)}, numeric ${formatNumber(e.numeric)} ± ${formatError(e.errorEstimate)} did not converge (last step ${formatError(e.step)}${e.nearKink ? ', next to a kink' : ''})`;
}

export function verdictLine(report: GradientReport): string {
  const { checked, skipped, unresolved } = report.counts;
  const unit = report.strategy !== 'full' ? 'checks' : 'entries';
  const skip = skipped > 0 ? `; ${skipped} skipped (θ on a kink, the claim between the one-sided derivatives)` : '';
  const open = unresolved > 0 ? `; ${unresolved} unresolved (finite differences could not settle ${unresolved === 1 ? 'it' : 'them'}, first: ${entryLabel(report.unresolved[0])})` : '';
  const agreeing = checked - skipped - unresolved;
  if (report.verdict === 'pass') return `PASS: ${agreeing} of ${checked} ${unit} agree with finite differences${skip}`;
  if (report.verdict === 'inconclusive') {
    const empty = report.tensors.filter((t) => t.checked - t.skipped - t.unresolved === 0).map((t) => t.name);
    const none = empty.length > 0 ? `; no entry of ${empty.join(', ')} could be settled` : '';
    return `INCONCLUSIVE: ${agreeing} of ${checked} ${unit} agree with finite differences${skip}${open}${none}`;
  }
  const skipFail = skip;
  const first = report.failures[0];
  const n = report.failures.length;
  const what = report.strategy !== 'full' ? (n === 1 ? 'check disagrees' : 'checks disagree') : n === 1 ? 'entry disagrees' : 'entries disagree';
  return `FAIL: ${n} ${what}${first ? ` (first: ${entryLabel(first)})` : ''}${skipFail}${open}`;
}

/**
 * The report as text: the verdict line, one line per tensor, and the failing and unresolved entries
 * with both values, their error estimates and the replay seed.
 *
 * @example
 * ```ts
 * console.log(renderReport(checkNetwork(problem), { color: false }));
 * ```
 */
export function renderReport(report: GradientReport, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const paint = (ok: boolean, s: string): string => (color ? (ok ? pc.green(s) : pc.red(s)) : s);
  const dim = (s: string): string => (color ? pc.dim(s) : s);
  const header = ['tensor', 'shape', 'checked', 'skipped', 'unresolved', 'worst', 'claimed', 'numeric', 'abs err', 'rel err', 'step', 'verdict'];
  const rows = report.tensors.map((t) => tensorRow(t));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out: string[] = [];
  const modes = {
    full: '(every entry)',
    // A unit projection over n entries sees a single entry's error diluted by about √n (check-options.ts).
    directions: `(random directions, seed ${report.seed}; a single wrong entry of an n-entry tensor shows only above √n·rtol)`, fast: `(fast: random directions and group probes, seed ${report.seed})` };
  const precision = report.precision !== 'float64' ? `, ${report.precision}` : '';
  const title = `gradcheck ${modes[report.strategy]}${precision}`;
  out.push(report.label ? `${title}: ${report.label}` : title);
  out.push(dim(line(header)));
  report.tensors.forEach((t, i) => {
    const cells = rows[i];
    cells[cells.length - 1] = paint(t.verdict === 'pass', cells[cells.length - 1]);
    out.push(line(cells));
  });
  const max = options.maxFailures ?? 10;
  if (report.failures.length > 0) {
    out.push('', `Disagreements (${report.failures.length}):`);
    for (const f of report.failures.slice(0, max)) out.push(`  ${describeEntry(f)}`);
    if (report.failures.length > max) out.push(`  … and ${report.failures.length - max} more (all are in the JSON report)`);
  }
  if (report.unresolved.length > 0) {
    out.push('', `Unresolved (${report.unresolved.length}):`);
    for (const u of report.unresolved.slice(0, max)) out.push(`  ${describeUnresolved(u)}`);
    if (report.unresolved.length > max) out.push(`  … and ${report.unresolved.length - max} more (all are in the JSON report)`);
  }
  out.push('', paint(report.verdict === 'pass', verdictLine(report)));
  return out.join('\n');
}

/** One tensor's row of the report table (shared by the function reports, which name their tensors by input or output). */
export function tensorRow(t: TensorReport): string[] {
  const w = t.worst;
  return [
    t.name,
    `${t.rows}×${t.cols}`,
    String(t.checked),
    String(t.skipped),
    String(t.unresolved),
    w ? (w.direction !== undefined ? `dir ${w.direction}` : `[${w.row},${w.col}]`) : '-',
    w ? formatNumber(w.claimed) : '-',
    w ? formatNumber(w.numeric) : '-',
    w ? formatError(w.absoluteError) : '-',
    w ? formatError(w.relativeError) : '-',
    w ? formatError(w.step) : '-',
    t.verdict === 'pass' ? 'pass' : t.verdict === 'fail' ? `FAIL (${t.failed})` : 'inconclusive',
  ];
}

/** The report as JSON: plain numbers, every failure included. */
export function reportToJson(report: GradientReport): string {
  return JSON.stringify(report, null, 2);
}
