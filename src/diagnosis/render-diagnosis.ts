/**
 * A diagnosis in words with the numbers behind it: the verdict line, the evidence tensor by tensor,
 * the layers that are right counting from the output, convention hints, and the probes that were run.
 */
import { formatError, formatNumber } from '../check/report/render-report.js';
import type { CauseMatch, Diagnosis } from './diagnosis.js';
import type { TensorEvidence } from './evidence.js';

/** The one-line verdict. */
export function summaryLine(d: Omit<Diagnosis, 'summary'>): string {
  if (d.verdict === 'passed') return 'The check passed: nothing to diagnose.';
  if (d.lossOnly && d.match?.key === 'float32-rounding') {
    // Not a forward-pass mistake: float32 code checked as float64, its loss off by float32 rounding only.
    return `Looks like float32 arithmetic, not a bug: the claimed gradients agree, and the returned loss differs from the reference only by float32 rounding (${formatNumber(d.evidence.loss!.claimed)} against ${formatNumber(d.evidence.loss!.reference)}); declare precision: 'float32'. Recomputing in float32 reproduces the loss and every claimed entry${d.confidence ? ` on ${d.confidence}` : ''}.`;
  }
  if (d.lossOnly) {
    const confirmed = d.match && d.confidence ? ` Most likely cause: ${d.match.title} — ${d.match.detail}, on ${d.confidence}.` : '';
    return `Loss-only disagreement: the claimed gradients equal the correct ones, but ${lossRelation(d)} (look at the forward pass or the loss value).${confirmed}`;
  }
  if (d.verdict === 'named' && d.match) {
    const m = d.match;
    const on = d.confidence ? ` on ${d.confidence}` : '';
    return `Most likely cause: ${m.title}${m.detail ? ` — ${m.detail}` : ''}. Recomputing the gradients with this mistake reproduces every claimed entry${on} (largest deviation on the counterexample ${formatError(m.deviation)}).`;
  }
  if (d.verdict === 'ambiguous') {
    return `Cause not determined: ${d.candidates.length} known mistakes each reproduce the claimed gradients${d.probes.length ? ' on the counterexample and every probe case' : ' on this case'}: ${d.candidates.map(label).join('; or ')}.`;
  }
  const known = whatIsKnown(d);
  if (d.stateful) return `Cause unknown: the implementation returned different gradients for the same case on repeated calls (state kept between calls), and no known mistake explains the difference. ${known}`;
  const refuted = [...new Set(d.probes.flatMap((p) => p.refuted))];
  const tested = refuted.length ? ` (${refuted.length === 1 ? '1 cause matched' : `${refuted.length} causes matched`} the counterexample but ${refuted.length === 1 ? 'was' : 'were'} refuted by a probe case: ${refuted.join(', ')})` : '';
  return `Cause unknown: no known mistake, recomputed, reproduces the claimed gradients${d.probes.length ? ' on the counterexample and every probe case' : ''}${tested}. ${known}${foundLine(d)}`;
}

/** ` Found (recomputed on the counterexample and the probe cases): W2 (…): on …, claimed = 0; …` */
function foundLine(d: Omit<Diagnosis, 'summary'>): string {
  const specific = d.findings.filter((f) => f.specific);
  if (specific.length === 0) return '';
  return ` Found (each recomputed on the counterexample and every probe case): ${specific.map((f) => f.text).join('; ')}.`;
}

/** The partial knowledge of an unknown cause: where it starts, which tensors, whether the loss agrees. */
function whatIsKnown(d: Omit<Diagnosis, 'summary'>): string {
  const e = d.evidence;
  const wrong = e.tensors.filter((t) => !t.agrees).map((t) => t.name);
  const parts: string[] = [];
  if (e.firstWrongFromOutput !== undefined) {
    const depth = e.rightLayers.length + e.wrongLayers.length;
    const k = depth - e.firstWrongFromOutput + 1;
    parts.push(`counting from the output, the first wrong layer is layer ${e.firstWrongFromOutput}${k === 1 ? ' (the output layer)' : ` (${ordinal(k)} from the output)`}`);
  } else if (wrong.length) {
    parts.push('every layer’s W and b are right');
  }
  if (wrong.length) parts.push(`wrong: ${wrong.join(', ')}`);
  if (e.loss) parts.push(e.loss.agrees ? 'the loss value agrees' : lossRelation(d));
  return `Known: ${parts.join('; ')}.`;
}

/** `the returned loss is 4× the reference 'half-sum' loss (1.2 against 0.3)`, and the reduction it equals, if any. */
function lossRelation(d: Omit<Diagnosis, 'summary'>): string {
  const l = d.evidence.loss;
  if (!l) return 'the loss value disagrees';
  const ratio = l.ratio === undefined ? '' : ` ${formatNumber(l.ratio)}×`;
  const equals = l.equalsReduction ? `; it equals the '${l.equalsReduction}' loss` : '';
  return `the returned loss is${ratio || ' not'} the reference '${l.reduction}' loss (${formatNumber(l.claimed)} against ${formatNumber(l.reference)})${equals}`;
}

function ordinal(k: number): string {
  return k === 2 ? '2nd' : k === 3 ? '3rd' : `${k}th`;
}

/** The diagnosis as text: its summary, the per-tensor evidence, the probe cases and any proven hint. */
export function renderDiagnosis(d: Diagnosis): string {
  const out = [`Diagnosis of ${d.implementation} on ${d.case}:`, `  ${d.summary}`];
  if (d.verdict === 'passed') return out.join('\n');
  if (d.match?.parameters) out.push(`  Fitted: ${Object.entries(d.match.parameters).map(([k, v]) => `${k} = ${formatNumber(v)}`).join(', ')}.`);
  if (d.evidence.loss && !d.lossOnly) out.push(`  Loss value: ${d.evidence.loss.agrees ? 'agrees with the reference' : lossRelation(d)}.`);
  if (d.stateful) out.push(`  Repeated calls with the same case differed by up to ${formatError(d.stateful.deviation)}.`);
  out.push('  Evidence (claimed against the correct gradient, tensor by tensor):');
  const rows = d.evidence.tensors.map(tensorCells);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) out.push(`    ${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}`);
  out.push(`  ${layerLine(d)}`);
  if (d.evidence.uniformRatio !== undefined && d.evidence.tensors.some((t) => !t.agrees)) {
    const meaning = d.evidence.uniformMeaning ? ` (${d.evidence.uniformMeaning})` : '';
    out.push(`  One ratio explains every entry: claimed = ${formatNumber(d.evidence.uniformRatio)}${meaning} × correct.`);
  }
  for (const f of d.findings) out.push(`  Finding: ${f.text} (reproduced on the counterexample and ${f.confirmedOn} probe case${f.confirmedOn === 1 ? '' : 's'}).`);
  for (const hint of d.conventions) out.push(`  Convention: ${hint.text}.`);
  if (d.verdict === 'ambiguous') for (const c of d.candidates) out.push(`  Candidate: ${label(c)} (largest deviation ${formatError(c.deviation)}).`);
  for (const p of d.probes) {
    const standing = p.survivors.length === 0 ? 'no candidate still stands' : `${p.survivors.length === 1 ? '1 candidate still stands' : `${p.survivors.length} candidates still stand`} (${p.survivors.join(', ')})`;
    const refuted = p.refuted.length ? `refutes ${p.refuted.join(', ')}; ` : '';
    out.push(`  Probe ${p.description}: ${p.error ? `the implementation failed (${p.error}); ignored` : `${refuted}${standing}`}.`);
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
  const { rightLayers, wrongLayers, firstWrongFromOutput, tensors } = d.evidence;
  const inputsWrong = tensors.some((t) => t.kind === 'x' && !t.agrees);
  if (wrongLayers.length === 0) return inputsWrong ? 'Every layer’s W and b are right; only dL/dx is wrong.' : 'Every tensor is right.';
  const plural = (ls: readonly number[]) => `layer${ls.length === 1 ? '' : 's'} ${ls.join(', ')}`;
  if (rightLayers.length === 0) return wrongLayers.length === 1 ? `The only layer, layer ${wrongLayers[0]}, is wrong.` : `No layer is right: ${plural(wrongLayers)} are all wrong.`;
  const output = wrongLayers.length + rightLayers.length;
  const where = firstWrongFromOutput === output ? ' (the output layer)' : '';
  return `Right: ${plural(rightLayers)}; wrong: ${plural(wrongLayers)}; counting from the output, the first wrong layer is layer ${firstWrongFromOutput}${where}.`;
}
