/**
 * A finding: a fact about the entries of one wrong tensor that the evidence proves when no known
 * mistake explains the claim. It says which entries are wrong (a pattern: a row, a column, a unit, the
 * entries of one sign, …) and how the claim relates to the truth there (zero, scaled, clipped, another
 * tensor's gradient, a subset of the per-sample contributions). It is stated only when recomputing it
 * reproduces the claimed tensor on the counterexample and on every probe case the implementation
 * answered (the standard of a named cause: agreement.ts), and on at least one probe when any was answered.
 */

/** How the claim relates to the correct gradient on the finding's entries. */
export type RelationKind = 'zero' | 'negated' | 'scaled' | 'clipped' | 'norm-clipped' | 'other-tensor' | 'plus-other-tensor' | 'samples' | 'output-gradient' | 'multiplicity';

/** One verified fact about a tensor's entries. */
export interface Finding {
  /** The tensor on the counterexample: `W2`, `b1`, `x`; `dL/dŷ` or `every tensor` for a finding about the whole claim (relations `output-gradient`, `multiplicity`). */
  readonly tensor: string;
  /** The tensor in terms that carry over to other cases: `W of the output layer`. */
  readonly place: string;
  /** Which entries, in words: `every entry`, `the last unit's column`, `the entries whose correct value is > 0`. */
  readonly entries: string;
  /** The entry pattern's key: `all`, `col-last`, `row-first`, `sign-positive`, … */
  readonly mask: string;
  readonly relation: RelationKind;
  /** The relation in words: `claimed = 0`, `claimed = −1 × correct`, `claimed = W1's correct gradient`. */
  readonly says: string;
  /** Constants fitted on the counterexample and held fixed on the probes. */
  readonly parameters?: Readonly<Record<string, number>>;
  /** The entries (row-major indices within the tensor, on the counterexample) the finding covers: drawn in the heat map. */
  readonly indices: readonly number[];
  /** Probe cases on which the recomputation reproduced the claimed tensor. */
  readonly confirmedOn: number;
  /** Says more than the tensor-level evidence (a pattern of entries, or a relation other than one ratio). */
  readonly specific: boolean;
  /** The whole finding in one sentence. */
  readonly text: string;
}
