/**
 * The HTML page of a function worker's run (`gradcheck check --function … --html FILE`): per check
 * (a function and its rule, `conv1d vjp`) its verdict, cases, seed and replay line, and for a
 * failing or inconclusive one the shrunk case's report drawn as for a network: the per-input table
 * and a heat map per input of the entries the report lists. Self-contained and script-free.
 */
import type { FunctionReport } from '../check/functions/function-report.js';
import { escapeHtml } from './escape.js';
import { gradientSections } from './gradient-view.js';
import { factList, htmlPage, verdictBadge } from './page.js';

export interface FunctionCheckView {
  /** `conv1d vjp`. */
  readonly name: string;
  readonly verdict: string;
  readonly runs: number;
  readonly seed: number;
  /** The CLI command that replays it (a failing or inconclusive check). */
  readonly replay?: string;
  /** The printed outcome (shown when no case is drawn). */
  readonly message: string;
  /** The case drawn (`C=1, L=4, …`) and its report: the counterexample, or the first inconclusive case. */
  readonly shown?: { readonly what: 'counterexample (shrunk)' | 'first inconclusive case'; readonly description: string; readonly report: FunctionReport };
}

export function functionChecksHtml(title: string, verdict: string, facts: ReadonlyArray<readonly [string, string | undefined]>, checks: readonly FunctionCheckView[]): string {
  const body = [`<h1>${escapeHtml(title)}</h1>`, factList([['verdict', verdictBadge(verdict)], ...facts, ['checks', String(checks.length)]])];
  for (const c of checks) {
    body.push(
      `<section class="check" data-check="${escapeHtml(c.name)}">`,
      `<h2>${escapeHtml(c.name)} ${verdictBadge(c.verdict)}</h2>`,
      factList([
        ['random cases', String(c.runs)],
        ['seed', String(c.seed)],
        ['replay', c.replay === undefined ? undefined : `<code>${escapeHtml(c.replay)}</code>`],
        [c.shown?.what ?? 'case', c.shown === undefined ? undefined : escapeHtml(c.shown.description)],
      ]),
    );
    // A drawn case brings its own text report; a passing check has only its printed line.
    body.push(c.shown !== undefined ? gradientSections(c.shown.report, { curves: 0 }) : `<pre>${escapeHtml(c.message.trimEnd())}</pre>`);
    body.push('</section>');
  }
  return htmlPage(title, body.join('\n'));
}
