/**
 * The checker: compares claimed gradients of any loss of a flat vector θ with Richardson-refined
 * finite differences, entry by entry (`full`), along seeded random directions per tensor
 * (`directions`, cost independent of the number of parameters), or with one probe over all of θ
 * narrowed down by group testing (`fast`, see targeted-probes.ts), and returns a `GradientReport`.
 *
 * The entry loop allocates nothing per entry: one reusable line function and derivative workspace,
 * and a `TensorTally` that turns only failures and each tensor's worst entry into objects.
 */
import seedrandom from 'seedrandom';
import { tensorSize, type ParameterTensor } from '../../engine/layout.js';
import { resolveCheckOptions, type CheckOptions, type ResolvedCheckOptions } from './check-options.js';
import { checkEntry, CoordinateLine } from './coordinate-line.js';
import { DirectionLine, nonFiniteLoss, probeDirection, projectedRounding, randomUnitDirection } from './direction-probe.js';
import { EstimateWorkspace } from '../numerics/estimator.js';
import { unitRoundoff, type Precision } from '../numerics/precision.js';
import type { LossRounding } from '../numerics/rounding.js';
import type { GradientProblem } from './gradient-problem.js';
import { measureNoise, noiseDirection, NOISE_BOUND_SIGMAS } from '../numerics/noise.js';
import { overallVerdict, summarizeTensor, type EntryCheck, type GradientReport, type TensorReport } from '../report/report.js';
import { TensorTally } from '../report/tensor-tally.js';
import { checkFast } from './targeted-probes.js';
import { validateProblem } from './validate-problem.js';

/** `where` names the public API the user called (`checkNetwork`, `checkLoss`) in error messages. */
export function checkGradients(problem: GradientProblem, options: CheckOptions = {}, where = 'checkGradients'): GradientReport {
  const resolved = resolveCheckOptions(options, where);
  validateProblem(problem, where);
  const noise = problem.lossRounding === undefined && problem.objective.kinkCrossings === undefined ? blackBoxNoise(problem, resolved) : undefined;
  const lossRounding = problem.lossRounding ?? (noise !== undefined ? noiseRounding(noise, resolved.precision) : undefined);
  const settings: ResolvedCheckOptions =
    lossRounding === undefined && problem.lossPrecision === undefined
      ? resolved
      : { ...resolved, estimator: { levels: resolved.levels, precision: problem.lossPrecision ?? resolved.precision, lossRounding } };
  const f0 = finiteLoss(problem.objective.value(), 'at θ');
  const tensorReports: TensorReport[] = [];
  const failures: EntryCheck[] = [];
  const unresolved: EntryCheck[] = [];
  const workspace = new EstimateWorkspace();
  const line = new CoordinateLine(problem.objective);
  // A tensor's lines move only its layer and what follows: their loss rounding is that layer's bound
  // (computed on first use: fast mode may check no entry on its own).
  let layerSettings: ResolvedCheckOptions[] | undefined;
  const settingsFor = (tensor: ParameterTensor): ResolvedCheckOptions => {
    layerSettings ??= problem.lossRoundingByLayer?.map((lossRounding): ResolvedCheckOptions => ({ ...settings, estimator: { ...settings.estimator, lossRounding } })) ?? [];
    return layerSettings[tensor.layer] ?? settings;
  };
  if (settings.strategy === 'fast') {
    tensorReports.push(...checkFast({ problem, f0, settings, settingsFor, workspace, line }, failures, unresolved).reports);
  }
  for (const tensor of settings.strategy === 'fast' ? [] : problem.tensors) {
    const s = settingsFor(tensor);
    if (settings.strategy === 'full') {
      tensorReports.push(checkEntries(problem, tensor, f0, s, failures, unresolved, workspace, line));
      continue;
    }
    const checks = checkDirections(problem, tensor, f0, s, workspace);
    const failing = checks.filter((c) => c.status === 'fail');
    // A direction that cannot be settled says nothing about the tensor: it is checked entry by entry.
    const unsettled = checks.some((c) => c.status === 'unresolved' || c.status === 'skipped');
    if ((settings.locate && failing.length > 0) || unsettled) {
      failures.push(...failing);
      tensorReports.push(checkEntries(problem, tensor, f0, s, failures, unresolved, workspace, line));
    } else {
      tensorReports.push(summarizeTensor(tensor, checks));
      // Without locate, the failing directions themselves, which nothing else lists.
      failures.push(...failing);
    }
  }
  const counts = tensorReports.reduce(
    (acc, t) => ({ checked: acc.checked + t.checked, failed: acc.failed + t.failed, skipped: acc.skipped + t.skipped, unresolved: acc.unresolved + t.unresolved }),
    { checked: 0, failed: 0, skipped: 0, unresolved: 0 },
  );
  return {
    verdict: overallVerdict(tensorReports, failures.length),
    strategy: settings.strategy,
    label: settings.label,
    seed: settings.strategy === 'full' ? undefined : settings.seed,
    tolerances: settings.tolerances,
    precision: settings.precision,
    levels: settings.levels,
    tensors: tensorReports,
    failures,
    unresolved,
    counts,
    ...(noise !== undefined ? { lossNoise: noise } : {}),
  };
}

/**
 * A black box's loss noise σ (numerics/noise.ts), measured once along a seeded random direction over
 * all of θ; undefined when it cannot be read off (then the estimator's rate test is the only guard).
 */
function blackBoxNoise(problem: GradientProblem, s: ResolvedCheckOptions): number | undefined {
  const { objective } = problem;
  const { direction, scale } = noiseDirection(objective.point, s.seed);
  const outcome = measureNoise((t) => objective.along(direction, t), scale, s.precision);
  return outcome.sigma;
}

/** One loss value is within max(u·|L|, 4σ) of the exact one (numerics/noise.ts). */
function noiseRounding(sigma: number, precision: Precision): LossRounding {
  const u = unitRoundoff(precision);
  const bound = NOISE_BOUND_SIGMAS * sigma;
  return (loss) => Math.max(u * Math.abs(loss), bound);
}

function finiteLoss(value: number, where: string): number {
  if (!Number.isFinite(value)) throw nonFiniteLoss(where, value);
  return value;
}

/** Every entry of `tensor`, from the screen where it accepted the entry, else entry by entry. */
export function checkEntries(
  problem: GradientProblem,
  tensor: ParameterTensor,
  f0: number,
  s: ResolvedCheckOptions,
  failures: EntryCheck[],
  unresolved: EntryCheck[],
  w: EstimateWorkspace,
  line: CoordinateLine,
): TensorReport {
  const { objective, claimed, screen } = problem;
  const point = objective.point;
  const tally = new TensorTally(tensor, s.tolerances, failures, problem.claimedRounding, unresolved, problem.everyEntry, () => problem.conventions);
  const accepted = screenEstimate;
  line.tensor = tensor;
  const end = tensor.offset + tensorSize(tensor);
  for (let index = tensor.offset; index < end; index++) {
    if (screen !== undefined && screen.accepted[index] === 1) {
      accepted.value = screen.value[index];
      accepted.truncation = screen.truncation[index];
      accepted.rounding = screen.rounding[index];
      accepted.step = screen.step[index];
      tally.addEstimate(index, claimed[index], accepted);
      continue;
    }
    checkEntry(tally, line, w, index, claimed[index], f0, point[index], s);
  }
  return tally.report();
}

/** A screened entry as an `Estimate` (reused: the tally reads it, does not keep it). */
const screenEstimate = { value: 0, truncation: 0, rounding: 0, step: 0, method: 'central' as const, converged: true, kink: 'none' as const };

function checkDirections(problem: GradientProblem, tensor: ParameterTensor, f0: number, s: ResolvedCheckOptions, w: EstimateWorkspace): EntryCheck[] {
  const { objective, claimed } = problem;
  // One stream per tensor, so a tensor's directions do not depend on the tensors before it.
  const random = seedrandom(`${s.seed}:${tensor.name}`);
  const direction = new Float64Array(objective.point.length);
  const line = new DirectionLine(objective, direction);
  const size = tensorSize(tensor);
  let scale = 0;
  for (let k = 0; k < size; k++) scale = Math.max(scale, Math.abs(objective.point[tensor.offset + k]));
  const checks: EntryCheck[] = [];
  for (let d = 0; d < s.directions; d++) {
    const { projection, magnitude } = randomUnitDirection(direction, tensor, claimed, random);
    line.number = d;
    checks.push(probeDirection(line, w, f0, scale, projection, magnitude, tensor, s, projectedRounding(problem.claimedRounding, direction, tensor)));
  }
  return checks;
}

