/**
 * The options of `gradcheck check`, their defaults and their validation. A bad value is a commander
 * `InvalidArgumentError`: commander prints `error: option '--runs <n>' argument 'x' is invalid. …`
 * and the command exits 2.
 */
import { InvalidArgumentError } from 'commander';
import type { ReporterSpec } from './reporters/index.js';
import { DEFAULT_TOLERANCES } from '../check/numerics/judge.js';
import type { ImplementationMode } from '../adapters/check-implementation.js';
import { DEFAULT_WORKER_OPTIONS } from '../adapters/subprocess/worker-options.js';

import { STRATEGIES as CHECK_STRATEGIES, type Strategy } from '../check/report/report.js';
import { PRECISIONS as CHECK_PRECISIONS, type Precision } from '../check/numerics/precision.js';
import type { Supports } from '../arbitraries/supports.js';

export type { Strategy };

/** The case constraints (`--activations`, `--min-width`, …) come under the API's names (see constraint-flags.ts). */
export interface CheckCommandOptions extends Supports {
  /** A JSON file with more constraints (flags override it). */
  readonly config?: string;
  /** Random cases. Default: GRADCHECK_RUNS, else 100 (times GRADCHECK_RUNS_SCALE). */
  readonly runs?: number;
  /** fast-check seed. Default: GRADCHECK_SEED, else random (always printed). */
  readonly seed?: number;
  /** fast-check path of a counterexample to replay (needs a seed). Default: GRADCHECK_PATH. */
  readonly path?: string;
  readonly mode: ImplementationMode;
  readonly strategy: Strategy;
  readonly rtol: number;
  /** Absolute tolerance added to every entry's. Default: the checker's (0). */
  readonly atol?: number;
  /** The worker's weight layout; overrides its handshake's `conventions.weightLayout`. */
  readonly layout?: 'in-out' | 'out-in';
  /** The worker's floating-point format; overrides its handshake's `conventions.precision`. */
  readonly precision?: Precision;
  /** Time allowed for the worker's answer to one request message, in ms. */
  readonly timeout: number;
  /** Where to write the full result as JSON. Default: nowhere. */
  readonly json?: string;
  /** Where to stream every case's full record as NDJSON. Default: nowhere. */
  readonly jsonCases?: string;
  /** Where to write the self-contained HTML report (src/html). Default: nowhere. */
  readonly html?: string;
  /** CI reports written once the run is complete (`--reporter`, repeatable). */
  readonly reporter?: readonly ReporterSpec[];
  /** A worker of named functions: the one to check (`--function`). Default: every function it lists. */
  readonly function?: string;
}

export const CHECK_DEFAULTS = {
  mode: 'reference' as ImplementationMode,
  strategy: 'full' as Strategy,
  rtol: DEFAULT_TOLERANCES.rtol,
  timeout: DEFAULT_WORKER_OPTIONS.timeoutMs,
};

export const MODES: readonly ImplementationMode[] = ['reference', 'self'];
export const STRATEGIES: readonly Strategy[] = CHECK_STRATEGIES;
export const PRECISIONS: readonly Precision[] = CHECK_PRECISIONS;
export const LAYOUTS = ['in-out', 'out-in'] as const;

const INT32 = 2 ** 31;

export function parseRuns(value: string): number {
  return integer(value, 1, 1e9, 'a positive integer');
}

export function parseSeed(value: string): number {
  return integer(value, -INT32, INT32 - 1, `an integer in [${-INT32}, ${INT32 - 1}]`);
}

export function parsePath(value: string): string {
  if (!/^\d+(:\d+)*$/.test(value)) throw new InvalidArgumentError('expected a fast-check path such as 3:1:0 (printed by a failing run).');
  return value;
}

export function parseRtol(value: string): number {
  const v = /^[\d.eE+-]+$/.test(value) ? Number(value) : NaN;
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError('expected a relative tolerance between 0 and 1, such as 1e-6.');
  return v;
}

export function parseAtol(value: string): number {
  const v = /^[\d.eE+-]+$/.test(value) ? Number(value) : NaN;
  if (!(v >= 0 && Number.isFinite(v))) throw new InvalidArgumentError('expected an absolute tolerance ≥ 0, such as 1e-12.');
  return v;
}

export function parseTimeout(value: string): number {
  return integer(value, 1, 2 ** 31 - 1, 'a positive integer number of milliseconds');
}

function integer(value: string, min: number, max: number, expected: string): number {
  const v = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(Number.isSafeInteger(v) && v >= min && v <= max)) throw new InvalidArgumentError(`expected ${expected}.`);
  return v;
}
