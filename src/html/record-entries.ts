/**
 * Every entry of a reference-mode check, for the heat maps: the same check `checkNetwork` runs (the
 * same estimator, judge and screen), entry by entry, with each entry kept as an `EntryCheck`. A
 * report itself keeps only failing, unresolved and worst entries.
 */
import type { ClaimedGradients } from '../adapters/gradient-case.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import { checkGradients } from '../check/strategies/check-gradients.js';
import { prepareNetworkCheck } from '../check/strategies/check-network.js';
import type { EntryCheck, GradientReport } from '../check/report/report.js';

/** The entries of a check and the report of that same check. */
export interface RecordedEntries {
  readonly entries: readonly EntryCheck[];
  /** The report of the entry-by-entry check the entries come from (its counts are the entries'). */
  readonly report: GradientReport;
}

/**
 * Re-runs `report`'s check on `nc` entry by entry with its tolerances, precision and levels, keeping
 * every entry. `claimed`: the gradients that were checked (default: the engine's own, as `checkNetwork`).
 * The check is deterministic, so for a `full` report the entries are exactly the report's.
 */
export function recordEntries(nc: NetworkCase, report: GradientReport, claimed?: ClaimedGradients): RecordedEntries {
  const includeInputs = report.tensors.some((t) => t.kind === 'x');
  const options = {
    strategy: 'full' as const,
    rtol: report.tolerances.rtol,
    atol: report.tolerances.atol,
    precision: report.precision,
    levels: report.levels,
    includeInputs,
    ...(report.label !== undefined && { label: report.label }),
    ...(claimed !== undefined && { claimed }),
  };
  const prepared = prepareNetworkCheck(nc, options);
  const entries: EntryCheck[] = [];
  const rechecked = checkGradients({ ...prepared.problem, everyEntry: entries }, prepared.options, 'renderHtmlReport');
  return { entries, report: rechecked };
}
