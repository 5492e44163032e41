/**
 * A diagnosis in words with the numbers behind it: the verdict line, the evidence tensor by tensor,
 * the layers that are right counting from the output, convention hints, and the probes that were run.
 */
import { formatNumber } from '../check/report/render-report.js';
import type { CauseMatch, Diagnosis } from './diagnosis.js';
import type { TensorEvidence } from './evidence.js';

/** The one-line verdict. */
export function summaryLine(d: Omit<Diagnosis, 'summary'>): string {
  if (d.verdict === 'passed') return 'The check passed: nothing to diagnose.';
  if (d.lossOnly) return 'Cause unknown: the claimed gradients equal the correct ones; only the returned loss value disagrees (look at the forward pass).';
  if (d.verdict === 'named' && d.match) {
    const m = d.match;
    return `Most likely cause: ${m.title}${m.detail ? ` — ${m.detail}` : ''}. Recomputing the gradients with this mistake reproduces every claimed entry (largest deviation ${formatError(m.deviation)}).`;
  }
  if (d.verdict === 'ambiguous') {
    return `Cause not determined: ${d.candidates.length} known mistakes each reproduce the claimed gradients on this case: ${d.candidates.map(label).join('; or ')}.`;
  }
  if (d.stateful) return 'Cause unknown: the implementation returned different gradients for the same case on repeated calls (state kept between calls), and no known fingerprint explains the difference.';
  return 'Cause unknown: no known mistake, recomputed, reproduces the claimed gradients.';
}

export function renderDiagnosis(d: Diagnosis): string {
  const out = [`Diagnosis of ${d.implementation} on ${d.case}:`, `  ${d.summary}`];
  if (d.verdict === 'passed') return out.join('\n');
  if (d.match?.parameters) out.push(`  Fitted: ${Object.entries(d.match.parameters).map(([k, v]) => `${k} = ${formatNumber(v)}`).join(', ')}.`);
  if (d.match && d.match.confirmedOn > 0) out.push(`  Confirmed on ${d.match.confirmedOn} probe case${d.match.confirmedOn === 1 ? '' : 's'}, where it also reproduces the implementation's answers.`);
  if (d.stateful) out.push(`  Repeated calls with the same case differed by up to ${formatError(d.stateful.deviation)}.`);
  out.push('  Evidence (claimed against the correct gradient, tensor by tensor):');
  const rows = d.evidence.tensors.map(tensorCells);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) out.push(`    ${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}`);
  out.push(`  ${layerLine(d)}`);
  if (d.evidence.uniformRatio !== undefined) {
    const meaning = d.evidence.uniformMeaning ? ` (${d.evidence.uniformMeaning})` : '';
    out.push(`  One ratio explains every entry: claimed = ${formatNumber(d.evidence.uniformRatio)}${meaning} × correct.`);
  }
  for (const hint of d.conventions) out.push(`  Convention: ${hint.text}.`);
  if (d.verdict === 'ambiguous') for (const c of d.candidates) out.push(`  Candidate: ${label(c)} (largest deviation ${formatError(c.deviation)}).`);
  for (const p of d.probes) {
    const standing = p.survivors.length === 0 ? 'no candidate still stands' : `${p.survivors.length === 1 ? '1 candidate still stands' : `${p.survivors.length} candidates still stand`} (${p.survivors.join(', ')})`;
    out.push(`  Probe ${p.description}: ${p.error ? `the implementation failed (${p.error}); ignored` : standing}.`);
  }
  return out.join('\n');
}

function label(c: CauseMatch): string {
  return c.detail ? `${c.title} — ${c.detail}` : c.title;
}

function tensorCells(t: TensorEvidence): string[] {
  const meaning = t.ratioMeaning ? ` (${t.ratioMeaning})` : '';
  const ratio = t.ratio === undefined ? 'the correct gradient is 0' : `claimed/correct ${formatNumber(t.ratio)}${t.ratioFits ? `${meaning} for every entry` : ' (least squares; no single ratio fits)'}`;
  return [t.name, `${t.rows}×${t.cols}`, t.agrees ? 'right' : 'WRONG', t.agrees ? '' : ratio, t.transposed ? 'equals the transpose of the correct gradient' : '', t.agrees ? '' : `max rel err ${formatError(t.maxRelativeError)}`];
}

function layerLine(d: Diagnosis): string {
  const { rightLayers, wrongLayers, firstWrongFromOutput } = d.evidence;
  if (wrongLayers.length === 0) return 'Every layer is right.';
  if (rightLayers.length === 0) return wrongLayers.length === 1 ? `The only layer, layer ${wrongLayers[0]}, is wrong.` : `No layer is right: layers ${wrongLayers.join(', ')} are all wrong.`;
  const output = wrongLayers.length + rightLayers.length;
  const where = firstWrongFromOutput === output ? ' (the output layer)' : '';
  return `Layers right: ${rightLayers.join(', ')}; the first wrong one counting from the output is layer ${firstWrongFromOutput}${where}.`;
}

function formatError(x: number): string {
  return x === 0 ? '0' : x.toExponential(1);
}
