/**
 * `checkLoss`'s entry-by-entry check (strategy `full`) for a loss answered asynchronously in batches,
 * such as a worker's function: the same noise measurement, estimator (`estimateInto`), tally and judge
 * (`TensorTally` → `judgeInto`), run a block of entries at a time.
 *
 * Why blocks: the estimator is synchronous, so each entry's estimate is replayed against a cache of the
 * loss values fetched so far; a value not fetched yet is recorded and answered with L(θ), and the
 * recorded points are fetched in one batch. With every missing value equal to L(θ) a stencil's
 * differences vanish and the estimator stops after it, so one round records exactly the next stencil
 * each entry needs (no call is wasted on a path the real values would not take), and an entry is
 * settled after as many rounds as it needs stencils (usually one). Per block only its entries' caches
 * (a few numbers per step) and one batch of points live at once, so memory does not grow with the
 * check's size, and every round awaits the batch, so the event loop runs between rounds: SIGINT and
 * SIGTERM are answered while a check of any size runs.
 */
import seedrandom from 'seedrandom';
import { tensorSize, type ParameterTensor } from '../../engine/layout.js';
import { gaussian } from '../../engine/random-parameters.js';
import { GradcheckError } from '../../errors.js';
import { EstimateWorkspace, estimateInto, type LineFunction } from '../numerics/estimator.js';
import { measureNoise, NOISE_BOUND_SIGMAS } from '../numerics/noise.js';
import { unitRoundoff } from '../numerics/precision.js';
import { overallVerdict, type EntryCheck, type GradientReport, type TensorReport } from '../report/report.js';
import { TensorTally } from '../report/tensor-tally.js';
import { resolveCheckOptions, type CheckOptions, type ResolvedCheckOptions } from '../strategies/check-options.js';

/** L at each point, in order (the points are the checker's buffers: read them before resolving). */
export type BatchedLoss = (points: readonly Float64Array[]) => Promise<ArrayLike<number>>;

/** What `checkLossInBlocks` checks: as `LossProblem`, with the loss answered in batches. */
export interface BatchedLossProblem {
  readonly loss: BatchedLoss;
  readonly point: Float64Array;
  readonly claimed: Float64Array;
  readonly tensors: readonly ParameterTensor[];
}

/**
 * The most numbers of θ a block's batch holds (points × entries of θ): 2²¹ doubles, 16 MiB, so that a
 * batch's points and its JSON stay far below a worker's and this process's memory whatever θ's size.
 */
export const MAX_BATCH_NUMBERS = 2 ** 21;
/** The most entries per block: enough to fill a batch for small θ (round trips, not memory, bound it). */
export const MAX_BLOCK_ENTRIES = 256;
/** Stencil points per entry per round: 2·(levels + 2) ≤ 10 (estimator.ts). */
const POINTS_PER_STENCIL = 10;
/** A guard far above the stencils an estimate takes (each retry moves the step one way, 4× a time). */
const MAX_ROUNDS = 100;

/** Entries per block for θ of `size` entries: as many as keep a round's batch within `MAX_BATCH_NUMBERS`. */
export function blockEntries(size: number): number {
  return Math.max(1, Math.min(MAX_BLOCK_ENTRIES, Math.floor(MAX_BATCH_NUMBERS / (POINTS_PER_STENCIL * Math.max(1, size)))));
}

/** One entry's line: L(θ + t·e_index) from the values fetched so far; misses are recorded and answered with L(θ). */
class ReplayedLine implements LineFunction {
  readonly kinkAware = false;
  readonly values = new Map<number, number>();
  readonly missing: number[] = [];
  constructor(
    readonly index: number,
    private readonly f0: number,
  ) {}
  at(t: number): number {
    const hit = this.values.get(t);
    if (hit !== undefined) return hit;
    if (!this.missing.includes(t)) this.missing.push(t);
    return this.f0;
  }
  crossed(): boolean {
    return false;
  }
}

/**
 * Checks the claimed gradient of a batched loss entry by entry, as `checkLoss` with strategy `full`
 * does (tested to give the same report on the same loss); `where` names the caller in errors.
 */
export async function checkLossInBlocks(problem: BatchedLossProblem, options: CheckOptions, where: string): Promise<GradientReport> {
  const resolved = resolveCheckOptions(options, where);
  if (resolved.strategy !== 'full') throw new GradcheckError(where, `checkLossInBlocks checks every entry; strategy ${resolved.strategy} goes through runBatched`);
  const { point } = problem;
  const [f0] = Array.from(await problem.loss([point]));
  if (!Number.isFinite(f0)) throw new GradcheckError(where, `the loss is ${f0} at θ; expected a finite number`);
  const noise = await blackBoxNoise(problem, point, f0, resolved);
  const settings: ResolvedCheckOptions =
    noise === undefined ? resolved : { ...resolved, estimator: { levels: resolved.levels, precision: resolved.precision, lossRounding: noiseRounding(noise, resolved) } };
  const failures: EntryCheck[] = [];
  const unresolved: EntryCheck[] = [];
  const workspace = new EstimateWorkspace();
  const perBlock = blockEntries(point.length);
  const tensors: TensorReport[] = [];
  for (const tensor of problem.tensors) {
    const tally = new TensorTally(tensor, settings.tolerances, failures, undefined, unresolved);
    const end = tensor.offset + tensorSize(tensor);
    for (let start = tensor.offset; start < end; start += perBlock) {
      await checkBlock(problem, tensor, start, Math.min(end, start + perBlock), f0, settings, tally, workspace, where);
    }
    tensors.push(tally.report());
  }
  const counts = tensors.reduce(
    (acc, t) => ({ checked: acc.checked + t.checked, failed: acc.failed + t.failed, skipped: acc.skipped + t.skipped, unresolved: acc.unresolved + t.unresolved }),
    { checked: 0, failed: 0, skipped: 0, unresolved: 0 },
  );
  return {
    verdict: overallVerdict(tensors, failures.length),
    strategy: 'full',
    label: settings.label,
    seed: undefined,
    tolerances: settings.tolerances,
    precision: settings.precision,
    levels: settings.levels,
    tensors,
    failures,
    unresolved,
    counts,
    ...(noise !== undefined ? { lossNoise: noise } : {}),
  };
}

/** Entries [start, end) of `tensor`: rounds of replay and one batch each, until no entry misses a value; then tallied in order. */
async function checkBlock(
  problem: BatchedLossProblem,
  tensor: ParameterTensor,
  start: number,
  end: number,
  f0: number,
  s: ResolvedCheckOptions,
  tally: TensorTally,
  w: EstimateWorkspace,
  where: string,
): Promise<void> {
  const lines = Array.from({ length: end - start }, (_, k) => new ReplayedLine(start + k, f0));
  for (let round = 1; ; round++) {
    for (const line of lines) {
      line.missing.length = 0;
      estimateInto(w, line, f0, problem.point[line.index], s.estimator);
    }
    const asked = lines.filter((l) => l.missing.length > 0);
    if (asked.length === 0) break;
    if (round > MAX_ROUNDS) throw new GradcheckError(where, `the estimate of ${tensor.name} entries ${start}–${end - 1} did not settle in ${MAX_ROUNDS} rounds of batched calls`);
    const points: Float64Array[] = [];
    for (const line of asked) {
      for (const t of line.missing) {
        const x = Float64Array.from(problem.point);
        x[line.index] = problem.point[line.index] + t;
        points.push(x);
      }
    }
    const values = await problem.loss(points);
    let k = 0;
    for (const line of asked) {
      for (const t of line.missing) {
        const value = values[k++];
        if (!Number.isFinite(value)) {
          const local = line.index - tensor.offset;
          throw new GradcheckError(where, `the loss is ${value} with ${tensor.name}[${Math.floor(local / tensor.cols)},${local % tensor.cols}] shifted by ${t}; expected a finite number`);
        }
        line.values.set(t, value);
      }
    }
  }
  // Every value is real now: the last replay is the real estimate, tallied in index order.
  for (const line of lines) {
    estimateInto(w, line, f0, problem.point[line.index], s.estimator);
    tally.addEstimate(line.index, problem.claimed[line.index], w);
  }
}

/**
 * The loss noise σ as `checkGradients` measures a black box's (strategies/check-gradients.ts,
 * `blackBoxNoise`): `measureNoise` along the same seeded unit direction, replayed against batched values.
 */
async function blackBoxNoise(problem: BatchedLossProblem, point: Float64Array, f0: number, s: ResolvedCheckOptions): Promise<number | undefined> {
  const random = seedrandom(`${s.seed}:noise`);
  const direction = new Float64Array(point.length);
  let norm = 0;
  for (let i = 0; i < direction.length; i++) {
    direction[i] = gaussian(random);
    norm += direction[i] * direction[i];
  }
  norm = Math.sqrt(norm);
  let scale = 1;
  for (let i = 0; i < direction.length; i++) {
    direction[i] /= norm;
    scale = Math.max(scale, Math.abs(point[i]));
  }
  const values = new Map<number, number>();
  for (let round = 0; round <= MAX_ROUNDS; round++) {
    const missing: number[] = [];
    const outcome = measureNoise(
      (t) => {
        const hit = values.get(t);
        if (hit !== undefined) return hit;
        if (!missing.includes(t)) missing.push(t);
        return f0;
      },
      scale,
      s.precision,
    );
    if (missing.length === 0) return outcome.sigma;
    const points = missing.map((t) => {
      const x = new Float64Array(point.length);
      for (let i = 0; i < x.length; i++) x[i] = point[i] + t * direction[i];
      return x;
    });
    const got = await problem.loss(points);
    missing.forEach((t, k) => values.set(t, got[k]));
  }
  return undefined;
}

/** One loss value is within max(u·|L|, 4σ) of the exact one (numerics/noise.ts), as checkGradients has it. */
function noiseRounding(sigma: number, s: ResolvedCheckOptions): (loss: number) => number {
  const u = unitRoundoff(s.precision);
  const bound = NOISE_BOUND_SIGMAS * sigma;
  return (loss) => Math.max(u * Math.abs(loss), bound);
}
