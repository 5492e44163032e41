/**
 * When is a claimed gradient entry "equal" to the numeric one? Defined once here.
 *
 *   |claimed − numeric| ≤ SAFETY · (errorEstimate + roundingFloor) + claimedRounding
 *                          + rtol · max(|claimed|, |numeric|) + atol
 *
 * - errorEstimate: Richardson's per-entry estimate of the numeric derivative's truncation error.
 * - roundingFloor: the loss's own rounding, δL ≈ ROUNDING_FACTOR · ε · |L|, divided by the step and
 *   amplified by extrapolation; it is what a difference quotient cannot resolve however exact the code.
 * - rtol: the relative disagreement that counts as a bug. 1e-6 sits five orders of magnitude above
 *   float64 finite-difference noise on ordinary networks and four below a 1% error, so a correct
 *   gradient is never failed and an entry wrong by 1% always is (whenever 1% of it exceeds the floor).
 *   Implementations in float32 need rtol ≈ 1e-3.
 * - claimedRounding: what a correct float64 backward pass may itself get wrong, ROUNDING_FACTOR · ε · G
 *   with G the gradient envelope (engine/gradient-envelope.ts) when the network is known, else 0.
 *   It matters only where a gradient is tiny next to the products it is made of (saturated sigmoids,
 *   a residual near zero), where a correct implementation's relative error exceeds rtol.
 */
import { EPSILON } from './step.js';

export interface Tolerances {
  /** Relative disagreement that fails an entry. Default 1e-6. */
  readonly rtol: number;
  /** Absolute disagreement always accepted. Default 0. */
  readonly atol: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { rtol: 1e-6, atol: 0 };

/** Error estimates are order-of-magnitude figures; a factor 2 keeps them bounds. */
export const SAFETY = 2;
/** δL ≈ 16 ε |L| accumulated over a forward pass, times ≈4 noise gain of two Richardson levels. */
export const ROUNDING_FACTOR = 64;

export function roundingFloor(lossMagnitude: number, step: number): number {
  return (ROUNDING_FACTOR * EPSILON * lossMagnitude) / step;
}

export function tolerance(claimed: number, numeric: number, errorEstimate: number, floor: number, t: Tolerances, claimedRounding = 0): number {
  return SAFETY * (errorEstimate + floor) + claimedRounding + t.rtol * Math.max(Math.abs(claimed), Math.abs(numeric)) + t.atol;
}

/** The claimed-rounding term of `tolerance` for an entry with gradient envelope G. */
export function claimedRoundingOf(envelope: number): number {
  return ROUNDING_FACTOR * EPSILON * envelope;
}
