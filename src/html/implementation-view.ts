/**
 * An implementation check (`ImplementationReport`) as HTML sections: its facts (implementation,
 * conventions, mode, the loss comparison) and its gradient report's pictures, with the case rebuilt
 * from what the implementation was sent.
 */
import type { ImplementationReport } from '../adapters/check-implementation.js';
import { describeConventions } from '../adapters/conventions.js';
import { fromGradientCases } from '../adapters/gradient-case.js';
import { escapeHtml, num, short } from './escape.js';
import { gradientSections } from './gradient-view.js';
import type { Finding } from '../diagnosis/findings/finding.js';
import { factList, verdictBadge } from './page.js';

/** The facts and the gradient sections of one implementation check. */
export function implementationSections(r: ImplementationReport, curves: number, replay?: string, findings?: readonly Finding[]): string {
  const nc = fromGradientCases([r.case], r.conventions);
  const loss = r.loss;
  const facts = factList([
    ['verdict', verdictBadge(r.verdict)],
    ['implementation', escapeHtml(r.implementation)],
    ['case', escapeHtml(r.report.label ?? '')],
    ['conventions', escapeHtml(describeConventions(r.conventions))],
    ['precision', escapeHtml(r.report.precision)],
    ['mode', escapeHtml(r.mode === 'reference' ? 'reference (finite differences of the reference engine\'s loss)' : "self (finite differences of the implementation's own loss)")],
    ['tolerances', `rtol ${short(r.report.tolerances.rtol)}, atol ${short(r.report.tolerances.atol)}`],
    ['seed', String(r.case.seed)],
    ['loss', loss === undefined ? undefined : escapeHtml(`returned ${num(loss.claimed)}, engine ${num(loss.reference)} (tolerance ${short(loss.tolerance)}): ${loss.agrees ? 'agrees' : 'DISAGREES'}`)],
    ['replay', replay === undefined ? undefined : `<code>${escapeHtml(replay)}</code>`],
  ]);
  return facts + gradientSections(r.report, { case: nc, claimed: r.claimed, sameLoss: r.mode === 'reference', curves, ...(findings && { findings }) });
}
