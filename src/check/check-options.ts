/**
 * Options of `checkGradients`, each with its documented default.
 */
import { GradcheckError } from '../errors.js';
import { DEFAULT_TOLERANCES, type Tolerances } from './tolerance.js';
import type { CheckMode } from './report.js';

export interface CheckOptions {
  /** Relative disagreement that fails an entry. Default 1e-6 (see tolerance.ts). */
  readonly rtol?: number;
  /** Absolute disagreement always accepted. Default 0. */
  readonly atol?: number;
  /** `full`: every entry; `directions`: k random directions per tensor, then locate failures. Default `full`. */
  readonly mode?: CheckMode;
  /** Random directions per tensor in `directions` mode. Default 4. */
  readonly directions?: number;
  /** Seed of the random directions (printed in the report to replay). Default 0. */
  readonly seed?: number;
  /** Richardson levels, 1 to 3. Default 2. */
  readonly levels?: number;
  /** In `directions` mode, check every entry of a failing tensor to name the wrong entries. Default true. */
  readonly locate?: boolean;
  /** A description of what is checked, shown in the report. */
  readonly label?: string;
}

export interface ResolvedCheckOptions {
  readonly tolerances: Tolerances;
  readonly mode: CheckMode;
  readonly directions: number;
  readonly seed: number;
  readonly levels: number;
  readonly locate: boolean;
  readonly label?: string;
}

export function resolveCheckOptions(options: CheckOptions = {}, where = 'checkGradients'): ResolvedCheckOptions {
  const rtol = options.rtol ?? DEFAULT_TOLERANCES.rtol;
  const atol = options.atol ?? DEFAULT_TOLERANCES.atol;
  if (!(rtol >= 0 && rtol < 1)) throw new GradcheckError(where, `options.rtol is ${rtol}; expected a number in [0, 1)`);
  if (!(atol >= 0 && Number.isFinite(atol))) throw new GradcheckError(where, `options.atol is ${atol}; expected a finite number ≥ 0`);
  const mode = options.mode ?? 'full';
  if (mode !== 'full' && mode !== 'directions') {
    throw new GradcheckError(where, `options.mode is ${JSON.stringify(mode)}; expected "full" or "directions"`);
  }
  const directions = options.directions ?? 4;
  if (!Number.isInteger(directions) || directions < 1) {
    throw new GradcheckError(where, `options.directions is ${directions}; expected an integer ≥ 1`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new GradcheckError(where, `options.seed is ${seed}; expected an integer`);
  const levels = options.levels ?? 2;
  if (!Number.isInteger(levels) || levels < 1 || levels > 3) {
    throw new GradcheckError(where, `options.levels is ${levels}; expected 1, 2 or 3`);
  }
  return { tolerances: { rtol, atol }, mode, directions, seed, levels, locate: options.locate ?? true, label: options.label };
}
