/**
 * The HTML document around a report: its styles inline and a content security policy that lets the
 * page load nothing at all (no script, no font, no image, no request), so a report opened anywhere
 * is the same self-contained file.
 */
import { escapeHtml } from './escape.js';
import { heatMapDefs } from './heat-map.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1a1a1a;background:#fff;max-width:1200px}
h1{font-size:20px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:14px;margin:16px 0 4px}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:700;color:#fff}
.verdict.pass{background:#1b7837}.verdict.fail{background:#b2182b}.verdict.inconclusive{background:#7f6000}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:8px 0}dl.facts dt{color:#555}dl.facts dd{margin:0}
code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}pre{background:#f6f6f6;padding:8px;overflow:auto;white-space:pre-wrap}
table{border-collapse:collapse;margin:6px 0}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}th{color:#555;font-weight:600}td:first-child,th:first-child{text-align:left}
.maps{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}.pair{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.pair>section{flex:1 1 560px;min-width:0;overflow-x:auto}.curves figure{max-width:470px}.map{margin:0}.map figcaption{font-size:13px;margin-bottom:2px}
svg text{font:10px system-ui,sans-serif;fill:#333}svg .axis{font-size:11px;fill:#555}svg .caption{font-size:12px;fill:#222}
rect.cell{stroke:none}rect.cell.fail{stroke:#d40000;stroke-width:2}rect.cell.excused{stroke:#444;stroke-width:1.5;stroke-dasharray:2 1}
.curve .frame{fill:none;stroke:#bbb}.curve .series{fill:none;stroke:#3b528b;stroke-width:1.5}.curve .point{fill:#3b528b}.curve .point.kink{fill:#e66101}
.curve line.estimate{stroke:#1b7837;stroke-dasharray:4 3}.curve text.estimate{fill:#1b7837}.curve line.claim{stroke:#b2182b;stroke-dasharray:6 2}.curve text.claim{fill:#b2182b}
.curve line.chosen{stroke:#000;stroke-dasharray:2 2}
.network line{stroke-width:1}.network .agrees line{stroke:#c8c8c8}.network .unsettled line{stroke:#bf9000;stroke-dasharray:3 2}.network .disagrees line{stroke:#d40000;stroke-width:2}.network .unchecked line{stroke:#e4e4e4}
.network circle{fill:#fff;stroke:#666;stroke-width:1.5}.network .disagrees circle{stroke:#d40000;stroke-width:3;fill:#fde0e0}.network .unsettled circle{stroke:#bf9000;stroke-width:2.5}
.note{color:#555}.bar{fill:#3b528b}.bar.over{fill:#b2182b}
`;

/** The whole document: `title` in the tab, `body` as given (already HTML). */
export function htmlPage(title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE.trim()}</style>`,
    '</head><body>',
    heatMapDefs(),
    body,
    '</body></html>',
    '',
  ].join('\n');
}

/** A verdict as a coloured badge. */
export function verdictBadge(verdict: string): string {
  return `<span class="verdict ${escapeHtml(verdict)}">${escapeHtml(verdict.toUpperCase())}</span>`;
}

/** A definition list of facts; entries with an undefined value are left out. */
export function factList(facts: ReadonlyArray<readonly [string, string | undefined]>): string {
  const rows = facts.filter(([, v]) => v !== undefined).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`);
  return `<dl class="facts">${rows.join('')}</dl>`;
}
