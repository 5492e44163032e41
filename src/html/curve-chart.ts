/**
 * An error-versus-step curve as an inline log–log SVG: the central difference's distance from the
 * checker's value at every step, the step the checker chose, its error estimate, the claim's distance,
 * and the steps whose stencil crossed a kink.
 */
import { entryLabel } from '../check/report/render-report.js';
import { escapeHtml, num, px, short } from './escape.js';
import type { StepCurve } from './step-curve.js';

const W = 460;
const H = 250;
const L = 58;
const R = 12;
const T = 12;
const B = 40;

/** The chart of one curve; empty when the entry has no coordinate (a direction). */
export function curveSvg(curve: StepCurve): string {
  const { entry, points } = curve;
  if (points.length === 0) return '';
  const positive = points.map((p) => p.error).filter((e) => e > 0);
  const marks = [entry.errorEstimate, entry.absoluteError].filter((e) => e > 0 && Number.isFinite(e));
  const all = [...positive, ...marks];
  // An exact difference (error 0) is drawn at the bottom edge, a decade below the smallest error met.
  const low = Math.floor(Math.log10(all.length > 0 ? Math.min(...all) : 1e-16)) - 1;
  const high = Math.ceil(Math.log10(all.length > 0 ? Math.max(...all) : 1));
  const yHigh = high > low ? high : low + 1;
  const steps = points.map((p) => Math.log10(p.step));
  const xLow = Math.floor(Math.min(...steps));
  const xHigh = Math.ceil(Math.max(...steps));
  const x = (h: number): number => L + ((Math.log10(h) - xLow) / (xHigh - xLow)) * (W - L - R);
  const y = (e: number): number => T + ((yHigh - (e > 0 ? Math.max(Math.log10(e), low) : low)) / (yHigh - low)) * (H - T - B);
  const out: string[] = [`<svg class="curve" data-entry="${escapeHtml(entryLabel(entry))}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">`];
  out.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" class="frame"/>`);
  const xEvery = Math.max(1, Math.ceil((xHigh - xLow) / 8));
  for (let d = xLow; d <= xHigh; d += xEvery) out.push(`<text class="tick" x="${px(L + ((d - xLow) / (xHigh - xLow)) * (W - L - R))}" y="${H - B + 14}" text-anchor="middle">1e${d}</text>`);
  const yEvery = Math.max(1, Math.ceil((yHigh - low) / 6));
  for (let d = low; d <= yHigh; d += yEvery) out.push(`<text class="tick" x="${L - 4}" y="${px(y(10 ** d) + 3)}" text-anchor="end">1e${d}</text>`);
  out.push(`<text class="axis" x="${px((L + W) / 2)}" y="${H - 6}" text-anchor="middle">step h</text>`);
  out.push(`<text class="axis" x="12" y="${px((T + H - B) / 2)}" transform="rotate(-90 12 ${px((T + H - B) / 2)})" text-anchor="middle">|D(h) − numeric|</text>`);
  const hline = (value: number, cls: string, text: string): void => {
    if (!(value > 0) || !Number.isFinite(value)) return;
    out.push(`<line class="${cls}" x1="${L}" x2="${W - R}" y1="${px(y(value))}" y2="${px(y(value))}"/><text class="note ${cls}" x="${W - R - 4}" y="${px(y(value) - 3)}" text-anchor="end">${escapeHtml(text)}</text>`);
  };
  hline(entry.errorEstimate, 'estimate', `error estimate ${short(entry.errorEstimate)}`);
  hline(entry.absoluteError, 'claim', `|claimed − numeric| ${short(entry.absoluteError)}`);
  if (entry.step > 0) {
    const sx = px(x(entry.step));
    // The label on the side of the line with room for it.
    const right = x(entry.step) > (L + W - R) / 2;
    out.push(`<line class="chosen" x1="${sx}" x2="${sx}" y1="${T}" y2="${H - B}"/><text class="note chosen" x="${sx}" y="${T + 22}" dx="${right ? -3 : 3}" text-anchor="${right ? 'end' : 'start'}">chosen step ${short(entry.step)}</text>`);
  }
  out.push(`<polyline class="series" points="${points.map((p) => `${px(x(p.step))},${px(y(p.error))}`).join(' ')}"/>`);
  for (const p of points) {
    const title = `h ${short(p.step)}: D(h) ${num(p.value)}, |D(h) − numeric| ${short(p.error)}${p.kink ? ', the stencil crosses a kink' : ''}`;
    out.push(`<circle class="${p.kink ? 'point kink' : 'point'}" cx="${px(x(p.step))}" cy="${px(y(p.error))}" r="${p.kink ? 3.5 : 2}"><title>${escapeHtml(title)}</title></circle>`);
  }
  out.push('</svg>');
  return out.join('');
}
