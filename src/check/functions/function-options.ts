/**
 * A function check takes its problem and its `CheckOptions` in one object (`checkVjp({ f, inputs, vjp,
 * rtol })`) or the options as a second argument; every other key is rejected by name.
 */
import { rejectUnknownOptions } from '../../errors.js';
import { CHECK_OPTION_KEYS, type CheckOptions } from '../strategies/check-options.js';

/** Splits a spec into its problem fields (`problemKeys`) and its check options, rejecting any other key. */
export function splitSpec<P extends object>(where: string, spec: P & CheckOptions, options: CheckOptions | undefined, problemKeys: readonly string[]): { problem: P; options: CheckOptions } {
  rejectUnknownOptions(where, options, CHECK_OPTION_KEYS);
  if (spec === null || typeof spec !== 'object') return { problem: spec as P, options: options ?? {} };
  rejectUnknownOptions(where, spec, [...problemKeys, ...CHECK_OPTION_KEYS]);
  const problem: Record<string, unknown> = {};
  const inline: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) ((CHECK_OPTION_KEYS as readonly string[]).includes(key) ? inline : problem)[key] = value;
  return { problem: problem as P, options: { ...inline, ...options } };
}
