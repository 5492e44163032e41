/**
 * Options of `checkGradients`, each with its documented default.
 */
import { GradcheckError } from '../../errors.js';
import { DEFAULT_TOLERANCES, type Tolerances } from '../numerics/judge.js';
import type { EstimatorSettings } from '../numerics/estimator.js';
import { parsePrecision, unitRoundoff, type Precision } from '../numerics/precision.js';
import { STRATEGIES, type Strategy } from '../report/report.js';

/** Options shared by every check (`checkNetwork`, `checkLoss`, `checkImplementationCase`, `runGradientProperty`). */
export interface CheckOptions {
  /** Relative disagreement that fails an entry, in [0, 1). Default 1e-6 (numerics/judge.ts). */
  readonly rtol?: number;
  /** Absolute disagreement always accepted. Default 0. */
  readonly atol?: number;
  /**
   * How entries are checked; one name for this choice in every API, the CLI (`--strategy`) and reports.
   * - `full` (default): every entry.
   * - `directions`: `directions` random unit directions per tensor, then failing tensors entry by entry.
   *   A random projection dilutes a single wrong entry: one entry of an n-entry tensor wrong by a
   *   relative r moves a unit projection by about r/√n of its size, so it is missed whenever r/√n is
   *   below rtol (docs/fast-mode.md). Use `fast` to find single wrong entries cheaply.
   * - `fast`: one probe over all of θ (random signs, magnitudes in [½, 1]) that forgives only numeric
   *   error and rounding, narrowed down by group testing to entry-by-entry checks; 8 to 16 forward
   *   passes on correct claims, and a single entry whose error exceeds twice the probe's resolution is
   *   found with probability 1 (docs/fast-mode.md).
   */
  readonly strategy?: Strategy;
  /**
   * The precision the loss and the claimed gradient are computed in: steps, rounding bounds and the
   * claimed side's allowance follow from its unit roundoff (numerics/precision.ts). Default `float64`.
   */
  readonly precision?: Precision;
  /**
   * Not used by fast mode since its group-testing design (docs/fast-mode.md); validated and kept so
   * that existing calls do not break. Formerly: the relative error of a single entry that is always found. Groups are formed so that
   * rtol·Σ|claimed| over a group stays below sensitivity/2 of each member's |claimed|.
   * Default √max(rtol, u): 1e-3 at the default rtol, and in (rtol, 1) for any rtol in (0, 1), so a
   * group holds about 1/(2√rtol) entries' worth of claims, the geometric mean between one entry
   * (sensitivity = rtol) and no resolution at all (sensitivity = 1). Must lie in (0, 1).
   */
  readonly sensitivity?: number;
  /** Not used by fast mode since its group-testing design (validated, kept for existing calls). Default 1024. */
  readonly groupSize?: number;
  /** Random directions per tensor in `directions` mode. Default 4. */
  readonly directions?: number;
  /** Seed of the random directions (printed in the report to replay). Default 0. */
  readonly seed?: number;
  /** Richardson levels, 1 to 3. Default 2. */
  readonly levels?: number;
  /**
   * Name the wrong entries after a failing direction: `directions` mode checks every entry of the
   * tensor, fast mode bisects the failing group. Default true.
   */
  readonly locate?: boolean;
  /** A description of what is checked, shown in the report. */
  readonly label?: string;
}

/** The fields of `CheckOptions`, for rejecting misspelt ones (errors.ts, `rejectUnknownOptions`). */
export const CHECK_OPTION_KEYS = ['rtol', 'atol', 'strategy', 'precision', 'sensitivity', 'groupSize', 'directions', 'seed', 'levels', 'locate', 'label'] as const;

export interface ResolvedCheckOptions {
  readonly tolerances: Tolerances;
  readonly strategy: Strategy;
  readonly precision: Precision;
  /** What the estimator is told (levels, precision; the loss's rounding comes with the problem). */
  readonly estimator: EstimatorSettings;
  readonly directions: number;
  /** Fast mode only (see CheckOptions). */
  readonly sensitivity: number;
  readonly groupSize: number;
  readonly seed: number;
  readonly levels: number;
  readonly locate: boolean;
  readonly label?: string;
}

export function resolveCheckOptions(options: CheckOptions = {}, where = 'checkGradients'): ResolvedCheckOptions {
  // Types first, with the value as it was passed: a string '1e-3' is not coerced into a tolerance.
  for (const key of NUMBER_OPTIONS) requireType(where, key, options[key], 'number');
  requireType(where, 'locate', options.locate, 'boolean');
  requireType(where, 'label', options.label, 'string');
  const rtol = options.rtol ?? DEFAULT_TOLERANCES.rtol;
  const atol = options.atol ?? DEFAULT_TOLERANCES.atol;
  if (!(rtol >= 0 && rtol < 1)) throw new GradcheckError(where, `options.rtol is ${rtol}; expected a number in [0, 1)`);
  if (!(atol >= 0 && Number.isFinite(atol))) throw new GradcheckError(where, `options.atol is ${atol}; expected a finite number ≥ 0`);
  const strategy = options.strategy ?? 'full';
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    throw new GradcheckError(where, `options.strategy is ${JSON.stringify(strategy)}; expected one of ${STRATEGIES.map((s) => `'${s}'`).join(', ')}`);
  }
  const precision = parsePrecision(options.precision ?? 'float64', where, 'options.precision');
  const sensitivity = options.sensitivity ?? Math.sqrt(Math.max(rtol, unitRoundoff(precision)));
  if (!(sensitivity > 0 && sensitivity < 1)) throw new GradcheckError(where, `options.sensitivity is ${sensitivity}; expected a number in (0, 1)`);
  const groupSize = options.groupSize ?? 1024;
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new GradcheckError(where, `options.groupSize is ${groupSize}; expected an integer ≥ 1`);
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
  return { tolerances: { rtol, atol }, strategy, precision, estimator: { levels, precision }, directions, sensitivity, groupSize, seed, levels, locate: options.locate ?? true, label: options.label };
}

/** The numeric options: each must be a number (or absent) before its range is checked. */
const NUMBER_OPTIONS = ['rtol', 'atol', 'sensitivity', 'groupSize', 'directions', 'seed', 'levels'] as const;

/**
 * Throws unless `value` is absent or of type `type`, showing the value as it was passed:
 * `options.rtol is the string "1e-3"; expected a number`.
 */
export function requireType(where: string, key: string, value: unknown, type: 'number' | 'string' | 'boolean'): void {
  if (value === undefined || typeof value === type) return;
  throw new GradcheckError(where, `options.${key} is ${describeValue(value)}; expected ${type === 'number' ? 'a number' : type === 'string' ? 'a string' : 'true or false'}`);
}

/** A value as it was passed, with its type when that is what is wrong: `the string "1e-3"`, `null`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
