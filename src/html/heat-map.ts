/**
 * A heat map as inline SVG: one square per entry at its (row, column), coloured by its ratio on the log
 * scale of color-scale.ts, failing entries outlined (drawn last, so no neighbour covers the outline),
 * entries that settle nothing hatched, and a tooltip (SVG `<title>`) per entry.
 */
import { ratioColor } from './color-scale.js';
import { escapeHtml, px } from './escape.js';
import { pngDataUri } from './png.js';

/**
 * Above this many entries a map is one embedded PNG (a pixel per entry) with only its failing and
 * unresolved entries drawn over it as hoverable squares: a 32×32 map of rects is about 130 kB of
 * SVG, a 784×100 one 24 MB (issue 22), while its PNG is a few hundred kB.
 */
export const IMAGE_ABOVE = 1024;

/** The flat colours of the PNG for the hatched statuses (the patterns' backgrounds below). */
const SKIPPED_RGB = [0xd9, 0xd9, 0xd9] as const;
const UNRESOLVED_RGB = [0xff, 0xff, 0xff] as const;

function rgbOf(colour: string): [number, number, number] {
  const m = /^rgb\((\d+), ?(\d+), ?(\d+)\)$/.exec(colour);
  if (!m) throw new Error(`heat map: unexpected colour ${colour}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Every cell as a pixel, unlisted entries in the colour of a ratio of 0. */
function mapImage(rows: number, cols: number, cells: readonly HeatCell[]): string {
  const rgb = new Uint8Array(rows * cols * 3);
  const none = rgbOf(ratioColor(0));
  for (let k = 0; k < rows * cols; k++) rgb.set(none, k * 3);
  for (const c of cells) {
    const colour = c.status === 'skipped' ? SKIPPED_RGB : c.status === 'unresolved' ? UNRESOLVED_RGB : rgbOf(ratioColor(c.ratio));
    rgb.set(colour, (c.row * cols + c.col) * 3);
  }
  return pngDataUri(cols, rows, rgb);
}

/** How a cell is drawn: by ratio (`pass`), outlined (`fail`), hatched (`skipped`, `unresolved`), or dotted outline (`excused`: a notebook's own error, confirmed). */
export type CellStatus = 'pass' | 'fail' | 'skipped' | 'unresolved' | 'excused';

/** One entry of the map. */
export interface HeatCell {
  readonly row: number;
  readonly col: number;
  /** |claimed − numeric| / tolerance (> 1 fails). */
  readonly ratio: number;
  readonly status: CellStatus;
  /** The hover text, plain (escaped here). */
  readonly title: string;
  /** The entry's label (`W2[1,0]`), kept in `data-entry` for tests and tools. */
  readonly label: string;
}

/** The map's shape and axis names. */
export interface HeatMapShape {
  readonly rows: number;
  readonly cols: number;
  readonly rowAxis: string;
  readonly colAxis: string;
}

/** Largest drawing side in px: a 100-column tensor still fits a laptop screen at 5 px a cell. */
const MAX_SIDE = 520;
/** Cells are at most this wide (a 1×3 bias is not a banner) and at least this (a cell stays hoverable). */
const MAX_CELL = 26;
const MIN_CELL = 3;
/** Labels at least this far apart (px), so they do not overlap at 10 px text. */
const LABEL_SPACING = 14;

const LEFT = 34;
const MIN_WIDTH = 250;
const TOP = 30;

/** The SVG of one map. */
export function heatMapSvg(shape: HeatMapShape, cells: readonly HeatCell[], marks: readonly HeatMark[] = []): string {
  const { rows, cols } = shape;
  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(MAX_SIDE / Math.max(rows, cols, 1))));
  // Wide enough for the axis name above a one-column map.
  const width = Math.max(LEFT + cols * cell + 8, MIN_WIDTH);
  const height = TOP + rows * cell + 8;
  const out: string[] = [`<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`];
  // Both axis names on one line above the map: a rotated name does not fit beside a one-row map.
  out.push(`<text class="axis" x="2" y="10">rows: ${escapeHtml(shape.rowAxis)} ↓, columns: ${escapeHtml(shape.colAxis)} →</text>`);
  const every = Math.max(1, Math.ceil(LABEL_SPACING / cell));
  for (let c = 0; c < cols; c += every) out.push(`<text class="tick" x="${px(LEFT + c * cell + cell / 2)}" y="${TOP - 4}" text-anchor="middle">${c}</text>`);
  for (let r = 0; r < rows; r += every) out.push(`<text class="tick" x="${LEFT - 4}" y="${px(TOP + r * cell + cell / 2 + 3)}" text-anchor="end">${r}</text>`);
  const image = rows * cols > IMAGE_ABOVE;
  if (image) {
    out.push(`<image class="cells" x="${LEFT}" y="${TOP}" width="${cols * cell}" height="${rows * cell}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${mapImage(rows, cols, cells)}"><title>${rows * cols} entries; failing and unresolved ones are outlined and hoverable</title></image>`);
  }
  // Outlined cells last: an outline drawn before its neighbours would be half hidden by them.
  const drawn = image ? cells.filter((c) => c.status === 'fail' || c.status === 'unresolved') : cells;
  const ordered = [...drawn.filter((c) => c.status !== 'fail'), ...drawn.filter((c) => c.status === 'fail')];
  for (const c of ordered) {
    const fill = c.status === 'skipped' ? 'url(#hatch-skipped)' : c.status === 'unresolved' ? 'url(#hatch-unresolved)' : ratioColor(c.ratio);
    out.push(
      `<rect class="cell ${c.status}" data-entry="${escapeHtml(c.label)}" x="${LEFT + c.col * cell}" y="${TOP + c.row * cell}" width="${cell}" height="${cell}" fill="${fill}">` +
        `<title>${escapeHtml(c.title)}</title></rect>`,
    );
  }
  // A finding's entries over everything, inset so the failure outline of the same cell stays visible.
  for (const m of marks) {
    out.push(
      `<rect class="finding-mark" data-entry="${escapeHtml(m.label)}" x="${px(LEFT + m.col * cell + 1.5)}" y="${px(TOP + m.row * cell + 1.5)}" width="${px(Math.max(1, cell - 3))}" height="${px(Math.max(1, cell - 3))}" fill="none" stroke="${FINDING_STROKE}" stroke-width="1.5" stroke-dasharray="3 1.5">` +
        `<title>${escapeHtml(m.title)}</title></rect>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}

/** The outline of a finding's entries: blue, apart from the red of a failure. */
const FINDING_STROKE = '#1f5fbf';

/** An entry a finding of the diagnosis names (diagnosis/findings/finding.ts `indices`). */
export interface HeatMark {
  readonly row: number;
  readonly col: number;
  /** `W2[1,0]`, kept in `data-entry`. */
  readonly label: string;
  /** The finding's sentence, as hover text. */
  readonly title: string;
}

/** The patterns the maps refer to, once per page (an SVG `url(#id)` resolves across the document). */
export function heatMapDefs(): string {
  return (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>' +
    '<pattern id="hatch-skipped" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="#d9d9d9"/><line x1="0" y1="0" x2="0" y2="4" stroke="#7f7f7f" stroke-width="1.5"/></pattern>' +
    '<pattern id="hatch-unresolved" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="#ffffff"/><circle cx="2" cy="2" r="1" fill="#b2182b"/></pattern>' +
    '</defs></svg>'
  );
}

/** The legend: the colour bar with its decades, and what outlines and hatching mean. */
export function heatMapLegend(excused = false, findings = false): string {
  const stops = Array.from({ length: 7 }, (_, k) => `<stop offset="${px(k / 6)}" stop-color="${ratioColor(10 ** (-4 + k))}"/>`).join('');
  const ticks = [-4, -2, 0, 2].map((d) => `<text class="tick" x="${px(10 + ((d + 4) / 6) * 240)}" y="34" text-anchor="middle">${d === 0 ? '1' : `1e${d}`}</text>`).join('');
  return (
    '<svg class="legend" xmlns="http://www.w3.org/2000/svg" width="800" height="44" viewBox="0 0 800 44">' +
    `<defs><linearGradient id="ratio-bar">${stops}</linearGradient></defs>` +
    '<rect x="10" y="6" width="240" height="14" fill="url(#ratio-bar)"/>' +
    '<line x1="170" y1="2" x2="170" y2="24" stroke="#000" stroke-width="1"/>' +
    ticks +
    '<text class="tick" x="262" y="17">|claimed − numeric| / tolerance (log; &gt; 1 fails)</text>' +
    '<rect x="530" y="6" width="12" height="12" fill="#fde737" stroke="#d40000" stroke-width="2"/><text class="tick" x="546" y="16">fails</text>' +
    '<rect x="530" y="26" width="12" height="12" fill="url(#hatch-skipped)"/><text class="tick" x="546" y="36">skipped</text>' +
    '<rect x="580" y="6" width="12" height="12" fill="url(#hatch-unresolved)" stroke="#999"/><text class="tick" x="596" y="16">unresolved</text>' +
    (excused ? '<rect x="640" y="6" width="12" height="12" fill="#fde737" stroke="#444" stroke-width="1.5" stroke-dasharray="2 1"/><text class="tick" x="656" y="16">a notebook\'s own error</text>' : '') +
    (findings ? `<rect x="640" y="26" width="12" height="12" fill="none" stroke="${FINDING_STROKE}" stroke-width="1.5" stroke-dasharray="3 1.5"/><text class="tick" x="656" y="36">entries a finding names</text>` : '') +
    '</svg>'
  );
}
