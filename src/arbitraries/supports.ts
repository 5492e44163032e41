/**
 * What an implementation supports, in the case constraints' own names (`activations`, `bias`,
 * `minWidth`, …), and the intersection of two such declarations: a worker's (its handshake's
 * `supports`) and the user's (command-line flags, a config file). Cases are then drawn only from
 * what both allow; when nothing is, the error names the field and both sides.
 */
import type { ActivationName } from '../engine/activation.js';
import type { Reduction } from '../engine/loss.js';
import { GradcheckError } from '../errors.js';
import { MAX_DEPTH, MAX_WIDTH, type BiasChoice } from './architecture.js';
import { MAX_BATCH } from './batch.js';
import type { CaseConstraints } from './network-case.js';

export const SUPPORT_LISTS = ['activations', 'outputActivations', 'reductions'] as const;
/** Each bound with its partner, lower bound first. */
export const SUPPORT_BOUNDS = [
  ['minDepth', 'maxDepth'],
  ['minWidth', 'maxWidth'],
  ['minInputs', 'maxInputs'],
  ['minOutputs', 'maxOutputs'],
  ['minBatch', 'maxBatch'],
] as const;
/** The largest value gradcheck draws for each bound (its flags and a config file refuse more). */
export const SUPPORT_CAPS: Readonly<Record<(typeof SUPPORT_BOUNDS)[number][number], number>> = {
  minDepth: MAX_DEPTH,
  maxDepth: MAX_DEPTH,
  minWidth: MAX_WIDTH,
  maxWidth: MAX_WIDTH,
  minInputs: MAX_WIDTH,
  maxInputs: MAX_WIDTH,
  minOutputs: MAX_WIDTH,
  maxOutputs: MAX_WIDTH,
  minBatch: MAX_BATCH,
  maxBatch: MAX_BATCH,
};
export const SUPPORT_FIELDS = [...SUPPORT_LISTS, 'bias', ...SUPPORT_BOUNDS.flat()] as const;
export type SupportField = (typeof SUPPORT_FIELDS)[number];

/**
 * What an implementation can be asked (a worker's handshake `supports`, or an in-process declaration):
 * activations, reductions, bias, and bounds on depth, widths and batch. Random cases stay inside it.
 */
export interface Supports {
  readonly activations?: readonly ActivationName[];
  readonly outputActivations?: readonly ActivationName[];
  readonly reductions?: readonly Reduction[];
  readonly bias?: BiasChoice;
  readonly minDepth?: number;
  readonly maxDepth?: number;
  readonly minWidth?: number;
  readonly maxWidth?: number;
  readonly minInputs?: number;
  readonly maxInputs?: number;
  readonly minOutputs?: number;
  readonly maxOutputs?: number;
  readonly minBatch?: number;
  readonly maxBatch?: number;
}

/** One side of an intersection, and how to name where each of its fields came from in an error. */
export interface SupportsSide {
  readonly supports: Supports;
  /** `the worker's supports.minWidth`, `--min-width`, `gradcheck.config.json: minWidth`. */
  readonly name: (field: SupportField) => string;
}

/** Bias on every layer, on none, or either: as the set of bias settings a layer may have. */
function biasSet(b: BiasChoice): boolean[] {
  return b === 'mixed' ? [true, false] : [b];
}

function show(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : value === true ? 'on' : value === false ? 'off' : String(value);
}

/**
 * The constraints both sides allow. Lists keep the order of `first` (the user's: shrinking goes
 * towards its first entry); bounds take the tighter one.
 */
export function intersectSupports(first: SupportsSide, second: SupportsSide, where = 'supports'): CaseConstraints {
  const a = first.supports;
  const b = second.supports;
  const out: Record<string, unknown> = {};
  const nothing = (detail: string): never => {
    throw new GradcheckError(where, `no case satisfies both ${detail}`);
  };
  for (const field of SUPPORT_LISTS) {
    const [x, y] = [a[field] as readonly string[] | undefined, b[field] as readonly string[] | undefined];
    if (x === undefined && y === undefined) continue;
    const both = x === undefined ? y! : y === undefined ? x : x.filter((v) => y.includes(v));
    if (both.length === 0) nothing(`${first.name(field)} ${show(x)} and ${second.name(field)} ${show(y)}: they share none`);
    out[field] = both;
  }
  if (a.bias !== undefined || b.bias !== undefined) {
    const both = a.bias === undefined ? biasSet(b.bias!) : b.bias === undefined ? biasSet(a.bias) : biasSet(a.bias).filter((v) => biasSet(b.bias!).includes(v));
    if (both.length === 0) nothing(`${first.name('bias')} ${show(a.bias)} and ${second.name('bias')} ${show(b.bias)}`);
    out.bias = both.length === 2 ? 'mixed' : both[0];
  }
  for (const [lo, hi] of SUPPORT_BOUNDS) {
    const los = [a[lo], b[lo]].filter((v): v is number => v !== undefined);
    const his = [a[hi], b[hi]].filter((v): v is number => v !== undefined);
    if (los.length > 0) out[lo] = Math.max(...los);
    if (his.length > 0) out[hi] = Math.min(...his);
    if (out[lo] !== undefined && out[hi] !== undefined && (out[lo] as number) > (out[hi] as number)) {
      // Name the two sides the bounds came from (a bound may conflict with its own side's partner too).
      const loSide = a[lo] === out[lo] ? first : second;
      const hiSide = b[hi] === out[hi] ? second : first;
      nothing(`${loSide.name(lo)} ${String(out[lo])} and ${hiSide.name(hi)} ${String(out[hi])}`);
    }
  }
  return out as CaseConstraints;
}
