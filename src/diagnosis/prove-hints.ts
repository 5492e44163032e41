/**
 * Proves convention hints: a hint stands only when the implementation, declared with it, passes the
 * check on the counterexample and on every probe case. A hinted reduction R' says the implementation
 * computes R' whatever it is asked: it is asked each case with the case's own reduction, and its answer
 * is checked against R' (a mean that is wrong is not excused by declaring a reduction under which the
 * code happens to be right). A hint that would let a buggy implementation pass one case but not
 * another is refuted, never printed.
 */
import type { NetworkCase } from '../check/objective/network-objective.js';
import { checkImplementationCase, idCounter, type ImplementationReport } from '../adapters/check-implementation.js';
import type { ConventionHint } from '../adapters/convention-hints.js';
import type { Conventions } from '../adapters/conventions.js';
import type { GradientCase, Implementation } from '../adapters/implementation.js';

/** The hints of `hints` that pass on `nc` and every case of `probes`, in their order. */
export async function proveHints(impl: Implementation, report: ImplementationReport, hints: readonly ConventionHint[], nc: NetworkCase, probes: readonly NetworkCase[]): Promise<ConventionHint[]> {
  const proven: ConventionHint[] = [];
  const nextId = idCounter(2_000_000);
  const { rtol, atol } = report.report.tolerances;
  for (const hint of hints) {
    const conventions: Partial<Conventions> = { ...report.conventions, ...hint.declare };
    const declared = conventions.returns === 'update' ? conventions : { ...conventions, learningRate: undefined };
    // The implementation itself, seen with other declared conventions (its methods and state are its own).
    let holds = true;
    for (const c of [nc, ...probes]) {
      const asked = c.reduction;
      const wrapped: Implementation = Object.create(impl, {
        conventions: { value: declared, enumerable: true },
        gradients: { value: (gc: GradientCase) => impl.gradients({ ...gc, reduction: asked }) },
        gradientsMany: { value: impl.gradientsMany && ((cases: readonly GradientCase[]) => impl.gradientsMany!(cases.map((gc) => ({ ...gc, reduction: asked })))) },
      });
      const onCase = hint.declare.reduction ? { ...c, reduction: hint.declare.reduction } : c;
      try {
        const r = await checkImplementationCase(wrapped, onCase, { seed: report.case.seed, nextId }, { rtol, atol });
        holds = r.verdict === 'pass';
      } catch {
        holds = false;
      }
      if (!holds) break;
    }
    if (holds) proven.push(hint);
  }
  return proven;
}
