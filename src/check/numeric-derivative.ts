/**
 * One numeric derivative with its error estimate: central differences at steps h, h/2, h/4 refined
 * by Richardson extrapolation, aware of kinks (points where the loss is not differentiable).
 *
 * Kinks: with a kink probe (the reference engine reports how many ReLU pre-activations changed sign
 * at each stencil point), a stencil that crosses a kink on one side only is replaced by a one-sided
 * difference on the smooth side; crossing on both sides retries at the smaller central step
 * ε^(1/3), then gives up (`kink: true`). Without a probe (black boxes), a kink shows as forward and
 * backward one-sided derivatives that disagree beyond their error estimates.
 */
import { CENTRAL_EXPONENTS, ONE_SIDED_EXPONENTS, richardson } from './richardson.js';
import { centralStep, richardsonStep } from './step.js';
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
  const scales = [richardsonStep(x, settings.levels), centralStep(x)];
  let last: NumericDerivative | undefined;
  for (const h of scales) {
    const n = settings.levels + 1;
    const central: number[] = [];
    const forward: number[] = [];
    const backward: number[] = [];
    let plusCrossed = false;
    let minusCrossed = false;
    let magnitude = Math.abs(f0);
    for (let j = 0; j < n; j++) {
      const t = h / 2 ** j;
      const up = x + t - x;
      const down = x - (x - t);
      const fPlus = evaluate(up);
      if (crossings && crossings() > 0) plusCrossed = true;
      const fMinus = evaluate(-down);
      if (crossings && crossings() > 0) minusCrossed = true;
      magnitude = Math.max(magnitude, Math.abs(fPlus), Math.abs(fMinus));
      central.push((fPlus - fMinus) / (up + down));
      forward.push((fPlus - f0) / up);
      backward.push((f0 - fMinus) / down);
    }
    const floor = roundingFloor(magnitude, h);
    const c = richardson(central, CENTRAL_EXPONENTS);
    const f = richardson(forward, ONE_SIDED_EXPONENTS);
    const b = richardson(backward, ONE_SIDED_EXPONENTS);
    const sides: OneSidedEstimate[] = [
      { ...f, floor: ONE_SIDED_NOISE_GAIN * floor, method: 'forward' },
      { ...b, floor: ONE_SIDED_NOISE_GAIN * floor, method: 'backward' },
    ];
    let crossedBoth: boolean;
    if (crossings) {
      if (!plusCrossed && !minusCrossed) return { ...c, floor, step: h, method: 'central', kink: false };
      if (!plusCrossed) return { ...f, floor: sides[0].floor, step: h, method: 'forward', kink: false };
      if (!minusCrossed) return { ...b, floor: sides[1].floor, step: h, method: 'backward', kink: false };
      crossedBoth = true;
    } else {
      // A black box: a side is smooth when its sequence converges at the rate its error series
      // predicts; Richardson's error estimate means nothing for a stencil that straddles a kink.
      const forwardSmooth = convergesAtRate(forward, 1, sides[0].floor);
      const backwardSmooth = convergesAtRate(backward, 1, sides[1].floor);
      const sidesAgree = Math.abs(f.value - b.value) <= tolerance(f.value, b.value, f.error + b.error, sides[0].floor + sides[1].floor, settings.tolerances);
      if (forwardSmooth && backwardSmooth && sidesAgree && convergesAtRate(central, 2, floor)) {
        return { ...c, floor, step: h, method: 'central', kink: false };
      }
      if (forwardSmooth && !backwardSmooth) return { ...f, floor: sides[0].floor, step: h, method: 'forward', kink: false };
      if (backwardSmooth && !forwardSmooth) return { ...b, floor: sides[1].floor, step: h, method: 'backward', kink: false };
      crossedBoth = true;
    }
    last = { ...c, floor, step: h, method: 'central', kink: crossedBoth, sides };
  }
  return last!;
}

/**
 * Whether estimates at steps h, h/2, h/4, … converge like c·h^p: successive differences shrink by
 * about 2^p (accepted within a factor 2), or are already below the rounding floor.
 */
export function convergesAtRate(estimates: readonly number[], p: number, floor: number): boolean {
  const expected = 2 ** p;
  for (let j = 0; j + 2 < estimates.length; j++) {
    const d1 = estimates[j] - estimates[j + 1];
    const d2 = estimates[j + 1] - estimates[j + 2];
    if (Math.max(Math.abs(d1), Math.abs(d2)) <= floor) continue;
    const ratio = d1 / d2;
    if (!(ratio >= expected / 2 && ratio <= expected * 2)) return false;
  }
  return true;
}
