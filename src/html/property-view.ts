/**
 * A property run (`runGradientProperty`'s result, or the `GradientPropertyError` of `assertGradients`)
 * as HTML sections: the run's facts and replay, per tensor the distribution of every random case's worst
 * |claimed − numeric| / tolerance with its skipped and unresolved counts, the shrinking path, the
 * diagnosis, and the counterexample's pictures.
 */
import { renderDiagnosis } from '../diagnosis/render-diagnosis.js';
import type { PropertyResult } from '../runner/assert-gradients.js';
import type { TensorRatios } from '../runner/run-record.js';
import { ratioPosition, RATIO_DOMAIN } from './color-scale.js';
import { escapeHtml, px } from './escape.js';
import { implementationSections } from './implementation-view.js';
import { factList, verdictBadge } from './page.js';

/** Bins of the distributions: one per decade of the colour scale's domain, plus the ends (clamped). */
const BINS = Math.round(Math.log10(RATIO_DOMAIN[1] / RATIO_DOMAIN[0]));

/** A histogram of ratios over the colour scale's decades; bars past 1 (failing) in red. */
export function ratioHistogram(name: string, t: TensorRatios): string {
  const counts = new Array<number>(BINS).fill(0);
  for (const r of t.ratios) counts[Math.min(BINS - 1, Math.floor(ratioPosition(r) * BINS))]++;
  const most = Math.max(1, ...counts);
  const bar = 34;
  const height = 90;
  const width = BINS * bar + 10;
  const out = [`<svg class="histogram" data-tensor="${escapeHtml(name)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 30}" viewBox="0 0 ${width} ${height + 30}" role="img">`];
  const firstFailing = Math.round(-Math.log10(RATIO_DOMAIN[0]));
  counts.forEach((n, k) => {
    const h = (n / most) * height;
    const lo = Math.log10(RATIO_DOMAIN[0]) + k;
    out.push(`<rect class="${k >= firstFailing ? 'bar over' : 'bar'}" x="${5 + k * bar}" y="${px(height - h + 4)}" width="${bar - 4}" height="${px(h)}"><title>${n} case${n === 1 ? '' : 's'} with worst ratio in [1e${lo}, 1e${lo + 1})${k === 0 ? ' or below' : k === BINS - 1 ? ' or above' : ''}</title></rect>`);
    out.push(`<text class="tick" x="${5 + k * bar}" y="${height + 18}">1e${lo}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

/** The sections of a property run. */
export function propertySections(result: PropertyResult, curves: number): string {
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
    out.push('<h2>Every random case, per tensor</h2>', "<p class=\"note\">Each case's worst entry per tensor: |claimed − numeric| / tolerance, by decade (red: past the tolerance).</p>", '<div class="maps">');
    for (const [name, t] of Object.entries(result.tensorRatios)) {
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
    out.push('<h2>Counterexample</h2>', `<p>${escapeHtml(result.counterexample.description)}</p>`, implementationSections(result.counterexample.report, curves, result.replay));
  }
  out.push('<h2>Message</h2>', `<pre>${escapeHtml(result.message)}</pre>`);
  return out.join('\n');
}
