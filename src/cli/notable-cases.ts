/**
 * What `gradcheck check --json FILE` keeps of the random cases, in space that does not grow with --runs:
 * a tally of the verdicts, the cases worth a look (a failing one, or one with entries finite differences
 * could not settle) listed by run, fast-check path and case seed, and the first of them in full. Every
 * case, notable or not, is replayed by its path: run k of a search is fast-check path "k − 1".
 * Full records of every case are `--json-cases FILE` (case-stream.ts).
 */
import type { RunReport } from './case-recorder.js';
import { jsonReplacer } from './json-output.js';
import type { CaseLine, CaseTally, CheckResultFields, NotableCase } from './check-result-schema.js';

/**
 * A passing 100k-run document is allowed 100 kB (issue 22); the per-tensor summary takes about 5 kB.
 * Notable cases listed by run take about 95 bytes each: 400 keep the list under 40 kB; the count says
 * how many there were in all.
 */
export const MAX_LISTED = 400;
/**
 * Characters of the notable cases kept in full: an inconclusive case of the default random networks
 * is about 7 kB (measured on examples/python/numpy_mlp.py), so about 5 of them. The first notable case
 * and a failing one (it ends the search) are kept whatever their size: a large network's case is the
 * size of its parameters.
 */
export const IN_FULL_BUDGET = 40_000;

export class NotableCases {
  private readonly tally: CaseTally = { checked: 0, pass: 0, fail: 0, inconclusive: 0, withUnresolved: 0 };
  private readonly listed: NotableCase[] = [];
  private readonly inFull: CaseLine[] = [];
  private inFullSize = 0;
  private count = 0;

  /** `replayedPath`: the --path the run started from (then a case's own path is not known). */
  constructor(private readonly replayedPath: string | undefined) {}

  /** `full` is the case's whole record, kept only when it is among the first notable ones. */
  add({ run, report }: RunReport, full: () => CaseLine): void {
    const counts = report.report.counts;
    this.tally.checked++;
    if (report.verdict === 'pass') this.tally.pass++;
    else if (report.verdict === 'fail') this.tally.fail++;
    else this.tally.inconclusive++;
    if (counts.unresolved > 0) this.tally.withUnresolved++;
    if (report.verdict === 'pass' && counts.unresolved === 0) return;
    this.count++;
    if (this.listed.length < MAX_LISTED) {
      const path = this.replayedPath === undefined ? String(run - 1) : null;
      this.listed.push({ run, path, caseSeed: report.case.seed, verdict: report.verdict, failed: counts.failed, unresolved: counts.unresolved });
    }
    if (this.inFullSize >= IN_FULL_BUDGET && report.verdict !== 'fail') return;
    const record = full();
    const size = JSON.stringify(record, jsonReplacer).length;
    if (this.inFull.length === 0 || report.verdict === 'fail' || this.inFullSize + size <= IN_FULL_BUDGET) {
      this.inFull.push(record);
      this.inFullSize += size;
    }
  }

  /** The document's fields: `caseTally`, `notableCases` (count, listed, inFull) and the rule that replays any case. */
  fields(caseReplay: string | null): Pick<CheckResultFields, 'caseTally' | 'caseReplay' | 'notableCases'> {
    return {
      caseTally: { ...this.tally },
      caseReplay,
      notableCases: { count: this.count, listed: [...this.listed], inFull: [...this.inFull] },
    };
  }
}
