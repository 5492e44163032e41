/**
 * Fixtures (`gradcheck fixtures`) as HTML: per notebook, each printed value against the engine's,
 * entry by entry, as a heat map of |printed − engine| / printing tolerance, with the cell and line it
 * was printed in; entries the engine does not reproduce outlined, the notebook's own confirmed errors
 * dashed.
 */
import { formatNumber } from '../check/report/render-report.js';
import { describeArchitecture, type FixtureOutcome } from '../fixtures/render-fixtures.js';
import type { EntryComparison, ValueComparison } from '../fixtures/regression.js';
import { escapeHtml, short } from './escape.js';
import { heatMapLegend, heatMapSvg, type CellStatus, type HeatCell } from './heat-map.js';
import { verdictBadge } from './page.js';

function cellOf(v: ValueComparison, e: EntryComparison): HeatCell {
  const status: CellStatus = e.status === 'mismatch' ? 'fail' : e.status === 'notebook-wrong' ? 'excused' : 'pass';
  const label = `${v.printed.name}[${e.row},${e.col}]`;
  const title = [
    `${label}: ${e.status}`,
    `printed ${formatNumber(e.printed)} (${v.printed.source})`,
    `engine ${formatNumber(e.engine)}`,
    `|printed − engine| ${short(e.difference)}, printing tolerance ${short(e.tolerance)}`,
  ].join('\n');
  return { row: e.row, col: e.col, ratio: e.tolerance > 0 ? e.difference / e.tolerance : e.difference > 0 ? Infinity : 0, status, title, label };
}

/** The sections of a fixtures run. */
export function fixturesSections(outcomes: readonly FixtureOutcome[]): string {
  const out: string[] = [heatMapLegend(true)];
  for (const o of outcomes) {
    if ('error' in o) {
      out.push(`<h2>${escapeHtml(o.file)}</h2>`, `<p>${verdictBadge('fail')} malformed: ${escapeHtml(o.error.message)}</p>`);
      continue;
    }
    const r = o.result;
    const badge = verdictBadge(r.status === 'reproduces' ? 'pass' : 'fail');
    out.push(`<h2>${escapeHtml(r.fixture.title ?? o.file)}</h2>`, `<p>${badge} ${escapeHtml(r.status)}: ${escapeHtml(o.file)}, ${escapeHtml(describeArchitecture(r.fixture))}</p>`, '<div class="maps">');
    for (const v of r.values) {
      const rows = Math.max(1, ...v.entries.map((e) => e.row + 1));
      const cols = Math.max(1, ...v.entries.map((e) => e.col + 1));
      out.push(
        `<figure class="map" data-value="${escapeHtml(v.printed.name)}"><figcaption><b>${escapeHtml(v.printed.name)}</b> (${escapeHtml(v.printed.source)}): ${escapeHtml(v.status)}</figcaption>`,
        heatMapSvg({ rows, cols, rowAxis: 'row', colAxis: 'column' }, v.entries.map((e) => cellOf(v, e))),
        '</figure>',
      );
    }
    out.push('</div>');
  }
  return out.join('\n');
}
