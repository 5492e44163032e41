/**
 * Case constraints that honour an implementation's declared conventions: an implementation that
 * supports one reduction only gets cases with that reduction.
 */
import { GradcheckError } from '../errors.js';
import type { CaseConstraints } from '../arbitraries/network-case.js';
import type { Conventions } from '../adapters/conventions.js';

export function constraintsForConventions(constraints: CaseConstraints, conventions: Conventions, implementation: string, where = 'runGradientProperty'): CaseConstraints {
  const declared = conventions.reduction;
  if (declared === undefined) return constraints;
  if (constraints.reductions !== undefined && !constraints.reductions.includes(declared)) {
    throw new GradcheckError(
      where,
      `constraints.reductions is ${JSON.stringify(constraints.reductions)} but ${implementation} declares reduction '${declared}'; expected a list that includes '${declared}' (or no reductions constraint)`,
    );
  }
  return { ...constraints, reductions: [declared] };
}
