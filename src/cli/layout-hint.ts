/**
 * The weight-layout hint: a worker that stores W as (outputs, inputs) but does not declare
 * "weightLayout": "out-in" fails in one of two ways, a NumPy shape error on a non-square layer, or
 * (square layers) a loss that disagrees with the engine's forward pass. In either case the failing
 * case is sent again with the other layout, and the hint is given only if the worker then agrees:
 * gradients and loss. Never the verdict: if the retry cannot be made, there is no hint.
 */
import { checkImplementationCase, idCounter, type ImplementationCheckOptions } from '../adapters/check-implementation.js';
import { resolveConventions } from '../adapters/conventions.js';
import type { Implementation } from '../adapters/implementation.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import type { PropertyResult } from '../runner/assert-gradients.js';

/** NumPy's (and most array libraries') words for operands whose shapes do not fit. */
const SHAPE_ERROR = /shape|not aligned|broadcast|dimension|size \d+ is different/i;

/** Ids for the retry, far from the run's, so the worker's logs tell them apart. */
const RETRY_IDS = 1_000_000_000;

/** Whether the result is one the other layout could explain. */
export function layoutSuspect(result: PropertyResult): 'shape-error' | 'loss' | undefined {
  if (result.interrupted !== undefined) return undefined;
  const loss = result.counterexample?.report.loss;
  if (loss && !loss.agrees) return 'loss';
  if (!result.counterexample && result.error && result.path !== undefined && SHAPE_ERROR.test(result.error.message)) return 'shape-error';
  return undefined;
}

export async function layoutHint(impl: Implementation, nc: NetworkCase, seed: number, options: ImplementationCheckOptions): Promise<string | undefined> {
  const declared = resolveConventions(impl.conventions, `${impl.name}: conventions`);
  const other = declared.weightLayout === 'in-out' ? 'out-in' : 'in-out';
  const trial: Implementation = { ...impl, conventions: { ...declared, weightLayout: other } };
  try {
    const report = await checkImplementationCase(trial, nc, { seed, nextId: idCounter(RETRY_IDS) }, options);
    if (report.verdict !== 'pass' || report.loss?.agrees === false) return undefined;
  } catch {
    return undefined;
  }
  const shape = other === 'out-in' ? 'outputs × inputs, z = W·a + b as in PyTorch' : 'inputs × outputs, z = a·W + b';
  return `${impl.name} agrees on this case when its weights are sent ${other} (W as ${shape}): declare "weightLayout": "${other}" in its handshake's conventions (Python helper: run_worker(..., conventions={"weightLayout": "${other}"})), or run with --layout ${other}`;
}
