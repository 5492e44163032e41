/**
 * Checks a generated case the way it was generated: its companion first (`before`: the case that shares
 * its inputs, its weights or everything, case-history.ts), then the case, on the same instance.
 */
import type { GeneratedCase } from '../arbitraries/build-case.js';
import { checkImplementationCase, type ImplementationCheckOptions, type ImplementationReport } from '../adapters/check-implementation.js';
import type { Implementation } from '../adapters/implementation.js';

export interface GeneratedCaseCheck {
  /** The companion's report when it failed, else the case's. */
  readonly report: ImplementationReport;
  /** The case that report is about (the companion or the case). */
  readonly checked: GeneratedCase;
}

export async function checkGeneratedCase(impl: Implementation, c: GeneratedCase, nextId: () => number, options: ImplementationCheckOptions): Promise<GeneratedCaseCheck> {
  if (c.before) {
    // The companion is a case in its own right: a failure of it is a failure, not a preparation.
    const report = await checkImplementationCase(impl, c.before, { seed: c.before.seed, nextId }, options);
    if (report.verdict === 'fail') return { report, checked: c.before };
  }
  return { report: await checkImplementationCase(impl, c, { seed: c.seed, nextId }, options), checked: c };
}

/**
 * Whether a failing case fails only after its companion: checked alone on a new instance, it passes.
 * Then the failure is state keyed by the part the two share, and the runner shrinks it on new instances
 * (each candidate with its own companion), so the state left by one candidate cannot make another fail
 * and the shrunk case fails by itself when replayed. When what failed is the companion (`failed`, the
 * `checked` of `checkGeneratedCase`), the answer is no: it was the instance's first call, after nothing.
 * An error while checking answers no.
 */
export async function failsOnlyAfterCompanion(fresh: () => Implementation | Promise<Implementation>, c: GeneratedCase, failed: GeneratedCase, nextId: () => number, options: ImplementationCheckOptions): Promise<boolean> {
  if (!c.before || failed !== c) return false;
  let instance: Implementation | undefined;
  try {
    instance = await fresh();
    const { before: _companion, ...alone } = c;
    return (await checkImplementationCase(instance, alone, { seed: c.seed, nextId }, options)).verdict !== 'fail';
  } catch {
    return false;
  } finally {
    await instance?.close?.();
  }
}
