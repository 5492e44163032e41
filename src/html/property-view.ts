/**
 * A property run (`runGradientProperty`'s result, or the `GradientPropertyError` of `assertGradients`)
 * as HTML sections: the run's facts and replay, per tensor the distribution of every random case's worst
 * |claimed − numeric| / tolerance with its skipped and unresolved counts, the shrinking path, the
 * diagnosis, and the counterexample's pictures.
 */
import { renderDiagnosis } from '../diagnosis/render-diagnosis.js';
import type { PropertyResult } from '../runner/assert-gradients.js';
import type { ImplementationReport } from '../adapters/check-implementation.js';
import type { TensorRatios } from '../runner/run-record.js';
import { ratioPosition, RATIO_DOMAIN } from './color-scale.js';
import { escapeHtml, px } from './escape.js';
import { implementationSections } from './implementation-view.js';
import { factList, verdictBadge } from './page.js';

/** Bins of the distributions: one per decade of the colour scale's domain, plus the ends (clamped). */
const BINS = Math.round(Math.log10(RATIO_DOMAIN[1] / RATIO_DOMAIN[0]));

/** Tensor names in layer order, W before b, the input gradient x last (as the CLI's summary table). */
export function layerOrder(names: readonly string[]): string[] {
  const rank = (name: string): number => {
    const m = /^([A-Za-z]+)(\d+)$/.exec(name);
    if (!m) return Infinity;
    return Number(m[2]) * 2 + (m[1] === 'W' ? 0 : 1);
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The bins' labels: the first and last are open (the colour scale clamps there). */
export function binLabel(k: number): string {
  const lo = Math.log10(RATIO_DOMAIN[0]) + k;
  if (k === 0) return `< 1e${lo + 1}`;
  if (k === BINS - 1) return `≥ 1e${lo}`;
  return `1e${lo}–1e${lo + 1}`;
}

/** A histogram of err/tol over the colour scale's decades, with its count axis; bars past 1 (failing) in red. */
export function ratioHistogram(name: string, t: TensorRatios): string {
  const counts = new Array<number>(BINS).fill(0);
  for (const r of t.ratios) counts[Math.min(BINS - 1, Math.floor(ratioPosition(r) * BINS))]++;
  const most = Math.max(1, ...counts);
  const bar = 56;
  const left = 44;
  const height = 90;
  const width = left + BINS * bar + 10;
  const out = [`<svg class="histogram" data-tensor="${escapeHtml(name)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 44}" viewBox="0 0 ${width} ${height + 44}" role="img">`];
  // The count axis: 0 and the tallest bar's count, and what is counted.
  out.push(`<line class="axis" x1="${left - 3}" y1="4" x2="${left - 3}" y2="${height + 4}" stroke="#555"/>`);
  out.push(`<text class="tick count" x="${left - 6}" y="${height + 4}" text-anchor="end">0</text>`, `<text class="tick count" x="${left - 6}" y="12" text-anchor="end">${most}</text>`);
  out.push(`<text class="tick" x="2" y="${height / 2 + 8}">cases</text>`);
  const firstFailing = Math.round(-Math.log10(RATIO_DOMAIN[0]));
  counts.forEach((n, k) => {
    const h = (n / most) * height;
    const label = binLabel(k);
    out.push(`<rect class="${k >= firstFailing ? 'bar over' : 'bar'}" x="${left + k * bar}" y="${px(height - h + 4)}" width="${bar - 4}" height="${px(h)}"><title>${n} case${n === 1 ? '' : 's'} with worst err/tol ${label}</title></rect>`);
    out.push(`<text class="tick bin" x="${px(left + k * bar + (bar - 4) / 2)}" y="${height + 18}" text-anchor="middle">${label}</text>`);
  });
  out.push(`<text class="tick" x="${left}" y="${height + 36}">worst err/tol of each case = |claimed − numeric| / tolerance (&gt; 1 fails)</text>`);
  out.push('</svg>');
  return out.join('');
}

/** The sections of a property run. */
export function propertySections(result: PropertyResult, curves: number, found?: ImplementationReport): string {
  const out: string[] = [];
  const implementation = result.counterexample?.report.implementation;
  out.push(
    factList([
      ['verdict', verdictBadge(result.verdict)],
      ['implementation', implementation === undefined ? undefined : escapeHtml(implementation)],
      ['random cases', String(result.runs)],
      ['inconclusive cases', result.inconclusive ? String(result.inconclusive) : undefined],
      ['declined', result.unsupported ? String(result.unsupported.count) : undefined],
      ['fast-check seed', String(result.seed)],
      ['path', result.path === undefined ? undefined : `<code>${escapeHtml(result.path)}</code>`],
      ['replay', result.replay === undefined ? undefined : `<code>${escapeHtml(result.replay)}</code>`],
      ['error', result.error ? escapeHtml(result.error.message) : undefined],
    ]),
  );
  if (result.tensorRatios !== undefined) {
    out.push('<h2>Every random case, per tensor</h2>', "<p class=\"note\">Each case's worst entry per tensor: err/tol = |claimed − numeric| / tolerance, by decade (red: past the tolerance).</p>", '<div class="maps">');
    const ratios = result.tensorRatios;
    for (const [name, t] of layerOrder(Object.keys(ratios)).map((n) => [n, ratios[n]] as const)) {
      out.push(`<figure class="map"><figcaption><b>${escapeHtml(name)}</b>: ${t.ratios.length} cases, ${t.checked} entries checked, ${t.failed} failing, ${t.skipped} skipped, ${t.unresolved} unresolved</figcaption>${ratioHistogram(name, t)}</figure>`);
    }
    out.push('</div>');
  }
  if (result.shrinkPath !== undefined) {
    out.push('<h2>Shrinking</h2>', '<table class="shrink"><tr><th>step</th><th>parameters</th><th>layers</th><th>batch</th><th>case</th></tr>');
    result.shrinkPath.forEach((s, k) => out.push(`<tr><td>${k === 0 ? 'found' : k}</td><td>${s.parameters}</td><td>${s.layers}</td><td>${s.batch}</td><td>${escapeHtml(s.description)}</td></tr>`));
    out.push('</table>');
  }
  if (result.diagnosis !== undefined) out.push('<h2>Diagnosis</h2>', `<pre>${escapeHtml(renderDiagnosis(result.diagnosis))}</pre>`);
  else if (result.diagnosisError !== undefined) out.push('<h2>Diagnosis</h2>', `<p>No diagnosis: ${escapeHtml(result.diagnosisError)}</p>`);
  if (result.counterexample) {
    // The diagnosis is of the shrunk counterexample: its findings' entries are drawn on these maps.
    const shrunk = implementationSections(result.counterexample.report, curves, result.replay, result.diagnosis?.findings);
    if (found === undefined) out.push('<h2>Counterexample</h2>', `<p>${escapeHtml(result.counterexample.description)}</p>`, shrunk);
    else {
      // Side by side: what the search found, and what shrinking kept of it.
      out.push(
        '<div class="pair">',
        `<section class="shrunk"><h2>Counterexample (shrunk)</h2><p>${escapeHtml(result.counterexample.description)}</p>${shrunk}</section>`,
        `<section class="found"><h2>The case found, before shrinking</h2><p>${escapeHtml(found.report.label ?? '')}</p>${implementationSections(found, 0)}</section>`,
        '</div>',
      );
    }
  }
  out.push('<h2>Message</h2>', `<pre>${escapeHtml(result.message)}</pre>`);
  return out.join('\n');
}
