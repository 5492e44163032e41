/**
 * What the catalogue records about each mutant: what the mistake is, the cause a diagnosis should
 * name, and the smallest case that can show it (in the generators' shrink order: identity before
 * sigmoid before relu, MSE sum before mean before half-sum, bias on, width and batch 1 first).
 */
import type { NetworkSpec } from '../../src/engine/dense-layer.js';
import type { Reduction } from '../../src/engine/loss.js';
import type { Implementation } from '../../src/adapters/implementation.js';
import type { CauseKey } from '../../src/diagnosis/causes.js';

export interface SmallestCase {
  readonly network: NetworkSpec;
  readonly batch: number;
  readonly reduction: Reduction;
  /** The bug shows only where sigmoid units are saturated (|z| ≳ 7). */
  readonly saturated?: boolean;
  /** Calls with the same architecture needed before the bug shows (stateful bugs). Default 1. */
  readonly calls?: number;
  /** What the earlier calls share with the case (state keyed by part of a case): its inputs or its weights. */
  readonly shares?: 'inputs' | 'weights';
  /** A `demonstrationCase` seed whose values show the bug (needed where only some values do). Default 1. */
  readonly seed?: number;
}

export interface Mutant {
  readonly id: string;
  readonly title: string;
  /** The mistake in a person's words, and why it is wrong. */
  readonly description: string;
  /** The planted cause(s): one for a single-bug mutant. */
  readonly causes: readonly CauseKey[];
  /** When it shows: `any case`, `batch > 1`, `≥ 2 hidden layers`, `saturated units`, … */
  readonly shows: string;
  readonly smallest: SmallestCase;
  /** Double bugs: the smallest case of each other bug (a counterexample may show either). */
  readonly alsoSmallest?: readonly SmallestCase[];
  /** A fresh instance (stateful mutants must not share state between runs). */
  create(): Implementation;
}

/** A change that is not a gradient bug: gradcheck must pass it. */
export interface NotABug {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  create(): Implementation;
}

/** `[inputs → a₁ w₁ → …]` in the catalogue's shorthand: `net(1, ['identity', 1])`. */
export function net(inputs: number, ...layers: readonly (readonly [NetworkSpec['layers'][number]['activation'], number])[]): NetworkSpec {
  return { inputs, layers: layers.map(([activation, outputs]) => ({ outputs, activation, bias: true })) };
}
