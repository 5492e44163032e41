/**
 * `renderHtmlReport`: one self-contained HTML file (inline SVG and CSS, no script, nothing fetched) for
 * a gradient report, an implementation check, a property run or a fixtures run. The same input gives
 * the same bytes: nothing in it depends on the time, the machine or chance.
 */
import type { ImplementationReport } from '../adapters/check-implementation.js';
import type { ClaimedGradients } from '../adapters/gradient-case.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import type { GradientReport } from '../check/report/report.js';
import { GradcheckError, rejectUnknownOptions } from '../errors.js';
import type { FixtureOutcome } from '../fixtures/render-fixtures.js';
import { GradientPropertyError, type PropertyResult } from '../runner/assert-gradients.js';
import { escapeHtml, short } from './escape.js';
import { fixturesSections } from './fixtures-view.js';
import { gradientSections } from './gradient-view.js';
import { implementationSections } from './implementation-view.js';
import { factList, htmlPage, verdictBadge } from './page.js';
import { propertySections } from './property-view.js';

/** What a report can be drawn for; exactly one of the keys `report`, `implementation`, `property`, `fixtures`. */
export type HtmlReportSubject =
  /** A `GradientReport`; with the `case` it checked (reference engine) every entry is drawn and curves are computed. */
  | { readonly report: GradientReport; readonly case?: NetworkCase; readonly claimed?: ClaimedGradients }
  /** `checkImplementationCase`'s result. */
  | { readonly implementation: ImplementationReport }
  /** `runGradientProperty`'s result, or the error `assertGradients` throws. */
  | { readonly property: PropertyResult | GradientPropertyError }
  /** `gradcheck fixtures`' outcomes. */
  | { readonly fixtures: readonly FixtureOutcome[] };

/** How `renderHtmlReport` draws. */
export interface HtmlReportOptions {
  /** The page title. Default: `gradcheck: ` and the verdict. */
  readonly title?: string;
  /** The command line that replays the check, shown in the header. Default: the result's own replay, if any. */
  readonly replay?: string;
  /** Error-versus-step curves drawn, for the worst entries. Default 3. */
  readonly curves?: number;
  /** For a property run: the failing case as the search found it, drawn beside the shrunk counterexample. */
  readonly found?: ImplementationReport;
}

const SUBJECT_KEYS = ['report', 'implementation', 'property', 'fixtures'] as const;
const OPTION_KEYS = ['title', 'replay', 'curves', 'found'] as const;

/**
 * Renders a self-contained HTML report: the verdict and the facts to replay it, the network drawn as
 * layers of units, a heat map of every entry's |claimed − numeric| / tolerance per tensor, the
 * error-versus-step curves of the worst entries, and for a property run the distributions over all
 * cases, the shrinking path and the diagnosis.
 *
 * @example
 * ```ts
 * const result = await checkImplementationCase(myImpl, networkCase);
 * writeFileSync('report.html', renderHtmlReport({ implementation: result }));
 * ```
 */
export function renderHtmlReport(subject: HtmlReportSubject, options: HtmlReportOptions = {}): string {
  const where = 'renderHtmlReport';
  if (subject === null || typeof subject !== 'object') throw new GradcheckError(where, `subject is ${subject === null ? 'null' : typeof subject}; expected one of { report }, { implementation }, { property }, { fixtures }`);
  const keys = SUBJECT_KEYS.filter((k) => k in subject);
  if (keys.length !== 1) throw new GradcheckError(where, `subject has ${keys.length === 0 ? 'none' : keys.join(' and ')} of report, implementation, property, fixtures; expected exactly one`);
  rejectUnknownOptions(where, options, OPTION_KEYS);
  const curves = options.curves ?? 3;
  if (!Number.isInteger(curves) || curves < 0) throw new GradcheckError(where, `options.curves is ${curves}; expected an integer ≥ 0`);
  const replay = options.replay;
  let verdict: string;
  let body: string;
  if ('report' in subject) {
    rejectUnknownOptions(`${where} subject`, subject, ['report', 'case', 'claimed']);
    const r = subject.report;
    verdict = r.verdict;
    const facts = factList([
      ['verdict', verdictBadge(r.verdict)],
      ['checked', escapeHtml(r.label ?? '')],
      ['strategy', r.strategy],
      ['precision', r.precision],
      ['tolerances', `rtol ${short(r.tolerances.rtol)}, atol ${short(r.tolerances.atol)}`],
      ['seed', r.seed === undefined ? undefined : String(r.seed)],
      ['replay', replay === undefined ? undefined : `<code>${escapeHtml(replay)}</code>`],
    ]);
    body = facts + gradientSections(r, { case: subject.case, claimed: subject.claimed, curves });
  } else if ('implementation' in subject) {
    verdict = subject.implementation.verdict;
    body = implementationSections(subject.implementation, curves, replay);
  } else if ('property' in subject) {
    const result = subject.property instanceof GradientPropertyError ? subject.property.result : subject.property;
    verdict = result.verdict;
    body = propertySections(replay === undefined ? result : { ...result, replay }, curves, options.found);
  } else {
    const outcomes = subject.fixtures;
    verdict = outcomes.every((o) => 'result' in o && o.result.status === 'reproduces') ? 'pass' : 'fail';
    body = fixturesSections(outcomes);
  }
  const title = options.title ?? `gradcheck: ${verdict}`;
  return htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n${body}`);
}
