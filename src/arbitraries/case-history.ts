/**
 * What the implementation is asked just before a case: nothing, or a companion case that shares part of
 * it. State kept between calls (a forward cache, a memo, a buffer) is keyed by part of a case; random
 * cases almost never share a part, so a cache keyed by the inputs alone would see every case as new.
 * A companion that shares exactly one part trips such a cache on the case itself, and because the
 * companion is built from the case's own recipe, a replay of the case's path reproduces it on a fresh
 * instance.
 *
 * - `same-inputs`: the same inputs and targets under other weights first (a cache keyed by the inputs);
 * - `same-weights`: the same weights with other inputs first (a cache keyed by the parameters);
 * - `repeated`: the case itself first (state that grows with every call: buffers never zeroed);
 * - `none`: no companion.
 */
import fc from 'fast-check';

/** What the implementation is asked just before a generated case (the list above). */
export type CaseHistory = 'none' | 'same-inputs' | 'same-weights' | 'repeated';

/** The histories other than `none`, in shrink order. */
export const COMPANION_HISTORIES = ['same-inputs', 'same-weights', 'repeated'] as const satisfies readonly CaseHistory[];

/**
 * Cases without a companion per case with one of each kind: 7 : 1 : 1 : 1, so a companion costs 30% more
 * calls, and a bug that only one kind shows is met with probability 1/10 per case: at the default 100
 * runs it is missed with probability 0.9^100 ≈ 3e-5 (pinned in test/arbitraries/case-history.test.ts).
 */
export const PLAIN_WEIGHT = 7;

/** Histories in the proportions above; shrinks to `none`, so a bug that needs no companion loses it. */
export function caseHistory(): fc.Arbitrary<CaseHistory> {
  return fc.integer({ min: 0, max: PLAIN_WEIGHT + COMPANION_HISTORIES.length - 1 }).map((k) => (k < PLAIN_WEIGHT ? 'none' : COMPANION_HISTORIES[k - PLAIN_WEIGHT]));
}

/**
 * A batch row repeated within a case (the first sample copied into the last), for implementations that
 * key anything by a row's values. 1 batch in 8 of two rows or more; shrinks to none.
 */
export const REPEATED_ROW_ODDS = 8;

export function repeatedRow(): fc.Arbitrary<boolean> {
  return fc.integer({ min: 0, max: REPEATED_ROW_ODDS - 1 }).map((k) => k === REPEATED_ROW_ODDS - 1);
}

/** How a description names the companion: `, after the same inputs with other weights`. */
export function describeHistory(history: CaseHistory | undefined): string {
  switch (history) {
    case 'same-inputs':
      return ', after the same inputs with other weights';
    case 'same-weights':
      return ', after the same weights with other inputs';
    case 'repeated':
      return ', checked twice in a row';
    default:
      return '';
  }
}
