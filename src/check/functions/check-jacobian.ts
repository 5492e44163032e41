/**
 * Checks every entry of a function's Jacobian, built from the user's rule (rows from a VJP with each
 * basis cotangent, or columns from a JVP with each basis tangent): row k is the gradient of the scalar
 * f(x)_k. Entry by entry (`full`) it is a column check (column-check.ts) with every output as a checked
 * scalar: three calls of f per input entry give every row's estimate at once, and only the entries
 * the judge does not pass on them are refined. Other strategies check each row with `checkLoss`, calls
 * memoised by point. One report tensor ∂output/∂input per pair. Meant for small functions: it takes
 * about (outputs + inputs) rule calls.
 */
import { checkLoss } from '../strategies/check-loss.js';
import type { CheckOptions } from '../strategies/check-options.js';
import { parameterTensor, type ParameterTensor } from '../../engine/layout.js';
import { GradcheckError } from '../../errors.js';
import { FlatFunction, SINGLE_OUTPUT, slotTensors, packTensors, type TensorSlot } from './differentiable-function.js';
import { readNamedTensors, validateFunctionInputs, type FunctionProblemBase } from './function-inputs.js';
import { splitSpec } from './function-options.js';
import type { FunctionReport, LocatedEntry } from './function-report.js';
import { locateSlot } from './locate.js';
import { MergedReport } from './merged-report.js';
import { indexText, multiIndex, type Tensor } from './tensor.js';
import { resolveCheckOptions } from '../strategies/check-options.js';
import { checkColumns } from './column-check.js';
import { ColumnTallies, functionFields, newProgress } from './column-report.js';
import { driveSync } from './drive.js';
import type { EntryCheck } from '../report/report.js';
import type { VjpRule } from './check-vjp.js';
import type { JvpRule } from './check-jvp.js';

/** What `checkJacobian` checks: f, its inputs, and the rule (VJP or JVP) whose Jacobian is compared entry by entry. */
export interface JacobianProblem extends FunctionProblemBase {
  /** A backward rule; the Jacobian's rows are its products with each basis cotangent. Give this or `jvp`. */
  readonly vjp?: VjpRule;
  /** A forward-mode rule; the Jacobian's columns are its products with each basis tangent. */
  readonly jvp?: JvpRule;
}

const JACOBIAN_KEYS = ['f', 'inputs', 'wrt', 'name', 'vjp', 'jvp'] as const;

/**
 * The most Jacobian entries `checkJacobian` takes (outputs × differentiated inputs): the memoised calls
 * of f hold about that many numbers per call of f, and larger functions are better served by `checkVjp`.
 */
export const MAX_JACOBIAN_ENTRIES = 100_000;

/**
 * Checks every entry ∂output_k/∂input_i of a small function's Jacobian as its rule computes it, against
 * finite differences. Wrong entries are located by output and input name and index (`∂y[1]/∂x[2]`).
 *
 * @param spec - `{ f, inputs, vjp | jvp, wrt?, name? }` and any `CheckOptions` fields.
 * @param options - more `CheckOptions`; unknown keys are rejected.
 * @returns a `FunctionReport` with one tensor `∂output/∂input` (rows: output entries, columns: input entries) per pair.
 * @example
 * ```ts
 * const report = checkJacobian({ f: ({ x }) => x.data.map(Math.tanh), vjp: tanhVjp, inputs: { x: Float64Array.of(0.5, -1) } });
 * ```
 */
export function checkJacobian(spec: JacobianProblem & CheckOptions, options?: CheckOptions): FunctionReport {
  const where = 'checkJacobian';
  const split = splitSpec<JacobianProblem>(where, spec, options, JACOBIAN_KEYS);
  const problem = split.problem;
  const { inputs, wrt, name } = validateFunctionInputs(where, problem, 'f, inputs, vjp | jvp, wrt?');
  if ((problem.vjp === undefined) === (problem.jvp === undefined)) {
    throw new GradcheckError(where, problem.vjp === undefined ? 'neither vjp nor jvp is given; expected one of them' : 'both vjp and jvp are given; expected one of them');
  }
  const rule = problem.vjp ?? problem.jvp;
  if (typeof rule !== 'function') throw new GradcheckError(where, `${problem.vjp !== undefined ? 'vjp' : 'jvp'} is ${typeof rule}; expected a function`);
  const fn = new FlatFunction(where, problem.f, inputs, wrt);
  const entries = fn.outputSize * fn.inputSize;
  if (entries > MAX_JACOBIAN_ENTRIES) {
    throw new GradcheckError(where, `the Jacobian has ${fn.outputSize}×${fn.inputSize} = ${entries} entries, more than ${MAX_JACOBIAN_ENTRIES}; check the rule with checkVjp or checkJvp instead`);
  }
  const jacobian = problem.vjp !== undefined ? rowsFromVjp(where, fn, problem.vjp, inputs) : rowsFromJvp(where, fn, problem.jvp!, inputs);
  const pairs = pairTensors(fn.outputSlots, fn.inputSlots);
  const label = split.options.label ?? `${name} Jacobian (${fn.outputSize}×${fn.inputSize})`;
  const s = resolveCheckOptions({ ...split.options, label }, where);
  if (s.strategy !== 'full') return rowByRow(fn, jacobian, pairs, name, split.options, label);
  const tallies = new ColumnTallies(pairs.map((p) => p.tensor), s);
  const pairAt = (r: number, j: number): number => locateIndex(fn.outputSlots, r) * fn.inputSlots.length + locateIndex(fn.inputSlots, j);
  const progress = newProgress(fn.inputSize);
  const check = (function* () {
    const outcome = yield* checkColumns(
      {
        point: fn.point,
        output0: fn.output0,
        quantities: fn.outputSize,
        reduce: (out, into) => into.set(out),
        claimed: jacobian,
        tallyOf: (r, j) => {
          const k = pairAt(r, j);
          const p = pairs[k];
          return { tally: tallies.tallies[k], index: (r - p.output.offset) * p.input.size + (j - p.input.offset) };
        },
        onUnresolved: (r, j, steps, estimates) => {
          const p = pairs[pairAt(r, j)];
          tallies.sequence(p.tensor.name, (r - p.output.offset) * p.input.size + (j - p.input.offset), steps, estimates);
        },
      },
      s,
      progress,
    );
    return outcome;
  })();
  const outcome = driveSync(check, fn.point, (theta) => {
    const y = new Float64Array(fn.outputSize);
    fn.evaluate(theta, y);
    return y;
  });
  const report = tallies.report(outcome);
  const located = [...report.failures, ...report.unresolved].map((e) => {
    const p = pairs.find((q) => q.tensor.name === e.tensor)!;
    const outputIndex = multiIndex(p.output.shape, e.row);
    const inputIndex = multiIndex(p.input.shape, e.col);
    return tallies.withSequence({ entry: e, output: p.output.name, outputIndex, input: p.input.name, inputIndex, label: `∂${indexText(p.output.name, outputIndex)}/∂${indexText(p.input.name, inputIndex)}` });
  });
  return { ...report, ...functionFields('jacobian', name, fn.evaluations, outcome), located };
}

/** The slot number holding flat index k. */
function locateIndex(slots: readonly TensorSlot[], k: number): number {
  for (let i = 0; i < slots.length; i++) if (k >= slots[i].offset && k < slots[i].offset + slots[i].size) return i;
  throw new RangeError(`locateIndex: index ${k} is in no tensor`);
}

/** Strategies other than `full`: each row's gradient checked by `checkLoss` (its directions or fast mode), calls memoised. */
function rowByRow(fn: FlatFunction, jacobian: Float64Array, pairs: ReturnType<typeof pairTensors>, name: string, options: CheckOptions, label: string): FunctionReport {
  const evaluate = memoised(fn);
  const merged = new MergedReport(pairs.map((p) => p.tensor));
  const located: LocatedEntry[] = [];
  const inputTensors = slotTensors(fn.inputSlots);
  for (const out of fn.outputSlots) {
    for (let k = out.offset; k < out.offset + out.size; k++) {
      const part = checkLoss(
        { loss: (theta) => evaluate(theta)[k], point: fn.point, claimed: jacobian.subarray(k * fn.inputSize, (k + 1) * fn.inputSize), tensors: inputTensors },
        { ...options, label },
      );
      const { index: outputIndex } = locateSlot(fn.outputSlots, k);
      const relabelAny = (e: EntryCheck): EntryCheck => {
        const { slot: input } = locateSlot(fn.inputSlots, e.index);
        const pair = pairs.find((p) => p.output === out && p.input === input)!;
        return { ...e, tensor: pair.tensor.name, kind: pair.tensor.name, index: k * fn.inputSize + e.index, row: k - out.offset, col: e.index - input.offset };
      };
      part.tensors.forEach((t, j) => merged.addTensor(pairs.find((p) => p.output === out && p.input === fn.inputSlots[j])!.tensor.name, t, relabelAny));
      merged.addEntries(part, relabelAny);
      for (const e of [...part.failures, ...part.unresolved]) {
        const { slot: input, index: inputIndex } = locateSlot(fn.inputSlots, e.index);
        located.push({ entry: relabelAny(e), output: out.name, outputIndex, input: input.name, inputIndex, label: `∂${indexText(out.name, outputIndex)}/∂${indexText(input.name, inputIndex)}` });
      }
    }
  }
  located.sort((a, b) => Number(a.entry.status === 'unresolved') - Number(b.entry.status === 'unresolved'));
  return { ...merged.build(label), check: 'jacobian', function: name, evaluations: fn.evaluations, located };
}

/** One report tensor per (output, input): rows are the output's entries, columns the input's. */
function pairTensors(outputs: readonly TensorSlot[], inputs: readonly TensorSlot[]): { output: TensorSlot; input: TensorSlot; tensor: ParameterTensor }[] {
  return outputs.flatMap((output) => inputs.map((input) => ({ output, input, tensor: parameterTensor(`∂${output.name}/∂${input.name}`, output.size, input.size) })));
}

/** The Jacobian (outputs × inputs, row-major) from a VJP: row k is vjp(e_k). */
function rowsFromVjp(where: string, fn: FlatFunction, vjp: VjpRule, inputs: Record<string, Tensor>): Float64Array {
  const jacobian = new Float64Array(fn.outputSize * fn.inputSize);
  const basis = new Float64Array(fn.outputSize);
  for (let k = 0; k < fn.outputSize; k++) {
    basis.fill(0);
    basis[k] = 1;
    const cotangent = unpack(fn.outputSlots, basis);
    const row = readNamedTensors(where, `vjp(inputs, e_${k})`, vjp(inputs, cotangent), fn.inputSlots, undefined, Object.keys(inputs));
    jacobian.set(packTensors(fn.inputSlots, row, fn.inputSize), k * fn.inputSize);
  }
  return jacobian;
}

/** The Jacobian from a JVP: column i is jvp(e_i). */
function rowsFromJvp(where: string, fn: FlatFunction, jvp: JvpRule, inputs: Record<string, Tensor>): Float64Array {
  const jacobian = new Float64Array(fn.outputSize * fn.inputSize);
  const basis = new Float64Array(fn.inputSize);
  for (let i = 0; i < fn.inputSize; i++) {
    basis.fill(0);
    basis[i] = 1;
    const column = packTensors(fn.outputSlots, readNamedTensors(where, `jvp(inputs, e_${i})`, jvp(inputs, unpack(fn.inputSlots, basis)), fn.outputSlots, SINGLE_OUTPUT), fn.outputSize);
    for (let k = 0; k < fn.outputSize; k++) jacobian[k * fn.inputSize + i] = column[k];
  }
  return jacobian;
}

/** Fresh named tensors holding a copy of a flat vector's slices. */
function unpack(slots: readonly TensorSlot[], flat: Float64Array): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const s of slots) out[s.name] = { shape: s.shape, data: flat.slice(s.offset, s.offset + s.size) };
  return out;
}

/** f by point, memoised on θ's bytes: every row's check meets the same stencil points. */
function memoised(fn: FlatFunction): (theta: Float64Array) => Float64Array {
  const cache = new Map<string, Float64Array>();
  return (theta) => {
    const key = Buffer.from(theta.buffer, theta.byteOffset, theta.byteLength).toString('base64');
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const out = new Float64Array(fn.outputSize);
    fn.evaluate(theta, out);
    cache.set(key, out);
    return out;
  };
}
