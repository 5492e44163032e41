/**
 * What a diagnosis works on: the case as the reference engine sees it, the claimed dL/dθ (and dL/dx)
 * laid out like the engine's flat vector, the correct gradient, and the tolerances of the check.
 */
import { GradcheckError } from '../errors.js';
import type { ParameterTensor } from '../engine/layout.js';
import { matrixFromRows } from '../engine/matrix.js';
import { Network } from '../engine/network.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import type { Tolerances } from '../check/numerics/judge.js';
import type { ImplementationReport } from '../adapters/check-implementation.js';
import { claimedFromResult } from '../adapters/gradient-case.js';
import { networkClaimedRounding } from '../check/objective/claimed-rounding.js';

export interface DiagnosisCase {
  readonly nc: NetworkCase;
  /** Parameter tensors, then `x` when the implementation returned dL/dx. */
  readonly tensors: readonly ParameterTensor[];
  readonly claimed: Float64Array;
  readonly correct: Float64Array;
  readonly withInputs: boolean;
  readonly tolerances: Tolerances;
  /** What a correct implementation may get wrong per entry, in `claimed`'s layout (objective/claimed-rounding.ts). */
  readonly rounding: Float64Array;
}

/** The engine's view of a report's case: parameters mapped back from the declared layout. */
export function networkCaseOf(report: ImplementationReport): NetworkCase {
  const gc = report.case;
  const network = new Network(gc.network);
  const asGiven = { ...report.conventions, returns: 'gradient' as const, learningRate: undefined };
  const where = `diagnose: ${report.implementation}: case ${gc.id}`;
  const { parameters } = claimedFromResult({ parameters: gc.parameters }, network, asGiven, gc.inputs.length, where);
  return { network, params: parameters, inputs: matrixFromRows(gc.inputs, where), targets: matrixFromRows(gc.targets, where), reduction: gc.reduction };
}

export function diagnosisCase(report: ImplementationReport, nc: NetworkCase = networkCaseOf(report)): DiagnosisCase {
  const p = nc.network.parameterCount;
  if (report.claimed.parameters.length !== p) {
    throw new GradcheckError('diagnose', `report.claimed.parameters has ${report.claimed.parameters.length} entries but the case's network has ${p}; expected the case the report was made for`);
  }
  const withInputs = report.claimed.inputs !== undefined;
  const tensors: ParameterTensor[] = [...nc.network.tensors];
  if (withInputs) tensors.push({ name: 'x', layer: 0, kind: 'x', rows: nc.inputs.rows, cols: nc.inputs.cols, offset: p });
  return { nc, tensors, claimed: flatClaimed(report.claimed, p), correct: correctGradient(nc, withInputs), withInputs, tolerances: report.report.tolerances, rounding: networkClaimedRounding(nc, withInputs, report.conventions.precision) };
}

export function flatClaimed(claimed: ImplementationReport['claimed'], parameterCount: number): Float64Array {
  const out = new Float64Array(parameterCount + (claimed.inputs?.length ?? 0));
  out.set(claimed.parameters);
  if (claimed.inputs) out.set(claimed.inputs, parameterCount);
  return out;
}

/** The reference engine's exact gradient (dL/dθ, then dL/dx when asked). */
export function correctGradient(nc: NetworkCase, withInputs: boolean): Float64Array {
  const g = nc.network.gradients(nc.params, nc.inputs, nc.targets, nc.reduction);
  const out = new Float64Array(g.parameters.length + (withInputs ? g.inputs.length : 0));
  out.set(g.parameters);
  if (withInputs) out.set(g.inputs, g.parameters.length);
  return out;
}
