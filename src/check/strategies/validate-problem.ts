/**
 * Input checks for `checkGradients`: shapes agree, tensors tile θ, and nothing is NaN or infinite.
 * Every message names the API, the field and the entry.
 */
import { GradcheckError } from '../../errors.js';
import { entryName, locateIndex, tensorSize, type ParameterTensor } from '../../engine/layout.js';
import type { GradientProblem } from './gradient-problem.js';

export function validateProblem(problem: GradientProblem, where = 'checkGradients'): void {
  const { objective, claimed, tensors } = problem;
  const n = objective.point.length;
  if (tensors.length === 0) throw new GradcheckError(where, 'tensors is empty; expected at least one tensor');
  let offset = 0;
  tensors.forEach((t, i) => {
    if (!Number.isInteger(t.rows) || !Number.isInteger(t.cols) || t.rows < 1 || t.cols < 1) {
      throw new GradcheckError(where, `tensors[${i}] (${t.name}) has shape ${t.rows}×${t.cols}; expected positive integers (an empty tensor cannot be checked)`);
    }
    if (t.offset !== offset) {
      throw new GradcheckError(where, `tensors[${i}] (${t.name}) starts at offset ${t.offset}; expected ${offset}, right after the previous tensor`);
    }
    offset += tensorSize(t);
  });
  if (offset !== n) {
    throw new GradcheckError(where, `the tensors cover ${offset} entries but the point has ${n}; expected them to match`);
  }
  if (claimed.length !== n) {
    throw new GradcheckError(where, `claimed gradient has ${claimed.length} entries; expected ${n} (${describeShapes(tensors)})`);
  }
  requireFiniteVector(where, 'claimed gradient', claimed, tensors);
  requireFiniteVector(where, 'point', objective.point, tensors);
}

export function describeShapes(tensors: readonly ParameterTensor[]): string {
  return tensors.map((t) => `${t.name} ${t.rows}×${t.cols}`).join(', ');
}

function requireFiniteVector(where: string, field: string, v: Float64Array, tensors: readonly ParameterTensor[]): void {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      const { tensor, row, col } = locateIndex(tensors, i);
      const layer = tensor.layer > 0 ? `layer ${tensor.layer}, ` : '';
      throw new GradcheckError(where, `${field} ${entryName(tensor, row, col)} (${layer}flat index ${i}) is ${v[i]}; expected a finite number`);
    }
  }
}
