/**
 * Advice on a counterexample for `gradcheck check`: the convention hints (a different declared
 * convention that would make it pass) and the diagnosis (the likely mistake), which asks the worker a
 * few more cases. Both are advice, never the verdict: if either cannot be made, the check's result
 * stands and the reason is kept.
 */
import { conventionHints, type ConventionHint } from '../adapters/convention-hints.js';
import type { ImplementationReport } from '../adapters/check-implementation.js';
import type { Implementation } from '../adapters/implementation.js';
import { diagnoseImplementation } from '../diagnosis/diagnose-implementation.js';
import type { Diagnosis } from '../diagnosis/diagnosis.js';

export interface Advice {
  readonly hints: ConventionHint[];
  readonly diagnosis?: Diagnosis;
  /** Why there is no diagnosis. */
  readonly diagnosisError?: string;
}

/** `diagnose: false` gives the hints alone, checked on the counterexample only (they ask the implementation nothing); with the diagnosis, the hints it proved on its probe cases. */
export async function adviceFor(impl: Implementation, report: ImplementationReport, diagnose: boolean): Promise<Advice> {
  let hints: ConventionHint[] = [];
  try {
    hints = conventionHints(report);
  } catch {
    // no hints: the report still stands
  }
  if (!diagnose) return { hints };
  try {
    // The diagnosis proves hints on its probe cases: only those stand (issue 12).
    const diagnosis = await diagnoseImplementation(impl, report);
    return { hints: [...diagnosis.conventions], diagnosis };
  } catch (error) {
    return { hints, diagnosisError: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The CLI's words for float32 code checked as float64: the diagnosis named float32 arithmetic, or proved
 * the float32 declaration. A worker declares its precision in its handshake; the flag overrides it.
 */
export function precisionHint(diagnosis: Diagnosis | undefined, hints: readonly ConventionHint[]): string | undefined {
  const float32 = diagnosis?.cause === 'float32-rounding' || hints.some((h) => h.declare.precision === 'float32');
  return float32 ? "looks like float32 arithmetic, not a bug — declare precision: 'float32' (the handshake's conventions.precision, or --precision float32)" : undefined;
}
