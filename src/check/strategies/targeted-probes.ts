/**
 * Fast mode (docs/fast-mode.md): one probe over all of θ (group-probe.ts) settles a correct gradient
 * in one directional derivative — levels + 2 central differences, 8 loss evaluations at levels 2, each
 * one forward pass —, and a probe that is not clean is narrowed down by group testing: its group is
 * split in two (at the tensor boundary nearest its middle while it spans several tensors, then into
 * halves of consecutive entries, that is, blocks of rows), each half probed with the same weights, down
 * to groups of at most LEAF_SIZE entries, which get the entry-by-entry check and its judge. A single
 * wrong entry costs 2·log₂(n/LEAF_SIZE) further probes; clean halves are dropped.
 *
 * Why verdicts are the entry-by-entry check's: every failure, unresolved or skipped entry comes from
 * `checkEntry` (the one estimator and judge, with the same per-layer settings as the full check); a
 * clean probe only says that no entry of its group is off by more than the probe can see (the
 * resolution in docs/fast-mode.md). A suspicious probe whose halves locate nothing has its unsettled
 * entries checked one by one; if that too finds nothing (errors that cancel in every half) and the judge
 * fails the probe with every entry's allowance summed, the probe is reported itself as a failure.
 */
import seedrandom from 'seedrandom';
import type { ParameterTensor } from '../../engine/layout.js';
import type { GradientProblem } from './gradient-problem.js';
import type { ResolvedCheckOptions } from './check-options.js';
import { checkEntry, type CoordinateLine } from './coordinate-line.js';
import type { EstimateWorkspace } from '../numerics/estimator.js';
import type { EntryCheck, TensorReport } from '../report/report.js';
import { GroupProbe, type ProbeResult } from './group-probe.js';
import { FastTallies } from './fast-tallies.js';

/** Groups of at most this many entries are checked entry by entry: a probe of two costs what they do. */
export const LEAF_SIZE = 2;

export interface FastContext {
  readonly problem: GradientProblem;
  readonly f0: number;
  /** Settings of the probes (the whole loss's rounding: valid for every line). */
  readonly settings: ResolvedCheckOptions;
  /** Settings of one tensor's entry-by-entry checks (its layer's loss rounding), as in the full check. */
  readonly settingsFor: (tensor: ParameterTensor) => ResolvedCheckOptions;
  readonly workspace: EstimateWorkspace;
  readonly line: CoordinateLine;
}

/** Fast mode over every tensor: one report per tensor; failures and unresolved entries appended. */
export function checkFast(context: FastContext, failures: EntryCheck[], unresolved: EntryCheck[]): { reports: TensorReport[]; evaluations: number } {
  const { problem, settings } = context;
  const n = problem.objective.point.length;
  const tallies = new FastTallies(problem, settings.tolerances, unresolved);
  const settled = new Uint8Array(n);
  const probe = new GroupProbe({ objective: problem.objective, claimed: problem.claimed, claimedRounding: () => problem.claimedRounding }, context.f0, settings.estimator, settings.tolerances);
  const search = new GroupSearch(context, tallies, probe, probeWeights(settings.seed, n), settled);
  search.run(0, n);
  return { reports: tallies.reports(failures), evaluations: probe.evaluations + search.entryEvaluations };
}

/**
 * vᵢ = sᵢ·mᵢ, sᵢ = ±1 and mᵢ uniform in [½, 1], seeded: a single error moves g·v by at least half of
 * itself, and several errors cancel only on a set of weights of small measure (docs/fast-mode.md).
 */
export function probeWeights(seed: number, n: number): Float64Array {
  // seedrandom's generator costs about 70 ns a number; it seeds mulberry32 (Tommy Ettinger's 32-bit
  // generator, public domain), whose 32 bits give the sign (top bit) and the magnitude (the other 31).
  let state = seedrandom(`${seed}:fast`).int32() | 0;
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const bits = (t ^ (t >>> 14)) >>> 0;
    const magnitude = 0.5 + 0.5 * ((bits & 0x7fffffff) / 0x80000000);
    weights[i] = bits >>> 31 === 1 ? -magnitude : magnitude;
  }
  return weights;
}

class GroupSearch {
  private number = 0;
  entryEvaluations = 0;
  /** Whether the group of the last `run` to return was itself probed clean. */
  private wasClean = false;
  private readonly offsets: number[];

  constructor(
    private readonly context: FastContext,
    private readonly tallies: FastTallies,
    private readonly probe: GroupProbe,
    private readonly weights: Float64Array,
    private readonly settled: Uint8Array,
  ) {
    this.offsets = context.problem.tensors.map((t) => t.offset);
  }

  /**
   * Probes entries start..end − 1 (the root at its best scale, halves at their parent's); returns how
   * many failing entries it located. `inferred`: the group is known not to be clean without probing it
   * (its parent was not, and its sibling was), as in adaptive group testing: each level of a single
   * error's search then costs one probe, not two.
   */
  run(start: number, end: number, scale?: number, inferred = false): number {
    this.wasClean = false;
    if (end - start <= LEAF_SIZE) return this.checkEntries(start, end);
    if (inferred) return this.split(start, end, scale!, true);
    const result = this.probeRange(start, end, scale);
    if (result.outcome === 'clean') {
      this.tallies.addProbe(result.check, start, end);
      this.wasClean = true;
      return 0;
    }
    // A probe fails by itself only from a converged estimate, the premise every entry's fail rests on.
    // A fail from an agreement band (an unconverged sequence, judge.ts) rests on the band's assumption
    // as well, which a direction over θ can break where no coordinate does: inputs of 1e5 beside
    // weights of 1e-5 put the step, scaled by max|θ|, hundreds of units into every pre-activation, and
    // a band that read regular by chance failed a correct gradient (bench:regimes, fast mode, s = 1e5).
    // Such a probe is narrowed down like a suspicious one, and its entries' own checks decide.
    const failed = result.check.status === 'fail' && result.check.converged;
    if (failed && !this.context.settings.locate) {
      this.tallies.addProbe(result.check, start, end);
      return 0;
    }
    let below = this.split(start, end, result.scale, result.outcome === 'suspicious');
    // A suspicious probe is beyond its clean bound, which a correct claim never is (docs/fast-mode.md);
    // halves that locate nothing resolved less than it did (a kink or larger entries along their own
    // lines), so its entries not yet settled get the entry-by-entry check: never a silent pass.
    if (result.outcome === 'suspicious' && below === 0) below = this.checkEntries(start, end);
    if (failed && below === 0) this.tallies.addProbe(result.check, start, end);
    this.wasClean = false;
    return below;
  }

  /**
   * Both halves of a group that is not clean; of a suspicious group (not merely unsettled), the second
   * half is inferred suspicious when the first is clean.
   */
  private split(start: number, end: number, scale: number, suspicious: boolean): number {
    const mid = this.splitPoint(start, end);
    const left = this.run(start, mid, scale);
    const below = left + this.run(mid, end, scale, suspicious && this.wasClean);
    this.wasClean = false;
    return below;
  }

  private probeRange(start: number, end: number, scale: number | undefined): ProbeResult & { scale: number } {
    const tensor = this.tallies.tensorAt(start);
    const place = { tensor: tensor.name, layer: tensor.layer, kind: tensor.kind, index: -1, row: -1, col: -1, direction: this.number++ };
    const { settled, weights } = this;
    const w = this.context.workspace;
    if (scale === undefined) return this.probe.probeAtBestScale(start, end, weights, settled, w, place);
    return { ...this.probe.probe(start, end, weights, settled, w, place, scale), scale };
  }

  /** The tensor boundary nearest the middle while the range spans several tensors, else the middle. */
  private splitPoint(start: number, end: number): number {
    const mid = (start + end) >>> 1;
    let best = -1;
    for (const offset of this.offsets) {
      if (offset <= start || offset >= end) continue;
      if (best < 0 || Math.abs(offset - mid) < Math.abs(best - mid)) best = offset;
    }
    return best >= 0 ? best : mid;
  }

  private checkEntries(start: number, end: number): number {
    const { problem, f0, line, workspace } = this.context;
    const point = problem.objective.point;
    let failing = 0;
    for (let index = start; index < end; index++) {
      if (this.settled[index] === 1) continue;
      this.settled[index] = 1;
      const tensor = this.tallies.tensorAt(index);
      const tally = this.tallies.tally(tensor);
      const before = this.tallies.failedCount(tensor);
      line.tensor = tensor;
      checkEntry(tally, line, workspace, index, problem.claimed[index], f0, point[index], this.context.settingsFor(tensor));
      this.entryEvaluations += workspace.evaluations;
      failing += this.tallies.failedCount(tensor) - before;
    }
    return failing;
  }
}
