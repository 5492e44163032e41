/**
 * Renders a `FunctionReport`: the title, one line per tensor (the inputs of a VJP, the outputs of a
 * JVP, the ∂output/∂input pairs of a Jacobian), the failing and unresolved entries under their own
 * names and indices (`x[1,2]`, `∂y[0]/∂x[3]`), and the verdict line of every report.
 */
import picocolors from 'picocolors';
import { entryLabel, formatError, formatNumber, tensorRow, verdictLine, type RenderOptions } from '../report/render-report.js';
import type { FunctionReport, LocatedEntry } from './function-report.js';

const pc = picocolors.createColors(true);

/** A located entry in one line: its name, both values, the error estimate and how far past its tolerance it is. */
export function describeLocated(l: LocatedEntry): string {
  const e = l.entry;
  const values = `claimed ${formatNumber(e.claimed)}, numeric ${formatNumber(e.numeric)} ± ${formatError(e.errorEstimate)}`;
  if (e.status === 'unresolved') {
    const steps = l.steps !== undefined && l.steps.length > 0 ? `; steps tried ${l.steps.map((h, k) => `${formatError(h)} → ${formatNumber(l.estimates?.[k] ?? NaN)}`).join(', ')}` : '';
    return `${l.label}: ${values} did not converge (last step ${formatError(e.step)}${e.nearKink ? ', next to a kink' : ''})${steps}`;
  }
  return `${l.label}: ${values}, abs err ${formatError(e.absoluteError)}, rel err ${formatError(e.relativeError)} > tolerance ${formatError(e.tolerance)}`;
}

/**
 * The report as text (plain unless `options.color`).
 *
 * @example
 * ```ts
 * console.log(renderFunctionReport(checkVjp({ f, vjp, inputs })));
 * ```
 */
export function renderFunctionReport(report: FunctionReport, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const paint = (ok: boolean, s: string): string => (color ? (ok ? pc.green(s) : pc.red(s)) : s);
  const what = { vjp: 'vector–Jacobian product', jvp: 'Jacobian–vector product', jacobian: 'every Jacobian entry' }[report.check];
  const header = [report.check === 'jvp' ? 'output' : report.check === 'vjp' ? 'input' : 'entries', 'shape', 'checked', 'skipped', 'unresolved', 'worst', 'claimed', 'numeric', 'abs err', 'rel err', 'step', 'verdict'];
  const rows = report.tensors.map(tensorRow);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [`gradcheck ${report.function} (${what}${report.precision !== 'float64' ? `, ${report.precision}` : ''}): ${report.label ?? ''}`.trimEnd(), line(header)];
  report.tensors.forEach((t, i) => {
    const cells = rows[i];
    cells[cells.length - 1] = paint(t.verdict === 'pass', cells[cells.length - 1]);
    out.push(line(cells));
  });
  const max = options.maxFailures ?? 10;
  for (const [title, list] of [
    ['Disagreements', report.located.filter((l) => l.entry.status === 'fail')],
    ['Unresolved', report.located.filter((l) => l.entry.status === 'unresolved')],
  ] as const) {
    if (list.length === 0) continue;
    out.push('', `${title} (${list.length}):`);
    for (const l of list.slice(0, max)) out.push(`  ${describeLocated(l)}`);
    if (list.length > max) out.push(`  … and ${list.length - max} more (all are in the JSON report)`);
  }
  if (report.checksNothing === true) {
    out.push('', `Checks nothing: every entry's claim and numeric value lie within the estimate's own uncertainty (a saturated function?), so a wrong rule would pass here too; check it at another point.`);
  }
  out.push('', paint(report.verdict === 'pass', locatedVerdictLine(report)), `${report.evaluations} calls of ${report.function}${report.drawSeed !== undefined ? `; random ${report.check === 'jvp' ? 'tangent' : 'cotangent'} seed ${report.drawSeed}` : ''}`);
  return out.join('\n');
}

/** The verdict line of every report, its first entry named as the function names it. */
function locatedVerdictLine(report: FunctionReport): string {
  const text = verdictLine(report);
  const first = report.failures[0] ?? report.unresolved[0];
  const located = report.located.find((l) => l.entry === first) ?? report.located[0];
  return first !== undefined && located !== undefined ? text.replace(`first: ${entryLabel(first)}`, `first: ${located.label}`) : text;
}
