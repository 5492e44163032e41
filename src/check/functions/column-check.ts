/**
 * The entry-by-entry check of a function's derivative (`checkVjp`, `checkJacobian`, a worker's VJP), in
 * two stages that share f's calls across every output:
 *
 * 1. Column stage (column-stage.ts): per input entry j, f at x − h·e_j, x + h·e_j, x + 2h·e_j: three
 *    calls give column j of the Jacobian, so every checked scalar (⟨f, ȳ⟩ for a VJP, each output for a
 *    Jacobian) gets an estimate with its error from the same calls. An entry the one judge passes on it
 *    is settled.
 * 2. Refinement: every other (scalar, entry) goes to the estimator (numerics/estimator.ts) along e_j,
 *    with the same loss rounding and settings as `checkLoss` (the noise σ measured the same way, along
 *    the same seeded direction), so its verdict is the one `checkLoss` would give. Its calls are shared
 *    by the scalars of the same entry.
 *
 * The check is a generator: it yields batches of points (θ's) and is resumed with f's outputs at them,
 * in order. `drive.ts` runs it synchronously (in process) or against a worker, one await per batch, so
 * the event loop (and SIGINT) runs between batches. Entries are taken a block at a time, and a batch
 * holds at most `MAX_BATCH_NUMBERS` numbers of points and outputs: memory does not grow with the
 * check's size (docs/functions.md).
 */
import { GradcheckError } from '../../errors.js';
import { EstimateWorkspace, estimateInto, type Estimate, type EstimatorSettings, type LineFunction } from '../numerics/estimator.js';
import { judgeInto, type MutableJudgement } from '../numerics/judge.js';
import { measureNoise, noiseDirection, NOISE_BOUND_SIGMAS } from '../numerics/noise.js';
import { unitRoundoff } from '../numerics/precision.js';
import type { TensorTally } from '../report/tensor-tally.js';
import type { ResolvedCheckOptions } from '../strategies/check-options.js';
import { STAGE_POINTS, StageEstimate, stageEstimateInto, stageStep, stencilOffsets } from './column-stage.js';
import { richardsonStep } from '../numerics/step.js';
import { noiseGain } from '../numerics/rounding.js';

/** A point as a move from θ₀: entry j by t, or (j = −1) t along `direction`. */
export interface Move {
  readonly j: number;
  readonly t: number;
  readonly direction?: Float64Array;
}

/** A batch of points to evaluate f at, as moves from θ₀; the check is resumed with f's flat outputs at them, in order. */
export type PointBatch = readonly Move[];

/** The point a move stands for, written into `theta` (length n), which must hold θ₀ for a coordinate move's other entries. */
export function pointOf(point: Float64Array, move: Move, theta: Float64Array): Float64Array {
  if (move.direction !== undefined) {
    for (let i = 0; i < theta.length; i++) theta[i] = point[i] + move.t * move.direction[i];
    return theta;
  }
  theta.set(point);
  theta[move.j] = point[move.j] + move.t;
  return theta;
}
export type OutputBatch = readonly Float64Array[];
export type ColumnCheck<R> = Generator<PointBatch, R, OutputBatch>;

/**
 * The most numbers (points' θ entries plus their outputs) one batch holds: 2¹⁸ doubles, 2 MiB. A worker's
 * batch is encoded as JSON synchronously (about 20 bytes a number, ≈ 5 MB), which blocks the event loop
 * for tens of milliseconds; at 2²¹ it took over a second on a loaded machine, longer than a signal may wait
 * (test/functions/function-interrupt.test.ts).
 */
export const MAX_BATCH_NUMBERS = 2 ** 18;
/** The most entries per block: a block's stage is one batch, so this bounds round trips' size, not their number. */
export const MAX_BLOCK_ENTRIES = 512;
/** Guard against an estimate that keeps asking (each retry moves the step one way, 4× a time: a few rounds). */
const MAX_ROUNDS = 100;

/** What the two stages check: q scalars of f's outputs, each with a claimed gradient over θ. */
export interface ColumnProblem {
  /** θ₀, the differentiated inputs laid flat (n entries). */
  readonly point: Float64Array;
  /** f's flat outputs at θ₀. */
  readonly output0: Float64Array;
  /** The scalars checked (1 for a VJP, the outputs' count for a Jacobian). */
  readonly quantities: number;
  /** The q checked scalars of one flat output. */
  reduce(output: Float64Array, into: Float64Array): void;
  /** The claimed ∂scalar_r/∂θ_j at claimed[r·n + j]. */
  readonly claimed: Float64Array;
  /** The tally of (r, j) and the index it is tallied under (`tally.place(index)` names it). */
  tallyOf(r: number, j: number): { tally: TensorTally; index: number };
  /** Called in order for entries that came out unresolved: the steps the estimator tried and its estimates there. */
  onUnresolved?(r: number, j: number, steps: readonly number[], estimates: readonly number[]): void;
}

/** Counts of the check, for reports and interrupts. */
export interface ColumnProgress {
  readonly total: number;
  /** Entries of θ whose every scalar has been tallied. */
  entriesDone: number;
  /** (scalar, entry) pairs settled by the column stage, and refined by the estimator. */
  stageSettled: number;
  refined: number;
  /** Pairs whose claim and numeric value were both within the estimate's uncertainty: they check nothing. */
  negligible: number;
  /** Pairs tallied other than skipped. */
  judged: number;
}

/** The check's outcome besides the tallies: the measured noise per scalar and the counts. */
export interface ColumnOutcome {
  readonly noise: readonly (number | undefined)[];
  readonly progress: ColumnProgress;
}

/** One scalar's settings: the estimator's (with the measured loss rounding) and the stage's rounding of one value. */
interface ScalarSettings {
  readonly estimator: EstimatorSettings;
  readonly rounding: (value: number) => number;
}

/**
 * Runs both stages over every entry of θ, tallying each (scalar, entry) in order through `tallyOf`.
 * `progress` is updated as blocks finish (an interrupted check reports it).
 */
export function* checkColumns(problem: ColumnProblem, s: ResolvedCheckOptions, progress: ColumnProgress): ColumnCheck<ColumnOutcome> {
  const n = problem.point.length;
  const q = problem.quantities;
  const g0 = new Float64Array(q);
  problem.reduce(problem.output0, g0);
  const noise = yield* measureNoises(problem, g0, s);
  const settings = noise.map((sigma): ScalarSettings => scalarSettings(sigma, s));
  const perBlock = blockEntries(n, problem.output0.length, q);
  for (let start = 0; start < n; start += perBlock) {
    yield* checkBlock(problem, start, Math.min(n, start + perBlock), g0, settings, s, progress);
  }
  return { noise, progress };
}

/** Entries per block: a stage batch (3 points per entry, each θ plus its outputs) within `MAX_BATCH_NUMBERS`, and q values per entry kept. */
export function blockEntries(n: number, outputs: number, q: number): number {
  const perEntry = STAGE_POINTS * (n + outputs) + 4 * q;
  return Math.max(1, Math.min(MAX_BLOCK_ENTRIES, Math.floor(MAX_BATCH_NUMBERS / perEntry)));
}

/** As checkLoss has it (strategies/check-gradients.ts): one value within max(u·|g|, 4σ), or u·|g| without a measured σ. */
function scalarSettings(sigma: number | undefined, s: ResolvedCheckOptions): ScalarSettings {
  const u = unitRoundoff(s.precision);
  if (sigma === undefined) return { estimator: s.estimator, rounding: (g) => u * Math.abs(g) };
  const bound = NOISE_BOUND_SIGMAS * sigma;
  const rounding = (g: number): number => Math.max(u * Math.abs(g), bound);
  return { estimator: { levels: s.levels, precision: s.precision, lossRounding: rounding }, rounding };
}

/** Evaluates points (at most a batch's worth at a time) and reduces each output to its q scalars. */
function* evaluateReduced(problem: ColumnProblem, points: Move[]): Generator<PointBatch, Float64Array[], OutputBatch> {
  const reduced: Float64Array[] = [];
  const per = Math.max(1, Math.floor(MAX_BATCH_NUMBERS / (problem.point.length + problem.output0.length)));
  for (let k = 0; k < points.length; k += per) {
    const chunk = points.slice(k, k + per);
    const outputs = yield chunk;
    if (outputs.length !== chunk.length) throw new RangeError(`checkColumns: ${outputs.length} outputs for ${chunk.length} points`);
    for (const out of outputs) {
      const values = new Float64Array(problem.quantities);
      problem.reduce(out, values);
      reduced.push(values);
    }
  }
  return reduced;
}

/**
 * Each scalar's noise σ (numerics/noise.ts) along the seeded unit direction `checkLoss` uses for a black
 * box (`${seed}:noise`), replayed against batched values; the scalars share the points.
 */
function* measureNoises(problem: ColumnProblem, g0: Float64Array, s: ResolvedCheckOptions): Generator<PointBatch, (number | undefined)[], OutputBatch> {
  const { direction, scale } = noiseDirection(problem.point, s.seed);
  const values = new Map<number, Float64Array>();
  const sigmas: (number | undefined)[] = [];
  for (let r = 0; r < problem.quantities; r++) {
    for (let round = 0; ; round++) {
      const missing: number[] = [];
      const outcome = measureNoise((t) => values.get(t)?.[r] ?? (missing.includes(t) || missing.push(t), g0[r]), scale, s.precision);
      if (missing.length === 0 || round > MAX_ROUNDS) {
        sigmas.push(missing.length === 0 ? outcome.sigma : undefined);
        break;
      }
      const got = yield* evaluateReduced(
        problem,
        missing.map((t) => ({ j: -1, t, direction })),
      );
      missing.forEach((t, k) => values.set(t, got[k]));
    }
  }
  return sigmas;
}

/** One entry's values along e_j, shared by its scalars; misses are recorded and answered with g(θ₀). */
class EntryLine implements LineFunction {
  readonly kinkAware = false;
  readonly values = new Map<number, Float64Array>();
  readonly missing: number[] = [];
  /** Offsets the last estimate asked for. */
  readonly asked: number[] = [];
  r = 0;
  constructor(
    readonly j: number,
    private readonly g0: Float64Array,
  ) {}
  at(t: number): number {
    this.asked.push(t);
    const hit = this.values.get(t);
    if (hit !== undefined) return hit[this.r];
    if (!this.missing.includes(t)) this.missing.push(t);
    return this.g0[this.r];
  }
  crossed(): boolean {
    return false;
  }
}

/** The scratch of a block: stage estimates of every (entry, scalar) as [value, truncation, rounding, step, converged]. */
const FIELDS = 5;

/** Entries [start, end): the column stage in one batch, the refinement in rounds, then the tally in order. */
function* checkBlock(
  problem: ColumnProblem,
  start: number,
  end: number,
  g0: Float64Array,
  settings: readonly ScalarSettings[],
  s: ResolvedCheckOptions,
  progress: ColumnProgress,
): Generator<PointBatch, void, OutputBatch> {
  const q = problem.quantities;
  const stage = new Float64Array((end - start) * q * FIELDS).fill(NaN);
  const passed = new Uint8Array((end - start) * q);
  const reuse = new Map<number, [number, Float64Array][]>();
  yield* columnStage(problem, start, end, g0, settings, s, stage, passed, reuse);
  const lines = new Map<number, EntryLine>();
  for (let j = start; j < end; j++) {
    for (let r = 0; r < q; r++) {
      if (passed[(j - start) * q + r] || lines.has(j)) continue;
      // The stage's points are points of the estimator's first stencil (column-stage.ts): reused.
      const line = new EntryLine(j, g0);
      for (const [t, values] of reuse.get(j) ?? []) line.values.set(t, values);
      lines.set(j, line);
    }
  }
  yield* refine(problem, [...lines.values()], g0, settings, passed, start);
  tallyBlock(problem, start, end, g0, settings, s, stage, passed, lines, progress);
}

/** The stage's three points per entry, one batch; stage estimates kept, and which the judge passes. */
function* columnStage(
  problem: ColumnProblem,
  start: number,
  end: number,
  g0: Float64Array,
  settings: readonly ScalarSettings[],
  s: ResolvedCheckOptions,
  stage: Float64Array,
  passed: Uint8Array,
  reuse: Map<number, [number, Float64Array][]>,
): Generator<PointBatch, void, OutputBatch> {
  const q = problem.quantities;
  const offsets = new Float64Array(STAGE_POINTS);
  // Per entry: its realised offsets −a, a, b (a = 0: no stage for it).
  const realised = new Float64Array((end - start) * STAGE_POINTS);
  const points: Move[] = [];
  for (let j = start; j < end; j++) {
    const x = problem.point[j];
    if (!stencilOffsets(x, stageStep(x, s.precision, s.levels), s.precision, offsets)) continue;
    realised.set(offsets, (j - start) * STAGE_POINTS);
    for (const t of offsets) points.push({ j, t });
  }
  const values = yield* evaluateReduced(problem, points);
  const e = new StageEstimate();
  const judgement: MutableJudgement = { verdict: 'pass', numeric: 0, uncertainty: 0, tolerance: 0, method: 'central' };
  let k = 0;
  for (let j = start; j < end; j++) {
    const [ta, a, b] = realised.subarray((j - start) * STAGE_POINTS, (j - start + 1) * STAGE_POINTS);
    if (a === 0) continue;
    const [minus, plus, plus2] = [values[k], values[k + 1], values[k + 2]];
    k += STAGE_POINTS;
    let kept = false;
    for (let r = 0; r < q; r++) {
      const rounding = settings[r].rounding;
      const delta = Math.max(rounding(minus[r]), rounding(g0[r]), rounding(plus[r]), rounding(plus2[r]));
      stageEstimateInto(e, minus[r], g0[r], plus[r], plus2[r], a, b, delta);
      const at = ((j - start) * q + r) * FIELDS;
      stage[at] = e.value;
      stage[at + 1] = e.truncation;
      stage[at + 2] = e.rounding;
      stage[at + 3] = e.step;
      stage[at + 4] = e.converged ? 1 : 0;
      const floor = estimatorRounding(problem.point[j], delta, s);
      passed[(j - start) * q + r] = settles(judgeInto(judgement, problem.claimed[r * problem.point.length + j], e, s.tolerances), floor) ? 1 : 0;
      if (!passed[(j - start) * q + r] && !kept) {
        reuse.set(j, [[ta, minus], [a, plus], [b, plus2]]);
        kept = true;
      }
    }
  }
}

/**
 * Whether a stage judgement settles its entry: the judge passes it, and the stage's own uncertainty U is
 * at most A + 2R, A the allowance (the judge's tolerance is U + A) and R the rounding the estimator's own
 * first estimate carries (`estimatorRounding`), a lower bound on the estimator's uncertainty U_e. A passed
 * claim c is within |c − C| + |C − g′| ≤ (U + A) + U = A + 2U ≤ 3A + 4R ≤ 3·(A + 2U_e) of the true
 * derivative, and A + 2U_e is what the estimator's pass guarantees: a wrong claim the stage lets through
 * is never off by more than 3× what the estimator would let through. Without the bound a stage estimate
 * with a wide error (a saturating unit's large g‴) passed a 1e-4 error the estimator fails (drawn layers,
 * test/functions/column-check.test.ts). Everything else goes to the estimator.
 */
function settles(j: MutableJudgement, floor: number): boolean {
  return j.verdict === 'pass' && j.uncertainty <= j.tolerance - j.uncertainty + 2 * floor;
}

/**
 * The rounding term of the estimator's first estimate at x (estimator.ts: Richardson over the steps
 * h/2 … with base h = ε^(1/(3 + 2·levels))·max(1, |x|), rounding = noiseGain·δ/(h/2)).
 */
function estimatorRounding(x: number, delta: number, s: ResolvedCheckOptions): number {
  return (noiseGain(s.levels, 'central') * delta) / (richardsonStep(x, s.levels, s.precision) / 2);
}

/** Rounds of replay: every unsettled (entry, scalar) estimated against the values so far, the misses fetched in one batch. */
function* refine(problem: ColumnProblem, lines: EntryLine[], g0: Float64Array, settings: readonly ScalarSettings[], passed: Uint8Array, start: number): Generator<PointBatch, void, OutputBatch> {
  const q = problem.quantities;
  const w = new EstimateWorkspace();
  for (let round = 1; ; round++) {
    for (const line of lines) {
      line.missing.length = 0;
      for (let r = 0; r < q; r++) {
        if (passed[(line.j - start) * q + r]) continue;
        line.r = r;
        line.asked.length = 0;
        estimateInto(w, line, g0[r], problem.point[line.j], settings[r].estimator);
      }
    }
    const asked = lines.filter((l) => l.missing.length > 0);
    if (asked.length === 0) return;
    if (round > MAX_ROUNDS) throw new GradcheckError('checkColumns', `the estimate of entry ${asked[0].j} did not settle in ${MAX_ROUNDS} rounds`);
    const points = asked.flatMap((line) => line.missing.map((t) => ({ j: line.j, t })));
    const values = yield* evaluateReduced(problem, points);
    let k = 0;
    for (const line of asked) for (const t of line.missing) line.values.set(t, values[k++]);
  }
}

/** Tallies the block in (entry, scalar) order: a stage pass as the stage estimated it, anything else from the estimator's (now fully cached) estimate. */
function tallyBlock(
  problem: ColumnProblem,
  start: number,
  end: number,
  g0: Float64Array,
  settings: readonly ScalarSettings[],
  s: ResolvedCheckOptions,
  stage: Float64Array,
  passed: Uint8Array,
  lines: Map<number, EntryLine>,
  progress: ColumnProgress,
): void {
  const q = problem.quantities;
  const n = problem.point.length;
  const e = new StageEstimate();
  const w = new EstimateWorkspace();
  const judgement: MutableJudgement = { verdict: 'pass', numeric: 0, uncertainty: 0, tolerance: 0, method: 'central' };
  for (let j = start; j < end; j++) {
    for (let r = 0; r < q; r++) {
      const claimed = problem.claimed[r * n + j];
      const { tally, index } = problem.tallyOf(r, j);
      let estimate: Estimate;
      if (passed[(j - start) * q + r]) {
        const at = ((j - start) * q + r) * FIELDS;
        [e.value, e.truncation, e.rounding, e.step] = stage.subarray(at, at + 4);
        e.converged = true;
        estimate = e;
        progress.stageSettled++;
      } else {
        const line = lines.get(j)!;
        line.r = r;
        line.asked.length = 0;
        estimateInto(w, line, g0[r], problem.point[j], settings[r].estimator);
        estimate = w;
        progress.refined++;
      }
      const unresolved = judgeInto(judgement, claimed, estimate, s.tolerances).verdict === 'unresolved';
      tally.addEstimate(index, claimed, estimate);
      const isKink = estimate.kink === 'at';
      if (!isKink) progress.judged++;
      const uncertainty = estimate.truncation + estimate.rounding;
      if (!isKink && Math.abs(estimate.value) <= uncertainty && Math.abs(claimed) <= uncertainty) progress.negligible++;
      if (problem.onUnresolved !== undefined && unresolved) {
        const line = lines.get(j)!;
        problem.onUnresolved(r, j, ...stepSequence(line, g0[r], r));
      }
    }
    progress.entriesDone++;
  }
}

/** The distinct steps h the last estimate tried (pairs ±h), largest first, and the central difference at each. */
function stepSequence(line: EntryLine, g0: number, r: number): [number[], number[]] {
  const steps = [...new Set(line.asked.filter((t) => t > 0 && line.asked.includes(-t)))].sort((a, b) => b - a);
  const estimates = steps.map((h) => ((line.values.get(h)?.[r] ?? g0) - (line.values.get(-h)?.[r] ?? g0)) / (2 * h));
  return [steps, estimates];
}
