/**
 * A function check's report: a `GradientReport` (the same tally, verdicts and replay settings as every
 * check) with the function's name, what was checked, the calls of f it took, and every failing and
 * unresolved entry located by input name and multi-index (and, for the Jacobian, output name and index).
 */
import type { EntryCheck, GradientReport } from '../report/report.js';

/** What a function check compared: a vector–Jacobian product, a Jacobian–vector product, or every Jacobian entry. */
export type FunctionCheckKind = 'vjp' | 'jvp' | 'jacobian';

/** A failing or unresolved entry, located in the function's own tensors. */
export interface LocatedEntry {
  /** The entry as the judge saw it (claimed, numeric, error estimate, step, verdict). */
  readonly entry: EntryCheck;
  /** The input differentiated (VJP, Jacobian); absent for a JVP entry. */
  readonly input?: string;
  /** The input entry's multi-index (row-major, as its shape has it). */
  readonly inputIndex?: readonly number[];
  /** The output (JVP, Jacobian); absent for a VJP entry. */
  readonly output?: string;
  readonly outputIndex?: readonly number[];
  /** `x[3]`, `y[0,2]` or `∂y[1]/∂x[2]`; `x dir 2` for a random direction. */
  readonly label: string;
  /** An unresolved entry: the steps h the estimator tried (largest first) and its central difference at each. */
  readonly steps?: readonly number[];
  readonly estimates?: readonly number[];
}

/** How a two-stage check settled its (scalar, entry) pairs (check/functions/column-check.ts). */
export interface StageCounts {
  /** Settled by the column stage (three calls of f per input entry, shared by every output). */
  readonly columnSettled: number;
  /** Refined by the estimator (Richardson, retries). */
  readonly refined: number;
  /** Whose claim and numeric value both lay within the estimate's uncertainty: they check nothing. */
  readonly negligible: number;
}

/** The report of `checkVjp`, `checkJvp` or `checkJacobian`. */
export interface FunctionReport extends GradientReport {
  readonly check: FunctionCheckKind;
  /** The function's name (`FunctionProblemBase.name`, default `f`). */
  readonly function: string;
  /** Calls of f the check made, the first evaluation included. */
  readonly evaluations: number;
  /** When the cotangent (VJP) or tangent (JVP) was drawn at random: the seed that draws it again. */
  readonly drawSeed?: number;
  /** Entry-by-entry checks (`full`): how the two stages settled the entries. */
  readonly stages?: StageCounts;
  /**
   * True when every judged entry was negligible (claim and numeric value within the estimate's own
   * uncertainty: a saturated function), so the check proves nothing; the verdict is then `inconclusive`.
   */
  readonly checksNothing?: boolean;
  /** Every failing entry, then every unresolved one, in the function's own names and indices. */
  readonly located: readonly LocatedEntry[];
}
