/**
 * Text into HTML: the five characters that could open markup escaped, and numbers printed as the text
 * report prints them (render-report.ts), so a value reads the same in both.
 */
import { formatNumber } from '../check/report/render-report.js';

/** `s` with `& < > " '` escaped, safe inside element text and quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A value as the text report prints it (10 significant digits, exponent outside [1e-3, 1e6)). */
export const num = formatNumber;

/** An error or ratio at two significant digits: `3.1e-7`, `0` for zero. */
export function short(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(1);
}

/** A coordinate in an SVG: at most two decimals, so the bytes do not depend on float noise in the last digits. */
export function px(x: number): string {
  return String(Math.round(x * 100) / 100);
}
