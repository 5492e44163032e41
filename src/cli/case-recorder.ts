/**
 * Per-case reports for `gradcheck check`'s summary table. The property runner returns only its
 * verdict and counterexample, so the CLI hands it a recording wrapper of the worker: every answer is
 * kept with the case it answers, and after each random case (the runner's `onProgress`) that
 * case is checked again in process from the recorded answers. The check is deterministic, so the
 * report is the runner's own, and the worker is asked nothing more.
 *
 * Space is constant in the number of cases: each report goes into the running summary and to
 * `onReport` (the streamed --json), then is dropped. Reports keep the case ids the worker saw.
 */
import type { NetworkCase } from '../check/objective/network-objective.js';
import { checkImplementationCase, idCounter, type ImplementationCheckOptions, type ImplementationReport } from '../adapters/check-implementation.js';
import { resolveConventions, type Conventions } from '../adapters/conventions.js';
import { fromGradientCases } from '../adapters/gradient-case.js';
import type { GradientCase, GradientResult, Implementation } from '../adapters/implementation.js';
import { RunSummary, type TensorSummary } from './summary-table.js';
import { canLookAhead } from '../runner/look-ahead.js';

/** The report of one random case; `run` counts from 1 in the order fast-check generated them. */
export interface RunReport {
  readonly run: number;
  readonly report: ImplementationReport;
}

/**
 * The answers to one random case's requests, in the order they came. Keyed (by the whole case, as JSON)
 * only when the case is rechecked: most reports are the runner's own (`caseReport`), and keying every
 * answer was ~3% of the CLI's time over long runs (BENCHMARKS.md, "Worker throughput").
 */
type Answers = { readonly kind: 'gradients' | 'loss'; readonly c: GradientCase; readonly result: GradientResult | number }[];

export class CaseRecorder {
  /** Hand this to the runner instead of the implementation itself. */
  readonly implementation: Implementation;
  private readonly conventions: Conventions;
  private answers: Answers = [];
  /** The cases whose gradients were asked since the last random case ended (one, or one per row for per-sample). */
  private asked: GradientCase[] = [];
  private faulted = false;
  private given: ImplementationReport | undefined;
  /** Rechecks run one after another, so reports arrive in run order. */
  private pending: Promise<void> = Promise.resolve();
  private readonly summary = new RunSummary();
  /** What was asked for the first random case the implementation failed on. */
  private firstFault: readonly GradientCase[] | undefined;
  private missing = 0;

  constructor(
    private readonly impl: Implementation,
    private readonly options: ImplementationCheckOptions,
    private readonly onReport: (report: RunReport) => void = () => {},
  ) {
    this.conventions = resolveConventions(impl.conventions, `${impl.name}: conventions`);
    const record = <T>(kind: 'gradients' | 'loss', cases: readonly GradientCase[], results: (T | Error)[]): (T | Error)[] => {
      if (kind === 'gradients') this.asked.push(...cases);
      results.forEach((r, k) => (r instanceof Error ? (this.faulted = true) : this.answers.push({ kind, c: cases[k], result: r as GradientResult | number })));
      return results;
    };
    const many = async <T>(kind: 'gradients' | 'loss', cases: readonly GradientCase[], call: () => Promise<(T | Error)[]>): Promise<(T | Error)[]> => {
      try {
        return record(kind, cases, await call());
      } catch (error) {
        this.faulted = true;
        throw error;
      }
    };
    const one = async <T>(kind: 'gradients' | 'loss', c: GradientCase, call: () => T | Promise<T>): Promise<T> => {
      const [r] = await many(kind, [c], async () => [await call()]);
      return r as T;
    };
    const wrapper: Implementation = {
      name: impl.name,
      conventions: impl.conventions,
      gradients: (c) => one('gradients', c, () => impl.gradients(c)),
      ...(impl.gradientsMany && { gradientsMany: (cases) => many('gradients', cases, () => impl.gradientsMany!(cases)) }),
      ...(impl.loss && { loss: (c) => one('loss', c, () => impl.loss!(c)) }),
      ...(impl.lossMany && { lossMany: (cases) => many('loss', cases, () => impl.lossMany!(cases)) }),
      // Requests sent ahead are not asked yet: recorded when the runner asks them.
      ...(canLookAhead(impl) && { lookAhead: (cases: readonly GradientCase[]) => impl.lookAhead(cases) }),
    };
    this.implementation = wrapper;
  }

  /** The runner's report of the random case being checked (its onReport): kept for `caseDone`, which then needs no recheck. */
  caseReport(report: ImplementationReport): void {
    this.given = report;
  }

  /** Call when random case `run` has been checked (the runner's onProgress). */
  caseDone(run: number): void {
    const [asked, answers, faulted, given] = [this.asked, this.answers, this.faulted, this.given];
    [this.asked, this.answers, this.faulted, this.given] = [[], [], false, undefined];
    // A case the worker failed on is the runner's error to report, not a row of the table.
    if (faulted && this.firstFault === undefined && asked.length > 0) this.firstFault = asked;
    if (faulted || asked.length === 0) return;
    this.pending = this.pending
      .then(() => (given ? { run, report: given } : this.recheck(run, asked, answers)))
      .then((r) => {
        if (r === undefined) return void this.missing++;
        this.summary.add(r);
        this.onReport(r);
      });
  }

  /** Once every case is done: the per-tensor summary, the cases in it, and how many could not be replayed (expected: 0). */
  async finish(): Promise<{ summary: TensorSummary[]; cases: number; missing: number }> {
    await this.pending;
    return { summary: this.summary.tensors(), cases: this.summary.cases, missing: this.missing };
  }

  private async recheck(run: number, everything: readonly GradientCase[], recorded: Answers): Promise<RunReport | undefined> {
    // A later answer to the same case replaces an earlier one, as it would have in a map kept all along.
    const answers = new Map(recorded.map((a) => [key(a.kind, a.c), a.result]));
    // A random case may come with a companion checked first (case-history.ts): the row is the case's own.
    const asked = lastCheck(everything, this.conventions.batch);
    // Batch implementations are asked once per case; per-sample ones once per row of it.
    if (this.conventions.batch === 'batch' && asked.length !== 1) return undefined;
    const answer = <T>(kind: 'gradients' | 'loss', c: GradientCase): T => {
      const found = answers.get(key(kind, c));
      if (found === undefined) throw new Error(`no recorded ${kind} answer`);
      return found as T;
    };
    const replay: Implementation = {
      name: this.impl.name,
      conventions: this.impl.conventions,
      gradients: (c) => answer<GradientResult>('gradients', c),
      loss: (c) => answer<number>('loss', c),
    };
    try {
      // The ids the worker saw: a per-sample worker saw the rows, numbered after the whole case.
      const firstId = this.conventions.batch === 'batch' ? asked[0].id : asked[0].id - 1;
      const report = await checkImplementationCase(replay, this.networkCase(asked), { seed: asked[0].seed, nextId: idCounter(firstId) }, this.options);
      return { run, report };
    } catch {
      return undefined; // not the case the runner checked: leave it out rather than misreport it
    }
  }

  /** The first random case the implementation failed on (an error, not a gradient mismatch), as the runner built it. */
  faultedCase(): { networkCase: NetworkCase; seed: number } | undefined {
    return this.firstFault && { networkCase: this.networkCase(this.firstFault), seed: this.firstFault[0].seed };
  }

  /** The case as the runner built it: parameters mapped back from the declared layout, the rows joined again. */
  networkCase(asked: readonly GradientCase[]): NetworkCase {
    return fromGradientCases(asked, this.conventions);
  }
}

/** A case by its content (ids differ between the run and the recheck); JSON keeps every double exactly. */
function key(kind: string, c: GradientCase): string {
  return JSON.stringify([kind, c.network, c.parameters, c.inputs, c.targets, c.reduction]);
}

/**
 * The cases asked by the last check of a random case. Each check takes one id for the case and, for a
 * per-sample implementation, one more per row, asked in order: so a batch implementation's checks are
 * one case each, and a per-sample one's rows of one check have consecutive ids, the next check's first
 * row two ids further on.
 */
function lastCheck(asked: readonly GradientCase[], batch: Conventions['batch']): readonly GradientCase[] {
  if (batch === 'batch') return asked.slice(-1);
  let start = asked.length - 1;
  while (start > 0 && asked[start - 1].id === asked[start].id - 1) start--;
  return asked.slice(start);
}
