/**
 * The result of a diagnosis: a named cause (only when exactly one cause reproduces the claimed
 * gradients on the counterexample and every probe case), the candidates that did, the evidence,
 * convention hints (from `adapters/convention-hints.ts`, proven on the probes) and the probe cases run.
 */
import type { CauseKey } from './causes.js';
import type { ConventionHint } from '../adapters/convention-hints.js';
import type { Evidence } from './evidence.js';
import type { Finding } from './findings/finding.js';

/** `named`: one cause reproduces the claim; `ambiguous`: several do; `unknown`: none does; `passed`: nothing to diagnose. */
export type DiagnosisVerdict = 'named' | 'ambiguous' | 'unknown' | 'passed';

/** A known mistake that, recomputed, reproduces the claimed gradients: which, where, the fitted constants and how well it fits. */
export interface CauseMatch {
  readonly key: CauseKey;
  readonly title: string;
  /** Where and how: `layer 2 (the output layer)`, `rate 0.1`. */
  readonly detail: string;
  /** Constants fitted on the failing case (learning rate, cut-off). */
  readonly parameters?: Readonly<Record<string, number>>;
  /** Largest |claimed − recomputed| on the failing case. */
  readonly deviation: number;
  /** Largest |claimed − recomputed| / tolerance (≤ 1 reproduces). */
  readonly worst: number;
  /** Probe cases on which the recomputation also reproduced the implementation's answer. */
  readonly confirmedOn: number;
}

/** One probe case asked of the implementation to tell causes apart: what it varied and which causes it refuted. */
export interface ProbeRecord {
  /** `[1 → identity 1], batch 3, MSE sum`. */
  readonly description: string;
  /** What the probe varies from the counterexample: `batch`, `widths`, `reduction`, `activations`, `depth`, `bias`, `values`. */
  readonly varies: string;
  /** Causes that reproduced everything before and were refuted by this probe. */
  readonly refuted: readonly CauseKey[];
  /** The implementation failed on the probe (it is then ignored). */
  readonly error?: string;
  /** Candidates still standing after this probe (reproduced it, or could not predict it). */
  readonly survivors: readonly CauseKey[];
}

/**
 * Why a counterexample is wrong: a named cause (only when it reproduces the counterexample and every probe),
 * or what is known (the wrong tensors, the first wrong layer, the ratio pattern, the loss), with proven hints.
 */
export interface Diagnosis {
  readonly verdict: DiagnosisVerdict;
  readonly cause?: CauseKey;
  readonly match?: CauseMatch;
  /** Every cause whose recomputation reproduced the claim on the failing case (and on the probes). */
  readonly candidates: readonly CauseMatch[];
  readonly evidence: Evidence;
  readonly conventions: readonly ConventionHint[];
  readonly probes: readonly ProbeRecord[];
  /**
   * When no cause is named: facts about the wrong tensors' entries (which entries, and how the claim
   * relates to the truth there), each verified by recomputation on the counterexample and every probe.
   */
  readonly findings: readonly Finding[];
  /** Set when two calls with the same case returned different gradients. */
  readonly stateful?: { readonly calls: number; readonly deviation: number };
  /** The claimed gradients agree with the correct ones; only the loss value disagreed. */
  readonly lossOnly: boolean;
  /** How far the named cause was tested: `the counterexample and 9 probe cases (varying …)`. */
  readonly confidence?: string;
  readonly implementation: string;
  /** The case diagnosed, as a network description. */
  readonly case: string;
  /** One line: the verdict in words. */
  readonly summary: string;
}
