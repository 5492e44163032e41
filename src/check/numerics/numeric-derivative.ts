/**
 * One numeric derivative with its error estimate: central differences at steps h, h/2, h/4 refined
 * by Richardson extrapolation, aware of kinks (points where the loss is not differentiable).
 *
 * Every stencil must also converge at the rate its error series predicts (ratio of successive
 * differences ≈ 2^p), or Richardson's error estimate means nothing; a stencil that does not (a step that
 * moves a saturating unit too far, a kink inside it) is retried at the smaller central step ε^(1/3).
 *
 * Kinks: with a kink probe (the reference engine reports how many ReLU pre-activations changed sign
 * at each stencil point), a stencil that crosses a kink is retried at the smaller step; if that one
 * still crosses on one side only, the estimate is one-sided on the smooth side, and crossing on both
 * sides gives up (`kink: true`, with the smooth one-sided derivatives as `sides`). Without a probe
 * (black boxes), a side is smooth when its one-sided sequence converges, and a kink shows as smooth
 * sides that disagree or a side that does not converge at the smaller step.
 *
 * The work is done by `numericDerivativeInto`, which allocates nothing (the checker calls it once per
 * entry); `numericDerivative` runs the same computation and returns a fresh object.
 */
import { CENTRAL_EXPONENTS, ONE_SIDED_EXPONENTS, richardsonInPlace } from './richardson.js';
import { EPSILON } from './step.js';
import { roundingFloor, tolerance, type Tolerances } from './tolerance.js';

export type DifferenceMethod = 'central' | 'forward' | 'backward';

export interface OneSidedEstimate {
  readonly value: number;
  readonly error: number;
  readonly floor: number;
  readonly method: 'forward' | 'backward';
}

export interface NumericDerivative {
  readonly value: number;
  /** Richardson's error estimate. */
  readonly error: number;
  /** Rounding floor of the loss at this step (see tolerance.ts). */
  readonly floor: number;
  /** Base step h of the stencil used. */
  readonly step: number;
  readonly method: DifferenceMethod;
  /** True when every stencil crossed a kink on both sides: `value` is then not a derivative. */
  readonly kink: boolean;
  /** At a kink: the one-sided derivatives on each side (valid when θ sits exactly on the kink). */
  readonly sides?: readonly OneSidedEstimate[];
}

export interface DerivativeSettings {
  /** Richardson levels (each doubles the order of accuracy's exponent gain). Default 2. */
  readonly levels: number;
  readonly tolerances: Tolerances;
}

/** One-sided extrapolation loses accuracy faster than central: its noise gain is about 4× larger. */
const ONE_SIDED_NOISE_GAIN = 4;

/** Estimates per stencil: levels + 1, with levels ≤ 4 (the exponent tables' length). */
const MAX_ESTIMATES = 5;

/** ε^(1/(order+1)) of `optimalStep` (step.ts) for the Richardson base step of 0…3 levels, computed once. */
const RICHARDSON_STEP_FACTOR = [0, 1, 2, 3].map((levels) => Math.pow(EPSILON, 1 / (2 + 2 * levels + 1)));
const CENTRAL_STEP_FACTOR = Math.pow(EPSILON, 1 / (2 + 1));

function richardsonStepFactor(levels: number): number {
  return RICHARDSON_STEP_FACTOR[levels] ?? Math.pow(EPSILON, 1 / (2 + 2 * levels + 1));
}

/** A loss restricted to a line through θ: what `numericDerivativeInto` differentiates. */
export interface LineFunction {
  /** L at offset t from θ along the line. */
  at(t: number): number;
  /** Whether the line reports kink crossings (`crossed`); false for black boxes. */
  readonly kinkAware: boolean;
  /** After `at`: whether that evaluation put any non-differentiable unit on another smooth piece. */
  crossed(): boolean;
}

/**
 * Reusable buffers and the result of the last `numericDerivativeInto` call. Its fields are those of a
 * `NumericDerivative`; the one-sided estimates are kept for kinks.
 */
export class DerivativeWorkspace implements NumericDerivative {
  value = 0;
  error = 0;
  floor = 0;
  step = 0;
  method: DifferenceMethod = 'central';
  kink = false;
  forwardValue = 0;
  forwardError = 0;
  backwardValue = 0;
  backwardError = 0;
  /** Whether each one-sided sequence converged (only those are offered as `sides` at a kink). */
  forwardSmooth = false;
  backwardSmooth = false;
  /** Floor of each one-sided estimate (ONE_SIDED_NOISE_GAIN × the central floor). */
  sideFloor = 0;
  readonly central = new Float64Array(MAX_ESTIMATES);
  readonly forward = new Float64Array(MAX_ESTIMATES);
  readonly backward = new Float64Array(MAX_ESTIMATES);
  private readonly extrapolated = { value: 0, error: 0 };

  /** The smooth one-sided estimates, when the last result is a kink. */
  get sides(): readonly OneSidedEstimate[] | undefined {
    if (!this.kink) return undefined;
    const sides: OneSidedEstimate[] = [];
    if (this.forwardSmooth) sides.push({ value: this.forwardValue, error: this.forwardError, floor: this.sideFloor, method: 'forward' });
    if (this.backwardSmooth) sides.push({ value: this.backwardValue, error: this.backwardError, floor: this.sideFloor, method: 'backward' });
    return sides;
  }

  /** A plain copy of the last result, shaped exactly like `numericDerivative`'s. */
  snapshot(): NumericDerivative {
    const base = { value: this.value, error: this.error, floor: this.floor, step: this.step, method: this.method, kink: this.kink };
    return this.kink ? { ...base, sides: this.sides } : base;
  }

  /** Richardson on `estimates[0..count)` (overwritten); the result object is reused by the next call. */
  extrapolate(estimates: Float64Array, count: number, exponents: readonly number[]): { value: number; error: number } {
    richardsonInPlace(estimates, count, exponents, this.extrapolated);
    return this.extrapolated;
  }
}

/**
 * The numeric derivative of `line` at t = 0, written into `w` without allocating. `x` is the
 * coordinate's value (0 for a direction), used to scale the step and realise it exactly in floating point.
 */
export function numericDerivativeInto(w: DerivativeWorkspace, line: LineFunction, f0: number, x: number, levels: number, tolerances: Tolerances): void {
  const n = levels + 1;
  const scale = Math.max(1, Math.abs(x));
  for (let attempt = 0; attempt < 2; attempt++) {
    const h = (attempt === 0 ? richardsonStepFactor(levels) : CENTRAL_STEP_FACTOR) * scale;
    let plusCrossed = false;
    let minusCrossed = false;
    let magnitude = Math.abs(f0);
    for (let j = 0; j < n; j++) {
      const t = h / 2 ** j;
      const up = x + t - x;
      const down = x - (x - t);
      const fPlus = line.at(up);
      if (line.kinkAware && line.crossed()) plusCrossed = true;
      const fMinus = line.at(-down);
      if (line.kinkAware && line.crossed()) minusCrossed = true;
      magnitude = Math.max(magnitude, Math.abs(fPlus), Math.abs(fMinus));
      w.central[j] = (fPlus - fMinus) / (up + down);
      w.forward[j] = (fPlus - f0) / up;
      w.backward[j] = (f0 - fMinus) / down;
    }
    const floor = roundingFloor(magnitude, h);
    const sideFloor = ONE_SIDED_NOISE_GAIN * floor;
    const last = attempt === 1;
    w.step = h;
    w.kink = false;
    // Richardson's error estimate is only meaningful once the estimates converge at the rate their
    // error series predicts; a step that moves the loss too far (large inputs, saturated units) or
    // straddles a kink is retried at the smaller step, and at the last step a non-converging sequence
    // keeps its whole spread as its error.
    const centralSmooth = convergesAtRateOf(w.central, n, 2, floor);
    const forwardSmooth = convergesAtRateOf(w.forward, n, 1, sideFloor);
    const backwardSmooth = convergesAtRateOf(w.backward, n, 1, sideFloor);
    if (line.kinkAware) {
      if (!plusCrossed && !minusCrossed && (centralSmooth || last)) return central(w, n, floor, centralSmooth);
      // A crossed kink is first retried at the smaller step, where it is usually out of reach and the
      // central estimate is far more accurate than a one-sided one at the larger step.
      if (!last) continue;
      if (plusCrossed || minusCrossed) {
        sides(w, n, sideFloor, forwardSmooth, backwardSmooth);
        if (!plusCrossed) return oneSided(w, 'forward');
        if (!minusCrossed) return oneSided(w, 'backward');
      }
    } else {
      // A black box: a side is smooth when its sequence converges at the rate its error series
      // predicts; Richardson's error estimate means nothing for a stencil that straddles a kink.
      sides(w, n, sideFloor, forwardSmooth, backwardSmooth);
      const sidesAgree =
        Math.abs(w.forwardValue - w.backwardValue) <= tolerance(w.forwardValue, w.backwardValue, w.forwardError + w.backwardError, sideFloor + sideFloor, tolerances);
      if (forwardSmooth && backwardSmooth && sidesAgree && centralSmooth) return central(w, n, floor, true);
      // A kink may sit exactly at θ (then neither side's derivative is *the* derivative): only the
      // smaller step can tell a kink at θ (both sides smooth there, and different) from one beside it.
      // At the smallest step, a side that is not smooth may hide a kink at θ itself: the entry is
      // then a kink, compared only with the one-sided derivatives that are smooth.
      if (!last) continue;
    }
    central(w, n, floor, centralSmooth);
    w.kink = true;
  }
}

/** The largest distance between the first `count` estimates: the error of a sequence that does not converge. */
function spread(estimates: Float64Array, count: number): number {
  let lo = estimates[0];
  let hi = estimates[0];
  for (let j = 1; j < count; j++) {
    lo = Math.min(lo, estimates[j]);
    hi = Math.max(hi, estimates[j]);
  }
  return hi - lo;
}

function central(w: DerivativeWorkspace, n: number, floor: number, converged: boolean): void {
  const wide = converged ? 0 : spread(w.central, n);
  const c = w.extrapolate(w.central, n, CENTRAL_EXPONENTS);
  w.value = c.value;
  w.error = Math.max(c.error, wide);
  w.floor = floor;
  w.method = 'central';
}

function sides(w: DerivativeWorkspace, n: number, sideFloor: number, forwardConverged: boolean, backwardConverged: boolean): void {
  const forwardWide = forwardConverged ? 0 : spread(w.forward, n);
  const backwardWide = backwardConverged ? 0 : spread(w.backward, n);
  const f = w.extrapolate(w.forward, n, ONE_SIDED_EXPONENTS);
  w.forwardValue = f.value;
  w.forwardError = Math.max(f.error, forwardWide);
  const b = w.extrapolate(w.backward, n, ONE_SIDED_EXPONENTS);
  w.backwardValue = b.value;
  w.backwardError = Math.max(b.error, backwardWide);
  w.forwardSmooth = forwardConverged;
  w.backwardSmooth = backwardConverged;
  w.sideFloor = sideFloor;
}

function oneSided(w: DerivativeWorkspace, method: 'forward' | 'backward'): void {
  w.value = method === 'forward' ? w.forwardValue : w.backwardValue;
  w.error = method === 'forward' ? w.forwardError : w.backwardError;
  w.floor = w.sideFloor;
  w.method = method;
}

/** Adapts the closure form of `numericDerivative` to a `LineFunction`. */
class ClosureLine implements LineFunction {
  readonly kinkAware: boolean;
  constructor(
    readonly at: (t: number) => number,
    private readonly crossings?: () => number,
  ) {
    this.kinkAware = crossings !== undefined;
  }
  crossed(): boolean {
    return this.crossings!() > 0;
  }
}

/**
 * `evaluate(t)` returns L at offset t from θ along the coordinate or direction; `crossings`, when
 * given, reports the kink crossings of the evaluation just made. `x` is the coordinate's value
 * (0 for a direction), used to realise steps exactly in floating point.
 */
export function numericDerivative(
  evaluate: (t: number) => number,
  f0: number,
  x: number,
  settings: DerivativeSettings,
  crossings?: () => number,
): NumericDerivative {
  const w = new DerivativeWorkspace();
  numericDerivativeInto(w, new ClosureLine(evaluate, crossings), f0, x, settings.levels, settings.tolerances);
  return w.snapshot();
}

/**
 * Whether estimates at steps h, h/2, h/4, … converge like c·h^p: successive differences shrink by
 * about 2^p (accepted within a factor 2), or are already below the rounding floor.
 */
export function convergesAtRate(estimates: readonly number[], p: number, floor: number): boolean {
  return convergesAtRateOf(estimates, estimates.length, p, floor);
}

/** `convergesAtRate` on the first `count` estimates of any array. */
function convergesAtRateOf(estimates: ArrayLike<number>, count: number, p: number, floor: number): boolean {
  const expected = 2 ** p;
  for (let j = 0; j + 2 < count; j++) {
    const d1 = estimates[j] - estimates[j + 1];
    const d2 = estimates[j + 1] - estimates[j + 2];
    if (Math.max(Math.abs(d1), Math.abs(d2)) <= floor) continue;
    const ratio = d1 / d2;
    if (!(ratio >= expected / 2 && ratio <= expected * 2)) return false;
  }
  return true;
}
