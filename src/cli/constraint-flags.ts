/**
 * `gradcheck check`'s case-constraint flags: the constraint names of the TypeScript API
 * (src/arbitraries/supports.ts), kebab-cased (`--min-width`), so commander hands them back under
 * the API's own names (`minWidth`). Also the other way: the effective constraints as flags, for the
 * header and the replay line (which must repeat every one of them to replay the same case).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { activationNames, type ActivationName } from '../engine/activation.js';
import { reductions as REDUCTIONS, type Reduction } from '../engine/loss.js';
import type { BiasChoice } from '../arbitraries/architecture.js';
import type { CaseConstraints } from '../arbitraries/network-case.js';
import { SUPPORT_BOUNDS, SUPPORT_CAPS, SUPPORT_FIELDS, type SupportField, type Supports } from '../arbitraries/supports.js';

/** `minWidth` → `--min-width`. */
export function flagOf(field: SupportField): string {
  return `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function list<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T[] => {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const bad = items.find((s) => !(allowed as readonly string[]).includes(s));
    if (items.length === 0 || bad !== undefined) {
      throw new InvalidArgumentError(`expected a comma-separated list of ${what}: ${allowed.join(', ')}${bad !== undefined ? ` (not ${JSON.stringify(bad)})` : ''}.`);
    }
    return items as T[];
  };
}

/** A positive integer up to `cap` (the largest gradcheck draws): `--max-width 2000` is refused in its own words. */
function bounded(cap: number) {
  return (value: string): number => {
    const v = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!(Number.isSafeInteger(v) && v >= 1 && v <= cap)) throw new InvalidArgumentError(`expected an integer in [1, ${cap}].`);
    return v;
  };
}

const BIAS: Record<string, BiasChoice> = { on: true, off: false, mixed: 'mixed' };

function bias(value: string): BiasChoice {
  if (!(value in BIAS)) throw new InvalidArgumentError('expected on (every layer), off (no layer) or mixed (chosen per layer).');
  return BIAS[value];
}

const WHAT: Record<string, string> = {
  Depth: 'dense layers, counting the output layer',
  Width: 'units of a hidden layer',
  Inputs: 'input features',
  Outputs: 'outputs',
  Batch: 'rows of a batch',
};

export function addConstraintOptions(command: Command): Command {
  command
    .addOption(new Option('--activations <list>', 'hidden-layer activations to draw from, such as sigmoid,relu (default: identity,sigmoid,relu)').argParser(list<ActivationName>(activationNames, 'activations')))
    .addOption(new Option('--output-activations <list>', 'output-layer activations to draw from (default: identity,sigmoid,relu)').argParser(list<ActivationName>(activationNames, 'activations')))
    .addOption(new Option('--bias <choice>', 'bias on every layer, off on every layer, or mixed per layer (default mixed)').argParser(bias))
    .addOption(new Option('--reductions <list>', 'loss reductions to draw from, such as mean (default: sum,mean,half-sum)').argParser(list<Reduction>(REDUCTIONS, 'reductions')));
  for (const [lo, hi] of SUPPORT_BOUNDS) {
    const what = WHAT[lo.slice(3)];
    command.addOption(new Option(`${flagOf(lo)} <n>`, `fewest ${what} (at most ${SUPPORT_CAPS[lo]})`).argParser(bounded(SUPPORT_CAPS[lo])));
    command.addOption(new Option(`${flagOf(hi)} <n>`, `most ${what} (at most ${SUPPORT_CAPS[hi]})`).argParser(bounded(SUPPORT_CAPS[hi])));
  }
  return command.addOption(new Option('--config <file>', 'a JSON file { "supports": { … } } with the same constraints (flags override it); see docs/cli.md'));
}

/** The constraint fields of parsed options. */
export function supportsOf(options: Partial<Record<SupportField, unknown>>): Supports {
  return Object.fromEntries(SUPPORT_FIELDS.filter((f) => options[f] !== undefined).map((f) => [f, options[f]])) as Supports;
}

/** The constraints as flags, in a fixed order: `--activations sigmoid --bias on --min-width 2`. */
export function constraintFlags(c: CaseConstraints): string[] {
  const out: string[] = [];
  for (const field of SUPPORT_FIELDS) {
    const v = (c as Record<string, unknown>)[field];
    if (v === undefined) continue;
    const text = Array.isArray(v) ? v.join(',') : v === true ? 'on' : v === false ? 'off' : String(v);
    out.push(`${flagOf(field)} ${text}`);
  }
  return out;
}
