/**
 * The checker: compares claimed gradients of any loss of a flat vector θ with Richardson-refined
 * finite differences, entry by entry (`full`) or along seeded random directions per tensor
 * (`directions`, cost independent of the number of parameters), and returns a `GradientReport`.
 */
import seedrandom from 'seedrandom';
import { GradcheckError } from '../errors.js';
import { tensorSize, type ParameterTensor } from '../engine/layout.js';
import { resolveCheckOptions, type CheckOptions, type ResolvedCheckOptions } from './check-options.js';
import { compareEntry } from './compare-entry.js';
import { numericDerivative } from './numeric-derivative.js';
import { gaussian } from '../engine/random-parameters.js';
import type { Objective } from './objective.js';
import { summarizeTensor, type EntryCheck, type GradientReport, type TensorReport } from './report.js';
import { validateProblem } from './validate-problem.js';

export interface GradientProblem {
  readonly objective: Objective;
  /** The claimed gradient dL/dθ, same layout as θ. */
  readonly claimed: Float64Array;
  /** Names and shapes tiling θ, in order. */
  readonly tensors: readonly ParameterTensor[];
}

/** `where` names the public API the user called (`checkNetwork`, `checkLoss`) in error messages. */
export function checkGradients(problem: GradientProblem, options: CheckOptions = {}, where = 'checkGradients'): GradientReport {
  const settings = resolveCheckOptions(options, where);
  validateProblem(problem, where);
  const f0 = finiteLoss(problem.objective.value(), 'at θ');
  const tensorReports: TensorReport[] = [];
  const failures: EntryCheck[] = [];
  for (const tensor of problem.tensors) {
    let checks = settings.mode === 'full' ? checkEntries(problem, tensor, f0, settings) : checkDirections(problem, tensor, f0, settings);
    if (settings.mode === 'directions' && settings.locate && checks.some((c) => c.status === 'fail')) {
      failures.push(...checks.filter((c) => c.status === 'fail'));
      checks = checkEntries(problem, tensor, f0, settings);
    }
    tensorReports.push(summarizeTensor(tensor, checks));
    // Located entries, or (locate: false) the failing directions themselves, which nothing else lists.
    failures.push(...checks.filter((c) => c.status === 'fail'));
  }
  const counts = tensorReports.reduce(
    (acc, t) => ({ checked: acc.checked + t.checked, failed: acc.failed + t.failed, skipped: acc.skipped + t.skipped }),
    { checked: 0, failed: 0, skipped: 0 },
  );
  return {
    verdict: counts.failed > 0 || failures.length > 0 ? 'fail' : 'pass',
    mode: settings.mode,
    label: settings.label,
    seed: settings.mode === 'directions' ? settings.seed : undefined,
    tolerances: settings.tolerances,
    levels: settings.levels,
    tensors: tensorReports,
    failures,
    counts,
  };
}

function finiteLoss(value: number, where: string): number {
  if (!Number.isFinite(value)) {
    throw new GradcheckError('checkGradients', `the loss ${where} is ${value}; expected a finite number (overflow, or NaN in the implementation)`);
  }
  return value;
}

function checkEntries(problem: GradientProblem, tensor: ParameterTensor, f0: number, s: ResolvedCheckOptions): EntryCheck[] {
  const { objective, claimed } = problem;
  const crossings = objective.kinkCrossings?.bind(objective);
  const checks: EntryCheck[] = [];
  for (let local = 0; local < tensorSize(tensor); local++) {
    const index = tensor.offset + local;
    const place = { tensor: tensor.name, layer: tensor.layer, kind: tensor.kind, index, row: Math.floor(local / tensor.cols), col: local % tensor.cols };
    const evaluate = (t: number): number => finiteLoss(objective.shifted(index, t), `with ${tensor.name}[${place.row},${place.col}] shifted by ${t}`);
    const d = numericDerivative(evaluate, f0, objective.point[index], s, crossings);
    checks.push(compareEntry(place, claimed[index], d, s.tolerances));
  }
  return checks;
}

function checkDirections(problem: GradientProblem, tensor: ParameterTensor, f0: number, s: ResolvedCheckOptions): EntryCheck[] {
  const { objective, claimed } = problem;
  const crossings = objective.kinkCrossings?.bind(objective);
  // One stream per tensor, so a tensor's directions do not depend on the tensors before it.
  const random = seedrandom(`${s.seed}:${tensor.name}`);
  const direction = new Float64Array(objective.point.length);
  const size = tensorSize(tensor);
  let scale = 0;
  for (let k = 0; k < size; k++) scale = Math.max(scale, Math.abs(objective.point[tensor.offset + k]));
  const checks: EntryCheck[] = [];
  for (let d = 0; d < s.directions; d++) {
    let norm = 0;
    for (let k = 0; k < size; k++) {
      const g = gaussian(random);
      direction[tensor.offset + k] = g;
      norm += g * g;
    }
    norm = Math.sqrt(norm);
    let projection = 0;
    let magnitude = 0;
    for (let k = 0; k < size; k++) {
      const v = (direction[tensor.offset + k] /= norm);
      projection += claimed[tensor.offset + k] * v;
      magnitude += Math.abs(claimed[tensor.offset + k] * v);
    }
    const evaluate = (t: number): number => finiteLoss(objective.along(direction, t), `along direction ${d} of ${tensor.name}`);
    const numeric = numericDerivative(evaluate, f0, scale, s, crossings);
    const place = { tensor: tensor.name, layer: tensor.layer, kind: tensor.kind, index: -1, row: -1, col: -1, direction: d };
    // Cancellation in g·v: the relative tolerance applies to Σ|gᵢvᵢ|, not to |g·v|.
    const check = compareEntry(place, projection, numeric, s.tolerances);
    const widened = s.tolerances.rtol * Math.max(0, magnitude - Math.max(Math.abs(projection), Math.abs(numeric.value)));
    checks.push(
      check.status === 'fail' && check.absoluteError <= check.tolerance + widened
        ? { ...check, status: 'pass', tolerance: check.tolerance + widened }
        : { ...check, tolerance: check.tolerance + widened },
    );
  }
  return checks;
}
