/**
 * One claimed value against its `Estimate`: the judge's verdict (numerics/judge.ts), as an `EntryCheck`.
 */
import { judgeInto, type ConventionInterval, type MutableJudgement, type Tolerances } from '../numerics/judge.js';
import type { Estimate } from '../numerics/estimator.js';
import { relativeError } from '../numerics/relative-error.js';
import type { EntryCheck } from './report.js';

export type EntryPlace = Pick<EntryCheck, 'tensor' | 'layer' | 'kind' | 'index' | 'row' | 'col' | 'direction'>;

const scratch: MutableJudgement = { verdict: 'pass', numeric: 0, uncertainty: 0, tolerance: 0, method: 'central' };

/**
 * `claimedRounding`: what a correct implementation may itself get wrong at this entry (objective/claimed-rounding.ts);
 * `conventions`: the valid conventions' range where several units sit on their kinks (numerics/judge.ts).
 */
export function compareEntry(place: EntryPlace, claimed: number, e: Estimate, t: Tolerances, claimedRounding = 0, conventions?: ConventionInterval): EntryCheck {
  const j = judgeInto(scratch, claimed, e, t, claimedRounding, conventions);
  // Written out rather than `{ ...place, … }`: V8 (Node 20) builds a spread followed by more keys
  // through slow map transitions, about 1 µs per key, which dominated small checks. One shape for
  // entries and directions (`direction` is undefined for entries, and JSON omits it).
  return {
    tensor: place.tensor,
    layer: place.layer,
    kind: place.kind,
    index: place.index,
    row: place.row,
    col: place.col,
    direction: place.direction,
    claimed,
    numeric: j.numeric,
    errorEstimate: j.uncertainty,
    absoluteError: Math.abs(claimed - j.numeric),
    relativeError: relativeError(claimed, j.numeric),
    tolerance: j.tolerance,
    step: e.step,
    method: j.method,
    status: j.verdict,
    nearKink: e.kink !== 'none',
    converged: e.converged,
  };
}
