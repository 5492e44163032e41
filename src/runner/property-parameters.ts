/**
 * Resolves how many cases a property runs and which fast-check seed and path it uses, from options
 * first, then the environment, then defaults:
 *   GRADCHECK_SEED        fast-check seed (fix it for a whole CI run); default: random, always printed
 *   GRADCHECK_PATH        fast-check path of a counterexample to replay (needs the seed)
 *   GRADCHECK_PRELUDE     comma-separated fast-check paths of cases checked before the replayed path
 *                         (a failure that depends on earlier calls; needs the path)
 *   GRADCHECK_RUNS        cases per property when the caller gives no `runs`
 *   GRADCHECK_RUNS_SCALE  multiplies every property's runs (`npm run test:deep` sets 100)
 *   GRADCHECK_LOOK_AHEAD  random cases whose requests are sent to a worker ahead (`lookAhead`; 0: none)
 */
import { GradcheckError } from '../errors.js';

export interface PropertyParameterOptions {
  /** Cases to run. @default GRADCHECK_RUNS, else `defaultRuns` */
  readonly runs?: number;
  /** fast-check seed. @default GRADCHECK_SEED, else random */
  readonly seed?: number;
  /** fast-check path to replay. @default GRADCHECK_PATH */
  readonly path?: string;
  /** Paths of cases to check before the replayed path. @default GRADCHECK_PRELUDE (comma-separated) */
  readonly prelude?: readonly string[];
}

export interface PropertyParameters {
  /** Runs after scaling by GRADCHECK_RUNS_SCALE. */
  readonly runs: number;
  readonly seed: number;
  readonly path?: string;
  /** Paths checked, in order, before the replayed path. */
  readonly prelude?: readonly string[];
  /** Where the seed came from, for the printed line. */
  readonly seedSource: 'option' | 'GRADCHECK_SEED' | 'random';
}

const INT32 = 2 ** 31;

export function resolvePropertyParameters(
  options: PropertyParameterOptions = {},
  defaultRuns = 100,
  env: Readonly<Record<string, string | undefined>> = process.env,
  where = 'runGradientProperty',
): PropertyParameters {
  const base = options.runs ?? envNumber(where, env, 'GRADCHECK_RUNS', (v) => Number.isInteger(v) && v >= 1, 'a positive integer') ?? defaultRuns;
  if (!Number.isInteger(base) || base < 1) throw new GradcheckError(where, `options.runs is ${base}; expected a positive integer`);
  const scale = envNumber(where, env, 'GRADCHECK_RUNS_SCALE', (v) => Number.isFinite(v) && v > 0, 'a number > 0') ?? 1;
  const runs = Math.max(1, Math.round(base * scale));

  let seed: number;
  let seedSource: PropertyParameters['seedSource'];
  const envSeed = envNumber(where, env, 'GRADCHECK_SEED', isSeed, `an integer in [${-INT32}, ${INT32 - 1}]`);
  if (options.seed !== undefined) {
    if (!isSeed(options.seed)) throw new GradcheckError(where, `options.seed is ${options.seed}; expected an integer in [${-INT32}, ${INT32 - 1}]`);
    [seed, seedSource] = [options.seed, 'option'];
  } else if (envSeed !== undefined) {
    [seed, seedSource] = [envSeed, 'GRADCHECK_SEED'];
  } else {
    // fast-check's own default, made explicit so it can be printed.
    [seed, seedSource] = [(Date.now() ^ (Math.random() * 0x100000000)) | 0, 'random'];
  }

  const rawPath = options.path ?? nonEmpty(env.GRADCHECK_PATH);
  const field = options.path !== undefined ? 'options.path' : 'GRADCHECK_PATH';
  if (rawPath !== undefined) {
    if (typeof rawPath !== 'string' || !/^\d+(:\d+)*$/.test(rawPath)) {
      throw new GradcheckError(where, `${field} is ${JSON.stringify(rawPath)}; expected a fast-check path such as "3:1:0"`);
    }
    if (seedSource === 'random') {
      throw new GradcheckError(where, `${field} is "${rawPath}" but no seed is given; a path only replays together with its seed (options.seed or GRADCHECK_SEED)`);
    }
  }
  const prelude = resolvePrelude(options.prelude, env, rawPath, where);
  return { runs, seed, path: rawPath, seedSource, ...(prelude && { prelude }) };
}

const PATH = /^\d+(:\d+)*$/;

function resolvePrelude(option: readonly string[] | undefined, env: Readonly<Record<string, string | undefined>>, path: string | undefined, where: string): readonly string[] | undefined {
  const raw = nonEmpty(env.GRADCHECK_PRELUDE);
  const field = option !== undefined ? 'options.prelude' : 'GRADCHECK_PRELUDE';
  if (option !== undefined && !(Array.isArray(option) && option.every((q) => typeof q === 'string' && PATH.test(q)))) {
    throw new GradcheckError(where, `options.prelude is ${JSON.stringify(option)}; expected an array of fast-check paths such as ["3:1:0"]`);
  }
  const prelude = option ?? raw?.split(',').map((q) => q.trim());
  if (prelude === undefined || prelude.length === 0) return undefined;
  const bad = prelude.find((q) => !PATH.test(q));
  if (bad !== undefined) throw new GradcheckError(where, `${field} is ${JSON.stringify(raw)}; expected comma-separated fast-check paths such as "3:1:0,3:1"`);
  if (path === undefined) throw new GradcheckError(where, `${field} is given but no path; a prelude is checked before a replayed path (options.path or GRADCHECK_PATH)`);
  return prelude;
}

function isSeed(v: number): boolean {
  return Number.isInteger(v) && v >= -INT32 && v < INT32;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

export function envNumber(where: string, env: Readonly<Record<string, string | undefined>>, name: string, ok: (v: number) => boolean, expected: string): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!ok(v)) throw new GradcheckError(where, `environment variable ${name} is ${JSON.stringify(env[name])}; expected ${expected}`);
  return v;
}

/**
 * fast-check parameters (`numRuns`, `seed`, `path`) for a user's own `fc.assert`, honouring the same
 * environment variables. `seedWhenUnset` fixes the seed when neither GRADCHECK_SEED nor an option gives
 * one (this repository's suites use it so CI is reproducible); without it the seed is random.
 */
export function fastCheckParameters(defaultRuns: number, options: { readonly where?: string; readonly seedWhenUnset?: number } = {}): { numRuns: number; seed: number; path?: string } {
  const env = process.env;
  const seed = nonEmpty(env.GRADCHECK_SEED) === undefined ? options.seedWhenUnset : undefined;
  const p = resolvePropertyParameters({ seed }, defaultRuns, env, options.where ?? 'fastCheckParameters');
  return p.path === undefined ? { numRuns: p.runs, seed: p.seed } : { numRuns: p.runs, seed: p.seed, path: p.path };
}

/**
 * A test timeout for a property of `runs` cases: one minute per 1000 cases (about 15 times the slowest
 * case seen), at least one minute, so `GRADCHECK_RUNS_SCALE=100` runs are not cut off.
 */
export function propertyTimeout(runs: number): number {
  return 60_000 * Math.max(1, Math.ceil(runs / 1000));
}
