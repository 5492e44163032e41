/**
 * The network of a case as layers of units (inline SVG): inputs, then each layer's units with its
 * activation; the weights between two layers drawn as edges, coloured by the verdict of that layer's
 * W, a layer's units outlined by its b's verdict, the inputs by x's. Disagreeing tensors are drawn
 * in red and thick, and carry the class `disagrees`.
 */
import type { NetworkSpec } from '../engine/dense-layer.js';
import type { TensorReport, Verdict } from '../check/report/report.js';
import { escapeHtml, px } from './escape.js';

/** Units drawn per layer; a wider layer shows this many less one and "+ n more". */
const MAX_UNITS = 10;
const COLUMN = 150;
const ROW = 26;
const TOP = 40;

function verdictOf(tensors: readonly TensorReport[], layer: number, kind: string): Verdict | undefined {
  return tensors.find((t) => t.layer === layer && t.kind === kind)?.verdict;
}

function statusClass(v: Verdict | undefined): string {
  return v === 'fail' ? 'disagrees' : v === 'inconclusive' ? 'unsettled' : v === 'pass' ? 'agrees' : 'unchecked';
}

/** The diagram of `spec`, with each tensor coloured by its verdict in `tensors`. */
export function networkSvg(spec: NetworkSpec, tensors: readonly TensorReport[]): string {
  const widths = [spec.inputs, ...spec.layers.map((l) => l.outputs)];
  const shown = widths.map((n) => Math.min(n, MAX_UNITS));
  const tallest = Math.max(...shown);
  const width = COLUMN * widths.length;
  const height = TOP + tallest * ROW + 30;
  const yOf = (k: number, n: number): number => TOP + (tallest - n) * (ROW / 2) + k * ROW + ROW / 2;
  const xOf = (l: number): number => COLUMN / 2 + l * COLUMN;
  const out: string[] = [`<svg class="network" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`];
  for (let l = 1; l < widths.length; l++) {
    const cls = statusClass(verdictOf(tensors, l, 'W'));
    out.push(`<g class="edges W ${cls}" data-tensor="W${l}"><title>W${l}: ${escapeHtml(verdictOf(tensors, l, 'W') ?? 'not checked')}</title>`);
    for (let i = 0; i < shown[l - 1]; i++) {
      for (let j = 0; j < shown[l]; j++) out.push(`<line x1="${xOf(l - 1)}" y1="${px(yOf(i, shown[l - 1]))}" x2="${xOf(l)}" y2="${px(yOf(j, shown[l]))}"/>`);
    }
    out.push('</g>');
  }
  widths.forEach((n, l) => {
    const layer = l === 0 ? undefined : spec.layers[l - 1];
    const kind = l === 0 ? 'x' : 'b';
    const verdict = verdictOf(tensors, l, kind);
    const name = l === 0 ? 'x' : `b${l}`;
    const hasTensor = l === 0 || layer?.bias !== false;
    const cls = hasTensor ? statusClass(verdict) : 'unchecked';
    out.push(`<g class="units ${kind} ${cls}"${hasTensor ? ` data-tensor="${name}"` : ''}><title>${escapeHtml(hasTensor ? `${name}: ${verdict ?? 'not checked'}` : `layer ${l}: no bias`)}</title>`);
    const drawn = n > MAX_UNITS ? MAX_UNITS - 1 : n;
    for (let k = 0; k < drawn; k++) out.push(`<circle cx="${xOf(l)}" cy="${px(yOf(k, shown[l]))}" r="8"/>`);
    if (n > MAX_UNITS) out.push(`<text class="more" x="${xOf(l)}" y="${px(yOf(MAX_UNITS - 1, shown[l]) + 4)}" text-anchor="middle">+ ${n - drawn} more</text>`);
    out.push('</g>');
    const caption = l === 0 ? `inputs (${n})` : `${layer!.activation} ${n}`;
    out.push(`<text class="caption" x="${xOf(l)}" y="${TOP - 16}" text-anchor="middle">${escapeHtml(caption)}</text>`);
    if (l > 0) out.push(`<text class="tick" x="${xOf(l) - COLUMN / 2}" y="${height - 8}" text-anchor="middle">W${l}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}
