/**
 * The command line that replays a `gradcheck check` run, ready to paste into a POSIX shell:
 * `gradcheck check python3 worker.py --seed 42 --path 3:1:0`. Only options that change what is
 * checked are repeated (the number of runs only when no path is given: a path names one case), and every case
 * constraint in force, whether it came from a flag, --config or the worker's handshake.
 */
import type { CheckCommandOptions } from './check-options.js';
import { CHECK_DEFAULTS } from './check-options.js';
import type { CaseConstraints } from '../arbitraries/network-case.js';
import { constraintFlags } from './constraint-flags.js';

/** A word as a shell reads it: bare when it is safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `constraints` are the effective ones (the worker's supports ∩ the user's): every one is repeated, so the replay draws from the same cases. */
export function replayCommand(worker: readonly string[], options: CheckCommandOptions, seed: number, path?: string, constraints: CaseConstraints = {}): string {
  const flags = [`--seed ${seed}`];
  if (path !== undefined) flags.push(`--path ${path}`);
  // Without a path the replay is the whole run again, so it needs the same number of cases.
  else if (options.runs !== undefined) flags.push(`--runs ${options.runs}`);
  if (options.mode !== CHECK_DEFAULTS.mode) flags.push(`--mode ${options.mode}`);
  if (options.strategy !== CHECK_DEFAULTS.strategy) flags.push(`--strategy ${options.strategy}`);
  if (options.rtol !== CHECK_DEFAULTS.rtol) flags.push(`--rtol ${options.rtol}`);
  if (options.atol !== undefined) flags.push(`--atol ${options.atol}`);
  if (options.layout !== undefined) flags.push(`--layout ${options.layout}`);
  if (options.precision !== undefined) flags.push(`--precision ${options.precision}`);
  if (options.timeout !== CHECK_DEFAULTS.timeout) flags.push(`--timeout ${options.timeout}`);
  flags.push(...constraintFlags(constraints));
  const command = worker.map(shellQuote).join(' ');
  // A worker with options of its own goes after `--`, so gradcheck does not read them.
  return worker.some((w) => w.startsWith('-')) ? `gradcheck check ${flags.join(' ')} -- ${command}` : `gradcheck check ${command} ${flags.join(' ')}`;
}

/**
 * `GRADCHECK_PRELUDE="3:1:0" `, to put before the replay command of a failure that depends on earlier
 * calls (the cases the replay checks before its path, found by the runner); empty otherwise.
 */
export function preludeEnv(result: { readonly path?: string; readonly state?: { readonly prelude?: readonly string[] } }): string {
  const prelude = result.state?.prelude;
  return result.path !== undefined && prelude !== undefined && prelude.length > 0 ? `GRADCHECK_PRELUDE="${prelude.join(',')}" ` : '';
}
