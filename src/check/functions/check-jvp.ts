/**
 * Checks a Jacobian–vector product (a forward-mode rule): for a tangent v (given, or drawn at random from
 * the seed), each output entry's claimed (Jv)_k is the derivative of the scalar t ↦ f(x + t·v)_k, which
 * `checkLoss` checks like any black-box loss of one variable. The line's evaluations are shared by all
 * output entries (one call of f serves every entry), and the parts are merged into one report.
 */
import { checkLoss } from '../strategies/check-loss.js';
import type { CheckOptions } from '../strategies/check-options.js';
import { parameterTensor } from '../../engine/layout.js';
import { GradcheckError } from '../../errors.js';
import { FlatFunction, SINGLE_OUTPUT, packTensors, slotTensors } from './differentiable-function.js';
import { readNamedTensors, validateFunctionInputs, type FunctionProblemBase } from './function-inputs.js';
import { splitSpec } from './function-options.js';
import type { FunctionReport, LocatedEntry } from './function-report.js';
import { locateSlot } from './locate.js';
import { MergedReport } from './merged-report.js';
import { drawTensors } from './random-tensors.js';
import { indexText, type NamedTensors, type TensorLike } from './tensor.js';
import type { EntryCheck } from '../report/report.js';

/** A forward-mode rule: the directional derivative of every output along `tangent` (one tensor per differentiated input). */
export type JvpRule = (inputs: NamedTensors, tangent: NamedTensors) => Readonly<Record<string, TensorLike>> | TensorLike;

/** What `checkJvp` checks: f and its inputs, and either the JVP rule or the products it claims for a given tangent. */
export interface JvpProblem extends FunctionProblemBase {
  /** The forward-mode rule checked. Give this or `claimed`. */
  readonly jvp?: JvpRule;
  /** The claimed J·tangent, one tensor per output (needs `tangent`). */
  readonly claimed?: Readonly<Record<string, TensorLike>> | TensorLike;
  /** v, one tensor per differentiated input. Default: N(0, 1) entries from `seed`. */
  readonly tangent?: Readonly<Record<string, TensorLike>> | TensorLike;
}

const JVP_KEYS = ['f', 'inputs', 'wrt', 'name', 'jvp', 'claimed', 'tangent'] as const;

/**
 * Checks a function's Jacobian–vector product at the given inputs, entry by entry of every output,
 * against finite differences of f along the tangent. Wrong entries are located by output name and index.
 *
 * Defaults: every input differentiated, a random N(0, 1) tangent drawn from `seed` (default 0), and the
 * defaults of `CheckOptions`.
 *
 * @param spec - `{ f, inputs, jvp | claimed, tangent?, wrt?, name? }` and any `CheckOptions` fields.
 * @param options - more `CheckOptions`; unknown keys are rejected.
 * @returns a `FunctionReport` with one tensor per output.
 * @example
 * ```ts
 * const report = checkJvp({
 *   f: ({ x }) => x.data.map(Math.tanh),
 *   jvp: ({ x }, { x: v }) => x.data.map((u, i) => (1 - Math.tanh(u) ** 2) * v.data[i]),
 *   inputs: { x: Float64Array.of(0.5, -1, 2) },
 * });
 * ```
 */
export function checkJvp(spec: JvpProblem & CheckOptions, options?: CheckOptions): FunctionReport {
  const where = 'checkJvp';
  const split = splitSpec<JvpProblem>(where, spec, options, JVP_KEYS);
  const problem = split.problem;
  const { inputs, wrt, name } = validateFunctionInputs(where, problem, 'f, inputs, jvp | claimed, tangent?, wrt?');
  if ((problem.jvp === undefined) === (problem.claimed === undefined)) {
    throw new GradcheckError(where, problem.jvp === undefined ? 'neither jvp nor claimed is given; expected one of them' : 'both jvp and claimed are given; expected one of them');
  }
  if (problem.jvp !== undefined && typeof problem.jvp !== 'function') {
    throw new GradcheckError(where, `jvp is ${typeof problem.jvp}; expected a function (inputs, tangent) => { output: tensor }`);
  }
  if (problem.claimed !== undefined && problem.tangent === undefined) {
    throw new GradcheckError(where, 'claimed is given without tangent; expected the tangent the claimed products were computed for');
  }
  const fn = new FlatFunction(where, problem.f, inputs, wrt);
  const seed = split.options.seed ?? 0;
  const drawn = problem.tangent === undefined;
  const tangent = drawn ? drawTensors(fn.inputSlots, seed, 'tangent') : readNamedTensors(where, 'tangent', problem.tangent, fn.inputSlots);
  const v = packTensors(fn.inputSlots, tangent, fn.inputSize);
  const claimedValue = problem.jvp !== undefined ? problem.jvp(inputs, tangent) : problem.claimed;
  const field = problem.jvp !== undefined ? 'jvp(inputs, tangent)' : 'claimed';
  const claimed = packTensors(fn.outputSlots, readNamedTensors(where, field, claimedValue, fn.outputSlots, SINGLE_OUTPUT), fn.outputSize);
  const line = lineThrough(fn, v);
  const outputs = slotTensors(fn.outputSlots);
  const merged = new MergedReport(outputs);
  const label = split.options.label ?? `${name} JVP, ${drawn ? `random tangent (seed ${seed})` : 'given tangent'}`;
  const located: LocatedEntry[] = [];
  for (const slot of fn.outputSlots) {
    const tensor = outputs.find((t) => t.name === slot.name)!;
    for (let k = slot.offset; k < slot.offset + slot.size; k++) {
      const part = checkLoss(
        { loss: (theta) => line.at(theta[0])[k], point: Float64Array.of(line.origin), claimed: Float64Array.of(claimed[k]), tensors: [parameterTensor(slot.name, 1, 1)] },
        { ...split.options, label },
      );
      const local = k - slot.offset;
      const relabel = (e: EntryCheck): EntryCheck => ({ ...e, index: k, row: Math.floor(local / tensor.cols), col: local % tensor.cols });
      merged.addTensor(slot.name, part.tensors[0], relabel);
      merged.addEntries(part, relabel);
      const { index } = locateSlot(fn.outputSlots, k);
      for (const e of [...part.failures, ...part.unresolved]) located.push({ entry: relabel(e), output: slot.name, outputIndex: index, label: indexText(slot.name, index) });
    }
  }
  const report = merged.build(label);
  located.sort((a, b) => Number(a.entry.status === 'unresolved') - Number(b.entry.status === 'unresolved'));
  return { ...report, check: 'jvp', function: name, evaluations: fn.evaluations, ...(drawn ? { drawSeed: seed } : {}), located };
}

/**
 * f along x + (s − origin)·v, memoised by s so that every output entry's check reuses the same calls.
 * The line's parameter starts at origin = the power of two at or above max(1, ‖x‖∞) rather than 0, so
 * the estimator's step h·max(1, |s|) (numerics/step.ts) scales with the inputs as a coordinate step
 * would; a power of two lies on every precision's grid, and s − origin is exact for s within a factor 2
 * of origin (Sterbenz), so no rounding enters the shift.
 */
function lineThrough(fn: FlatFunction, v: Float64Array): { origin: number; at(s: number): Float64Array } {
  let largest = 1;
  for (const x of fn.point) largest = Math.max(largest, Math.abs(x));
  const origin = 2 ** Math.ceil(Math.log2(largest));
  const cache = new Map<number, Float64Array>();
  const theta = new Float64Array(fn.inputSize);
  return {
    origin,
    at(s) {
      const hit = cache.get(s);
      if (hit !== undefined) return hit;
      const t = s - origin;
      for (let i = 0; i < theta.length; i++) theta[i] = fn.point[i] + t * v[i];
      const out = new Float64Array(fn.outputSize);
      fn.evaluate(theta, out);
      cache.set(s, out);
      return out;
    },
  };
}
