/**
 * The sections of a gradient report: the per-tensor table, the network, a heat map per tensor of every
 * entry, and the error-versus-step curves of the worst entries.
 */
import type { ClaimedGradients } from '../adapters/gradient-case.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import { entryLabel, formatNumber, renderReport } from '../check/report/render-report.js';
import { severity, type EntryCheck, type GradientReport, type TensorReport } from '../check/report/report.js';
import { errorStepCurve } from './step-curve.js';
import { curveSvg } from './curve-chart.js';
import { escapeHtml, num, short } from './escape.js';
import { heatMapLegend, heatMapSvg, type HeatCell, type HeatMark } from './heat-map.js';
import type { Finding } from '../diagnosis/findings/finding.js';
import { networkSvg } from './network-diagram.js';
import { recordEntries } from './record-entries.js';

/** What the pictures need beyond the report. */
export interface GradientEvidence {
  /** The case checked (reference engine): every entry is drawn, and the curves are computed from its loss. */
  readonly case?: NetworkCase;
  /** The gradients that were checked against the case (default: the engine's own). */
  readonly claimed?: ClaimedGradients;
  /** Whether the case's loss is the one the report differentiated (false for a self check). Default true. */
  readonly sameLoss?: boolean;
  /** Curves drawn for the worst entries. */
  readonly curves: number;
  /** The diagnosis's findings about this case: their entries are outlined on the tensor's map. */
  readonly findings?: readonly Finding[];
}

/** The entries of tensor `t` that findings name, one mark per entry (a finding's sentence as its hover text). */
export function findingMarks(t: TensorReport, findings: readonly Finding[]): HeatMark[] {
  const marks = new Map<number, HeatMark>();
  for (const f of findings) {
    if (f.tensor !== t.name) continue;
    for (const q of f.indices) {
      if (q < 0 || q >= t.rows * t.cols) continue;
      const row = Math.floor(q / t.cols);
      const col = q % t.cols;
      const earlier = marks.get(q);
      marks.set(q, { row, col, label: `${t.name}[${row},${col}]`, title: earlier ? `${earlier.title}\n${f.text}` : `Finding: ${f.text}` });
    }
  }
  return [...marks.values()];
}

/** Where an entry is, as the text report says it (render-report.ts `describeEntry`). */
function where(e: EntryCheck): string {
  return `${e.layer > 0 ? `layer ${e.layer} ${e.kind}` : `input ${e.kind}`}[${e.row},${e.col}]`;
}

/** The hover text of one entry: the judge's numbers. */
export function entryTitle(e: EntryCheck): string {
  const ratio = e.tolerance > 0 ? e.absoluteError / e.tolerance : Infinity;
  return [
    `${entryLabel(e)} (${where(e)}): ${e.status}`,
    `claimed ${formatNumber(e.claimed)}`,
    `numeric ${formatNumber(e.numeric)} ± ${short(e.errorEstimate)} (${e.method}${e.nearKink ? ', next to a kink' : ''}${e.converged ? '' : ', not converged'})`,
    `|claimed − numeric| ${short(e.absoluteError)}, tolerance ${short(e.tolerance)}, err/tol ${short(ratio)}`,
    `step ${short(e.step)}`,
  ].join('\n');
}

/** The heat-map cell of an entry: its ratio is `severity` (report.ts), the ratio the report ranks by. */
export function entryCell(e: EntryCheck): HeatCell {
  const ratio = e.status === 'skipped' || e.status === 'unresolved' ? 0 : severity(e);
  return { row: e.row, col: e.col, ratio, status: e.status, title: entryTitle(e), label: entryLabel(e) };
}

function axes(t: TensorReport): { rowAxis: string; colAxis: string } {
  if (t.kind === 'W') return { rowAxis: 'input unit', colAxis: 'output unit' };
  if (t.kind === 'b') return { rowAxis: 'row', colAxis: 'unit' };
  if (t.kind === 'x') return { rowAxis: 'sample', colAxis: 'feature' };
  return { rowAxis: 'row', colAxis: 'column' };
}

function tensorTable(report: GradientReport): string {
  const head = ['tensor', 'shape', 'checked', 'failed', 'skipped', 'unresolved', 'worst', 'claimed', 'numeric', 'err/tol', 'verdict'];
  const rows = report.tensors.map((t) => {
    const w = t.worst;
    return [
      escapeHtml(t.name),
      `${t.rows}×${t.cols}`,
      String(t.checked),
      String(t.failed),
      String(t.skipped),
      String(t.unresolved),
      w ? escapeHtml(entryLabel(w)) : '-',
      w ? num(w.claimed) : '-',
      w ? num(w.numeric) : '-',
      w ? short(severity(w)) : '-',
      `<span class="verdict ${t.verdict}">${t.verdict}</span>`,
    ];
  });
  return `<table class="tensors"><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
}

/** The worst `n` entries: failures first by how far past the tolerance, then each tensor's worst. */
export function worstEntries(entries: readonly EntryCheck[], n: number): EntryCheck[] {
  const ranked = entries.filter((e) => e.status === 'fail' || e.status === 'pass').sort((a, b) => severity(b) - severity(a) || a.index - b.index);
  return ranked.slice(0, n);
}

/** The entries a report lists (failing, unresolved, each tensor's worst), each once; directions have no cell. */
function listedEntries(report: GradientReport): EntryCheck[] {
  const seen = new Set<number>();
  return [...report.failures, ...report.unresolved, ...report.tensors.flatMap((t) => (t.worst ? [t.worst] : []))].filter((e) => {
    if (e.direction !== undefined || seen.has(e.index)) return false;
    seen.add(e.index);
    return true;
  });
}

/** The sections for one report. */
export function gradientSections(report: GradientReport, evidence: GradientEvidence): string {
  const out: string[] = [];
  out.push('<h2>Tensors</h2>', tensorTable(report));
  const nc = evidence.case;
  if (nc !== undefined) out.push('<h2>Network</h2>', '<p class="note">Edges are a layer\'s weights W, circles its units (outlined by b), the first column the inputs (x); red: disagrees, amber: unsettled.</p>', networkSvg(nc.network.spec, report.tensors));
  const recheck = nc !== undefined && evidence.sameLoss !== false;
  const recorded = recheck ? recordEntries(nc, report, evidence.claimed) : undefined;
  const entries = recorded?.entries ?? listedEntries(report);
  out.push('<h2>Every entry</h2>');
  if (recorded === undefined) {
    out.push(`<p class="note">Only the entries the report lists (failing, unresolved and each tensor's worst) are drawn: ${nc === undefined ? 'the case was not given' : "a self check's loss is the implementation's own"}, so the other entries cannot be recomputed here.</p>`);
  } else if (report.strategy !== 'full') {
    out.push(`<p class="note">The report checked ${report.strategy === 'directions' ? 'random directions' : 'random directions and group probes'}; the maps show the same case checked entry by entry (${recorded.report.counts.checked} entries, ${recorded.report.counts.failed} failing).</p>`);
  }
  const findings = evidence.findings ?? [];
  const marked = report.tensors.some((t) => findingMarks(t, findings).length > 0);
  out.push(heatMapLegend(false, marked), '<div class="maps">');
  for (const t of report.tensors) {
    const cells = entries.filter((e) => e.tensor === t.name).map(entryCell);
    const counts = recorded?.report.tensors.find((r) => r.name === t.name) ?? t;
    const marks = findingMarks(t, findings);
    const named = marks.length ? `; ${marks.length} ${marks.length === 1 ? 'entry' : 'entries'} a finding names, outlined in blue` : '';
    out.push(
      `<figure class="map" data-tensor="${escapeHtml(t.name)}"><figcaption><b>${escapeHtml(t.name)}</b> ${t.rows}×${t.cols}: ${counts.checked} checked, ${counts.failed} failing, ${counts.skipped} skipped, ${counts.unresolved} unresolved${named}</figcaption>`,
      heatMapSvg({ rows: t.rows, cols: t.cols, ...axes(t) }, cells, marks),
      '</figure>',
    );
  }
  out.push('</div>');
  if (nc !== undefined && evidence.sameLoss !== false && evidence.curves > 0) {
    const worst = worstEntries(entries, evidence.curves);
    const includeInputs = report.tensors.some((t) => t.kind === 'x');
    out.push(
      '<h2>Error against step</h2>',
      '<p class="note">The plain central difference D(h) of the loss along each entry, against the checker\'s numeric value: truncation falls as h² at large steps, rounding rises as ε/h at small ones. The checker\'s Richardson-refined value at the chosen step, and its error estimate, sit at the bottom of the V; orange points are steps whose stencil crossed a kink.</p>',
      '<div class="maps curves">',
    );
    for (const e of worst) {
      out.push(`<figure class="map"><figcaption><b>${escapeHtml(entryLabel(e))}</b> (${escapeHtml(where(e))}, ${e.status}): claimed ${num(e.claimed)}, numeric ${num(e.numeric)} ± ${short(e.errorEstimate)}</figcaption>`, curveSvg(errorStepCurve(nc, e, includeInputs)), '</figure>');
    }
    out.push('</div>');
  }
  out.push('<h2>Text report</h2>', `<pre>${escapeHtml(renderReport(report))}</pre>`);
  return out.join('\n');
}
