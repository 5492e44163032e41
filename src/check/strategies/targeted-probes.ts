/**
 * Fast mode: per tensor, k random unit directions plus random-sign probes of groups of entries, so
 * that a single wrong entry cannot hide the way it does in a random projection (pytorch/pytorch#57166:
 * along a unit direction over n entries, one error e shows up as e·vᵢ ≈ e/√n, below the tolerance,
 * which grows with the whole projection).
 *
 * Groups. Entries are sorted by |claimed| and cut into consecutive groups G whose total stays within
 * a budget, rtol·Σ_G |claimed| ≤ (sensitivity/2)·min_G |claimed| (and |G| ≤ groupSize). A probe moves
 * every entry of G by ±h at once (signs random) and compares the numeric derivative with Σ ±claimedᵢ:
 * a single wrong entry adds its whole error ±eᵢ, undiluted, while the judge's tolerance is
 * U + rtol·max(Σ_G|claimed|, |numeric|) + |G|·atol + Σ_G rounding (U the estimate's uncertainty; each
 * moved entry may be off by atol and by its own rounding, as in the entry-by-entry check). The numeric
 * value is within U of the true projection, so the claim misses it by at least e − U, and |numeric| ≤
 * Σ_G|claimed| + e. So whenever
 *     rtol·Σ_G|claimed| + 2·U + |G|·atol + Σ_G rounding ≤ (1 − rtol)·sensitivity·min_G|claimed|
 * (checked after every probe: the probe "resolves" its group), every entry of G that is off by at least
 * sensitivity·|claimed| fails the probe, with certainty: probability 1, not a sampling argument,
 * as long as the numeric error bound holds (the same premise as the entry-by-entry check).
 * A probe that does not resolve its group (entries below the numeric resolution), or crosses a
 * kink, is bisected, down to entry-by-entry checks of one or two entries; a failing probe is bisected
 * to name the wrong entries (`locate`). Several wrong entries in one group can cancel only if their
 * signed sum falls within tolerance: with random signs, for two errors of similar size that happens
 * with probability ≤ 1/2 per group, and they still fail the random directions unless those cancel too.
 *
 * Tensors of at most 2·(k + 1) entries are checked entry by entry (no dearer, and stronger).
 * Cost, in loss evaluations, with levels = 2 (6 per probe): 6·(k + g) per tensor, g groups, plus
 * 6·2·log₂|G| per bisected group; for claimed magnitudes like |N(0, 1)| and the default budget
 * (sensitivity/(2·rtol) = 500) g ≈ 55 for 25,000 entries, against 150,000 for the entry-by-entry check.
 */
import seedrandom from 'seedrandom';
import { tensorSize, type ParameterTensor } from '../../engine/layout.js';
import type { GradientProblem } from './gradient-problem.js';
import type { ResolvedCheckOptions } from './check-options.js';
import { checkEntry, type CoordinateLine } from './coordinate-line.js';
import { DirectionLine, probeDirection, projectedRounding, randomUnitDirection } from './direction-probe.js';
import type { EstimateWorkspace } from '../numerics/estimator.js';
import type { EntryCheck, TensorReport } from '../report/report.js';
import { TensorTally } from '../report/tensor-tally.js';

/** Groups of at most this many entries are checked entry by entry instead of probed. */
const LEAF_SIZE = 2;

export function checkTensorFast(
  problem: GradientProblem,
  tensor: ParameterTensor,
  f0: number,
  s: ResolvedCheckOptions,
  failures: EntryCheck[],
  unresolved: EntryCheck[],
  w: EstimateWorkspace,
  line: CoordinateLine,
): TensorReport {
  const { objective, claimed } = problem;
  const point = objective.point;
  const size = tensorSize(tensor);
  const offset = tensor.offset;
  // Failures of this tensor, reported as probes (in probe order) then entries (in index order).
  const found: EntryCheck[] = [];
  const tally = new TensorTally(tensor, s.tolerances, found, problem.claimedRounding, unresolved);
  line.tensor = tensor;
  const direction = new Float64Array(point.length);
  const probe = new DirectionLine(objective, direction);
  let number = 0;

  // A tensor no larger than its probes would be is checked entry by entry: no dearer, and strictly stronger.
  if (size <= 2 * (s.directions + 1)) {
    for (let index = offset; index < offset + size; index++) checkEntry(tally, line, w, index, claimed[index], f0, point[index], s);
    failures.push(...found);
    return tally.report();
  }

  // 1. k random unit directions (the same directions as `directions` mode with the same seed).
  const random = seedrandom(`${s.seed}:${tensor.name}`);
  let tensorScale = 0;
  for (let k = 0; k < size; k++) tensorScale = Math.max(tensorScale, Math.abs(point[offset + k]));
  let directionFailed = false;
  for (let d = 0; d < s.directions; d++) {
    const { projection, magnitude } = randomUnitDirection(direction, tensor, claimed, random);
    probe.number = number++;
    const check = probeDirection(probe, w, f0, tensorScale, projection, magnitude, tensor, s, projectedRounding(problem.claimedRounding, direction, tensor));
    if (check.status === 'fail') directionFailed = true;
    // An unsettled direction says nothing; the group probes below cover every entry anyway.
    if (check.status === 'pass' || check.status === 'fail') tally.addEntry(check);
  }
  direction.fill(0, offset, offset + size);

  // 2. Group probes over entries sorted by |claimed|.
  const order = sortedByMagnitude(claimed, offset, size);
  const signs = randomSigns(seedrandom(`${s.seed}:${tensor.name}:groups`), size);
  const { rtol, atol } = s.tolerances;
  const budget = rtol > 0 ? s.sensitivity / (2 * rtol) : Infinity;
  let located = 0;

  const checkMembers = (start: number, end: number): number => {
    let failing = 0;
    for (let k = start; k < end; k++) {
      const index = offset + order[k];
      const before = found.length;
      checkEntry(tally, line, w, index, claimed[index], f0, point[index], s);
      failing += found.length - before;
    }
    return failing;
  };

  /** Probes order[start..end); returns how many wrong entries it located below it. */
  const probeGroup = (start: number, end: number, topLevel: boolean): number => {
    if (end - start <= LEAF_SIZE) return checkMembers(start, end);
    let projection = 0;
    let magnitude = 0;
    let scale = 0;
    let smallest = Infinity;
    let rounding = 0;
    for (let k = start; k < end; k++) {
      const local = order[k];
      const c = claimed[offset + local];
      if (problem.claimedRounding) rounding += problem.claimedRounding[offset + local];
      direction[offset + local] = signs[local];
      projection += signs[local] * c;
      magnitude += Math.abs(c);
      scale = Math.max(scale, Math.abs(point[offset + local]));
      if (c !== 0) smallest = Math.min(smallest, Math.abs(c));
    }
    probe.number = number++;
    const check = probeDirection(probe, w, f0, scale, projection, magnitude, tensor, s, atol * (end - start - 1) + rounding);
    const uncertainty = 2 * (w.truncation + w.rounding) + atol * (end - start) + rounding;
    for (let k = start; k < end; k++) direction[offset + order[k]] = 0;
    const resolved = check.status !== 'unresolved' && (smallest === Infinity || rtol * magnitude + uncertainty <= (1 - rtol) * s.sensitivity * smallest);
    const failed = check.status === 'fail';
    const split = failed ? s.locate : check.status !== 'pass' || !resolved;
    // Recorded: passing probes that resolve their group and top-level failures; an unsettled probe is
    // replaced by its halves, a failing inner probe by the wrong entries it locates (or recorded itself if it locates none).
    if ((check.status === 'pass' && resolved) || (failed && topLevel)) tally.addEntry(check);
    if (!split) {
      if (failed && !topLevel) tally.addEntry(check);
      return 0;
    }
    const mid = (start + end) >>> 1;
    const below = probeGroup(start, mid, false) + probeGroup(mid, end, false);
    if (failed && !topLevel && below === 0) tally.addEntry(check);
    return below;
  };

  for (let start = 0; start < size; ) {
    const end = groupEnd(order, claimed, offset, start, size, budget, s.groupSize);
    located += probeGroup(start, end, true);
    start = end;
  }

  // 3. A random direction failed but no group located anything: name the entries the slow way.
  if (directionFailed && s.locate && located === 0) {
    for (let k = 0; k < size; k++) checkEntry(tally, line, w, offset + k, claimed[offset + k], f0, point[offset + k], s);
  }
  failures.push(...found.filter((f) => f.direction !== undefined), ...found.filter((f) => f.direction === undefined).sort((a, b) => a.index - b.index));
  return tally.report();
}

/** Local indices 0..size−1 sorted by |claimed| ascending (ties by index, so the order is reproducible). */
function sortedByMagnitude(claimed: Float64Array, offset: number, size: number): Int32Array {
  const order = new Int32Array(size);
  for (let k = 0; k < size; k++) order[k] = k;
  const magnitude = new Float64Array(size);
  for (let k = 0; k < size; k++) magnitude[k] = Math.abs(claimed[offset + k]);
  return order.sort((a, b) => magnitude[a] - magnitude[b] || a - b);
}

function randomSigns(random: () => number, size: number): Float64Array {
  const signs = new Float64Array(size);
  for (let k = 0; k < size; k++) signs[k] = random() < 0.5 ? -1 : 1;
  return signs;
}

/**
 * The end of the group starting at `start`: entries are added while rtol·Σ|claimed| stays within
 * (sensitivity/2)·(the smallest non-zero |claimed| in the group) — `budget` is sensitivity/(2·rtol) —
 * and the group has at most `maxSize` entries. Zero claims cost nothing.
 */
export function groupEnd(order: Int32Array, claimed: Float64Array, offset: number, start: number, size: number, budget: number, maxSize: number): number {
  let sum = 0;
  let smallest = 0;
  let k = start;
  while (k < size && k - start < maxSize) {
    const a = Math.abs(claimed[offset + order[k]]);
    const least = smallest > 0 ? smallest : a;
    if (k > start && least > 0 && sum + a > budget * least) break;
    sum += a;
    if (smallest === 0 && a > 0) smallest = a;
    k++;
  }
  return k;
}
