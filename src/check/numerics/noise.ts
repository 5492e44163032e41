/**
 * The noise of a black-box loss, measured rather than assumed: Moré & Wild's ECnoise (J. J. Moré and
 * S. M. Wild, "Estimating computational noise", SIAM J. Sci. Comput. 33(3), 2011, Algorithm 4.1).
 *
 * The loss is sampled at m + 1 = 9 equally spaced points θ + (i − 4)·h·p along one direction p, and
 * the k-th differences of the samples are formed. For smooth f and small h they are dominated by the
 * noise ε_i, whose k-th differences have variance (2k)!/(k!)²·σ², so σ_k = √(γ_k·mean((Δᵏf)²)) with
 * γ_k = (k!)²/(2k)! estimates σ once it stops depending on k: three consecutive levels within a factor 4
 * and a k-th difference that changes sign. h is adjusted by 100× when the samples are all equal (too
 * small) or the levels never settle (too large).
 *
 * A level is accepted only if it is also read at a 16× smaller spacing, within a factor 4: noise does
 * not depend on the spacing, while what a kink or a steep feature contributes to the differences
 * shrinks with it (unless the smaller spacing leaves the samples all equal, which confirms nothing).
 * Rounding noise needs a second look: over moves far below the steps the estimator takes, consecutive
 * points round alike (a sigmoid saturated to 1 − 5e-12 changes by less than an ulp), so the smaller
 * spacing reads it as noise still, but several times less (test/check/noise-confirmation.test.ts:
 * about 6×). Such a level is accepted when a 16× larger spacing reads it again within the factor 4:
 * what a kink inside the tables or a smooth part contributes grows with the spacing (k-th differences
 * ∝ spacing, ∝ spacing^k), noise does not. A feature finer than the spacing (a wiggle of wavelength
 * between the two smaller spacings) reads as smooth at the smaller one, not as noise, and stays
 * rejected (test/functions/column-check.test.ts, an unresolved entry). A smaller spacing that reads
 * more than 4× more is taken instead: only noise can read more there (test/check/noise-underread.test.ts).
 *
 * A loss value is then taken to be within 4σ of the exact one: Gaussian noise exceeds that with
 * probability 6.3e-5 per evaluation (the normal tail beyond 4 standard deviations).
 */
import seedrandom from 'seedrandom';
import { gaussian } from '../../engine/random-parameters.js';
import { unitRoundoff, type Precision } from './precision.js';

/** Samples per estimate (Moré & Wild use m = 8: nine points). */
const SAMPLES = 9;
/** Tries at 100× larger or smaller spacings (Moré & Wild, §5). */
const TRIES = 4;
/** Spacing ratio of the confirming measurement. */
const CONFIRM_RATIO = 16;
/** Standard deviations in the bound on one evaluation's noise. */
export const NOISE_BOUND_SIGMAS = 4;

export type NoiseOutcome = { readonly sigma: number; readonly spacing: number } | { readonly sigma: undefined; readonly reason: 'too-small' | 'too-large' };

/** ECnoise on one table of equally spaced samples: σ, or why it cannot be read off. */
export function noiseLevel(samples: readonly number[]): { sigma?: number; reason?: 'too-small' | 'too-large' } {
  const n = samples.length;
  const f = samples.slice();
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of f) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // The samples span more than 10% of their size: h is too large for the smooth part to vanish.
  if (hi - lo > 0.1 * Math.max(Math.abs(hi), Math.abs(lo))) return { reason: 'too-large' };
  const level = new Array<number>(n - 1).fill(0);
  const signChange = new Array<boolean>(n - 1).fill(false);
  let gamma = 1;
  for (let k = 1; k < n; k++) {
    for (let i = 0; i < n - k; i++) f[i] = f[i + 1] - f[i];
    if (k === 1) {
      let zeros = 0;
      for (let i = 0; i < n - 1; i++) if (f[i] === 0) zeros++;
      if (zeros >= n / 2) return { reason: 'too-small' };
    }
    gamma *= 0.5 * (k / (2 * k - 1));
    let squares = 0;
    let dmin = Infinity;
    let dmax = -Infinity;
    for (let i = 0; i < n - k; i++) {
      squares += f[i] * f[i];
      dmin = Math.min(dmin, f[i]);
      dmax = Math.max(dmax, f[i]);
    }
    level[k - 1] = Math.sqrt((gamma * squares) / (n - k));
    signChange[k - 1] = dmin * dmax < 0;
  }
  for (let k = 0; k + 2 < n - 1; k++) {
    const a = Math.min(level[k], level[k + 1], level[k + 2]);
    const b = Math.max(level[k], level[k + 1], level[k + 2]);
    if (b <= 4 * a && signChange[k]) return { sigma: level[k] };
  }
  return { reason: 'too-large' };
}

/**
 * σ of `lossAlong(t)` = L(θ + t·p) near t = 0, starting from the spacing u^(1/3)·scale (where the
 * smooth part's higher differences are far below float noise for unit-scale curvature).
 */
export function measureNoise(lossAlong: (t: number) => number, scale: number, precision: Precision): NoiseOutcome {
  let spacing = Math.cbrt(unitRoundoff(precision)) * scale;
  let last: 'too-small' | 'too-large' = 'too-large';
  let moved: 'up' | 'down' | undefined;
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const { sigma, reason } = noiseLevel(table(lossAlong, spacing));
    if (sigma !== undefined) {
      const smaller = noiseLevel(table(lossAlong, spacing / CONFIRM_RATIO));
      if (smaller.reason === 'too-small' || sameLevel(smaller.sigma, sigma)) return { sigma, spacing };
      // More than 4× more at 1/16 the spacing: σ under-read noise (a 9-sample reading scatters), since
      // what is not noise contributes at most σ at this spacing and at most σ/16 at the smaller one
      // (k-th differences ∝ spacing^k, a kink's ∝ spacing), under 1/64 of that reading: it is noise.
      if (smaller.sigma !== undefined && smaller.sigma > 4 * sigma) return { sigma: smaller.sigma, spacing: spacing / CONFIRM_RATIO };
      const lessNoise = smaller.sigma !== undefined && smaller.sigma < sigma;
      if (lessNoise && sameLevel(noiseLevel(table(lossAlong, spacing * CONFIRM_RATIO)).sigma, sigma)) return { sigma, spacing };
      return { sigma: undefined, reason: 'too-large' };
    }
    last = reason!;
    const next = reason === 'too-small' ? 'up' : 'down';
    if (moved !== undefined && moved !== next) break;
    moved = next;
    spacing = next === 'up' ? spacing * 100 : spacing / 100;
  }
  return { sigma: undefined, reason: last };
}

/** The SAMPLES values of `lossAlong` at equal spacing, centred on t = 0. */
function table(lossAlong: (t: number) => number, spacing: number): number[] {
  return Array.from({ length: SAMPLES }, (_, i) => lossAlong((i - (SAMPLES - 1) / 2) * spacing));
}

/** Two readings of σ within a factor 4 of each other (the agreement ECnoise asks of its levels). */
function sameLevel(read: number | undefined, sigma: number): boolean {
  return read !== undefined && read <= 4 * sigma && sigma <= 4 * read;
}

/**
 * The line along which noise is measured: a unit direction drawn from `${seed}:noise` (the same for
 * every check of that seed), and the scale of the point, max(1, max |θᵢ|), that measureNoise's steps use.
 */
export function noiseDirection(point: ArrayLike<number>, seed: number): { direction: Float64Array; scale: number } {
  const random = seedrandom(`${seed}:noise`);
  const direction = new Float64Array(point.length);
  let norm = 0;
  for (let i = 0; i < direction.length; i++) {
    direction[i] = gaussian(random);
    norm += direction[i] * direction[i];
  }
  norm = Math.sqrt(norm);
  let scale = 1;
  for (let i = 0; i < direction.length; i++) {
    direction[i] /= norm;
    scale = Math.max(scale, Math.abs(point[i]));
  }
  return { direction, scale };
}
