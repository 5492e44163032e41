/**
 * The heat map's colour: an entry's |claimed − numeric| / tolerance on a log scale, through cividis
 * (d3-scale-chromatic), a map designed to read the same with red–green colour blindness and in grey.
 */
import { interpolateCividis } from 'd3-scale-chromatic';

/**
 * The ratios the colours span, fixed so that two reports compare by eye: four decades below the
 * tolerance show how much margin passing entries keep (a correct backward pass in float64 sits near
 * 1e-4 of the default tolerance and below), two above separate "just past" from "100× wrong".
 * Ratios outside are clamped to the ends.
 */
export const RATIO_DOMAIN: readonly [number, number] = [1e-4, 1e2];

/** Position of `ratio` on the log scale, in [0, 1] (0 for a ratio of 0, 1 for ∞). */
export function ratioPosition(ratio: number): number {
  const [lo, hi] = RATIO_DOMAIN;
  if (!(ratio > lo)) return 0;
  if (!(ratio < hi)) return 1;
  return (Math.log10(ratio) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
}

/** The colour of an entry with this ratio, as `rgb(r, g, b)`. */
export function ratioColor(ratio: number): string {
  return interpolateCividis(ratioPosition(ratio));
}
