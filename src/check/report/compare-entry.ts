/**
 * Compares one claimed value with its numeric derivative and decides pass, fail or skipped-kink.
 */
import { relativeError } from '../numerics/relative-error.js';
import type { EntryCheck, EntryStatus } from './report.js';
import type { NumericDerivative } from '../numerics/numeric-derivative.js';
import { tolerance, type Tolerances } from '../numerics/tolerance.js';

export type EntryPlace = Pick<EntryCheck, 'tensor' | 'layer' | 'kind' | 'index' | 'row' | 'col' | 'direction'>;

/** `claimedRounding`: the tolerance's allowance for the claimed value's own rounding (see tolerance.ts). */
export function compareEntry(place: EntryPlace, claimed: number, d: NumericDerivative, t: Tolerances, claimedRounding = 0): EntryCheck {
  if (d.kink) {
    // θ on or next to a kink: a claimed value equal to either one-sided derivative is a valid
    // (sub)gradient convention; anything else is skipped, never failed.
    for (const side of d.sides ?? []) {
      const tol = tolerance(claimed, side.value, side.error, side.floor, t, claimedRounding);
      if (Math.abs(claimed - side.value) <= tol) {
        return entry(place, claimed, side.value, side.error, tol, d.step, side.method, 'pass', true);
      }
    }
    const tol = tolerance(claimed, d.value, d.error, d.floor, t, claimedRounding);
    return entry(place, claimed, d.value, d.error, tol, d.step, d.method, 'skipped-kink', true);
  }
  const tol = tolerance(claimed, d.value, d.error, d.floor, t, claimedRounding);
  const status: EntryStatus = Math.abs(claimed - d.value) <= tol ? 'pass' : 'fail';
  return entry(place, claimed, d.value, d.error, tol, d.step, d.method, status, d.method !== 'central');
}

function entry(
  place: EntryPlace,
  claimed: number,
  numeric: number,
  errorEstimate: number,
  tol: number,
  step: number,
  method: EntryCheck['method'],
  status: EntryStatus,
  nearKink: boolean,
): EntryCheck {
  // Written out rather than `{ ...place, … }`: V8 (Node 20) builds a spread followed by more keys
  // through slow map transitions, about 1 µs per key, which dominated small checks. One shape for
  // entries and directions (`direction` is undefined for entries, and JSON omits it).
  const absoluteError = Math.abs(claimed - numeric);
  const relative = relativeError(claimed, numeric);
  return {
    tensor: place.tensor,
    layer: place.layer,
    kind: place.kind,
    index: place.index,
    row: place.row,
    col: place.col,
    direction: place.direction,
    claimed,
    numeric,
    errorEstimate,
    absoluteError,
    relativeError: relative,
    tolerance: tol,
    step,
    method,
    status,
    nearKink,
  };
}
