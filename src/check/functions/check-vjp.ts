/**
 * Checks a vector–Jacobian product: for a cotangent ȳ (given, or drawn at random from the seed), the
 * claimed VJP Jᵀȳ is the gradient of the scalar g(x) = ⟨f(x), ȳ⟩ = Σ_outputs Σ_k f(x)_k·ȳ_k. Entry by
 * entry (strategy `full`) it is a column check (column-check.ts): three calls of f per input entry
 * settle most entries through the judge, and the rest are refined by the estimator with the noise
 * measurement and settings `checkLoss` uses; the other strategies are `checkLoss`'s on g.
 */
import { checkLoss } from '../strategies/check-loss.js';
import type { CheckOptions } from '../strategies/check-options.js';
import { GradcheckError } from '../../errors.js';
import { FlatFunction, SINGLE_OUTPUT, packTensors, slotTensors } from './differentiable-function.js';
import { readNamedTensors, validateFunctionInputs, type FunctionProblemBase } from './function-inputs.js';
import { splitSpec } from './function-options.js';
import type { FunctionReport } from './function-report.js';
import { locateInputEntry } from './locate.js';
import { drawTensors } from './random-tensors.js';
import { resolveCheckOptions } from '../strategies/check-options.js';
import { driveSync } from './drive.js';
import { vjpColumnCheck } from './vjp-columns.js';
import type { NamedTensors, TensorLike } from './tensor.js';

/** A rule computing the VJP: the gradient of ⟨f(x), cotangent⟩ with respect to each differentiated input. */
export type VjpRule = (inputs: NamedTensors, cotangent: NamedTensors) => Readonly<Record<string, TensorLike>> | TensorLike;

/** What `checkVjp` checks: f and its inputs, and either the VJP rule or the gradients it claims for a given cotangent. */
export interface VjpProblem extends FunctionProblemBase {
  /** The backward rule checked. Give this or `claimed`. */
  readonly vjp?: VjpRule;
  /** The claimed ∂⟨f, cotangent⟩/∂input for each differentiated input (needs `cotangent`). */
  readonly claimed?: Readonly<Record<string, TensorLike>> | TensorLike;
  /** ȳ, one tensor per output (a bare tensor for a single output). Default: N(0, 1) entries from `seed`. */
  readonly cotangent?: Readonly<Record<string, TensorLike>> | TensorLike;
}

const VJP_KEYS = ['f', 'inputs', 'wrt', 'name', 'vjp', 'claimed', 'cotangent'] as const;

/**
 * Checks a function's vector–Jacobian product (its backward pass) at the given inputs against finite
 * differences of ⟨f(x), ȳ⟩. Wrong entries are located by input name and index (`report.located`).
 *
 * Defaults: every input differentiated (`wrt`), a random N(0, 1) cotangent drawn from `seed` (default 0),
 * and the defaults of `CheckOptions` (rtol 1e-6, every entry).
 *
 * @param spec - `{ f, inputs, vjp | claimed, cotangent?, wrt?, name? }` and any `CheckOptions` fields.
 * @param options - more `CheckOptions` (they override the spec's); unknown keys are rejected.
 * @returns a `FunctionReport`; `renderFunctionReport` prints it.
 * @example
 * ```ts
 * const report = checkVjp({
 *   f: ({ x }) => ({ data: x.data.map(Math.tanh), shape: x.shape }),
 *   vjp: ({ x }, { y }) => x.data.map((v, i) => (1 - Math.tanh(v) ** 2) * y.data[i]),
 *   inputs: { x: Float64Array.of(0.5, -1, 2) },
 * });
 * ```
 */
export function checkVjp(spec: VjpProblem & CheckOptions, options?: CheckOptions): FunctionReport {
  const where = 'checkVjp';
  const split = splitSpec<VjpProblem>(where, spec, options, VJP_KEYS);
  const problem = split.problem;
  const { inputs, wrt, name } = validateFunctionInputs(where, problem, 'f, inputs, vjp | claimed, cotangent?, wrt?');
  if ((problem.vjp === undefined) === (problem.claimed === undefined)) {
    throw new GradcheckError(where, problem.vjp === undefined ? 'neither vjp nor claimed is given; expected one of them' : 'both vjp and claimed are given; expected one of them');
  }
  if (problem.vjp !== undefined && typeof problem.vjp !== 'function') {
    throw new GradcheckError(where, `vjp is ${typeof problem.vjp}; expected a function (inputs, cotangent) => { input: gradient }`);
  }
  if (problem.claimed !== undefined && problem.cotangent === undefined) {
    throw new GradcheckError(where, 'claimed is given without cotangent; expected the cotangent the claimed gradients were computed for');
  }
  const fn = new FlatFunction(where, problem.f, inputs, wrt);
  const seed = split.options.seed ?? 0;
  const cotangent =
    problem.cotangent !== undefined
      ? readNamedTensors(where, 'cotangent', problem.cotangent, fn.outputSlots, SINGLE_OUTPUT)
      : drawTensors(fn.outputSlots, seed, 'cotangent');
  const ybar = packTensors(fn.outputSlots, cotangent, fn.outputSize);
  const claimedValue = problem.vjp !== undefined ? problem.vjp(inputs, cotangent) : problem.claimed;
  const field = problem.vjp !== undefined ? 'vjp(inputs, cotangent)' : 'claimed';
  const claimedTensors = readNamedTensors(where, field, claimedValue, fn.inputSlots, undefined, Object.keys(inputs));
  const claimed = packTensors(fn.inputSlots, claimedTensors, fn.inputSize);
  const out = new Float64Array(fn.outputSize);
  const loss = (theta: Float64Array): number => {
    fn.evaluate(theta, out);
    let g = 0;
    for (let k = 0; k < out.length; k++) g += out[k] * ybar[k];
    return g;
  };
  const drawn = problem.cotangent === undefined;
  const label = split.options.label ?? `${name} VJP, ${drawn ? `random cotangent (seed ${seed})` : 'given cotangent'}`;
  const resolved = resolveCheckOptions({ ...split.options, label }, where);
  if (resolved.strategy === 'full') {
    const { check } = vjpColumnCheck(
      { point: fn.point, output0: fn.output0, ybar, claimed, inputSlots: fn.inputSlots, name, ...(drawn ? { drawSeed: seed } : {}), evaluations: () => fn.evaluations },
      resolved,
    );
    return driveSync(check, fn.point, (theta) => {
      const y = new Float64Array(fn.outputSize);
      fn.evaluate(theta, y);
      return y;
    });
  }
  const report = checkLoss({ loss, point: fn.point, claimed, tensors: slotTensors(fn.inputSlots) }, { ...split.options, label });
  const located = [...report.failures, ...report.unresolved].map((e) => locateInputEntry(fn.inputSlots, e));
  return { ...report, check: 'vjp', function: name, evaluations: fn.evaluations, ...(drawn ? { drawSeed: seed } : {}), located };
}
