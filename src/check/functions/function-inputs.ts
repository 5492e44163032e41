/**
 * The parts every function check shares: the function, its named inputs and which of them are
 * differentiated, validated with messages that name the field.
 */
import { GradcheckError } from '../../errors.js';
import { shapeSize, shapeText, toTensor, type NamedTensors, type Tensor, type TensorLike } from './tensor.js';
import type { DifferentiableFunction } from './differentiable-function.js';

/** What every function check is given. */
export interface FunctionProblemBase {
  /** The function checked; must not modify its inputs. */
  readonly f: DifferentiableFunction;
  /** Its inputs by name, at the point checked. */
  readonly inputs: Readonly<Record<string, TensorLike>>;
  /** The inputs differentiated; the others are held fixed (labels, masks). Default: every input. */
  readonly wrt?: readonly string[];
  /** The function's name in reports (`softmax`). Default `f`. */
  readonly name?: string;
}

/** The validated inputs: tensors by name and the differentiated names, in order. */
export interface ValidatedInputs {
  readonly inputs: NamedTensors;
  readonly wrt: readonly string[];
  readonly name: string;
}

/** Checks f, inputs and wrt; throws a `GradcheckError` naming the field. */
export function validateFunctionInputs(where: string, problem: FunctionProblemBase, fields: string): ValidatedInputs {
  if (problem === null || typeof problem !== 'object') {
    throw new GradcheckError(where, `the problem is ${String(problem)}; expected { ${fields} }`);
  }
  if (typeof problem.f !== 'function') {
    throw new GradcheckError(where, `f is ${typeof problem.f}; expected a function (inputs: { name: tensor }) => tensor or { name: tensor }`);
  }
  if (problem.inputs === null || typeof problem.inputs !== 'object' || problem.inputs instanceof Float64Array || Array.isArray(problem.inputs)) {
    throw new GradcheckError(where, `inputs is ${problem.inputs instanceof Float64Array ? 'a Float64Array' : typeof problem.inputs}; expected { name: tensor }, for example { x: Float64Array.of(1, 2) }`);
  }
  const inputs: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(problem.inputs)) {
    const t = toTensor(where, `inputs.${name}`, value);
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new GradcheckError(where, `inputs.${name} entry ${bad} is ${t.data[bad]}; expected finite numbers`);
    inputs[name] = t;
  }
  if (Object.keys(inputs).length === 0) throw new GradcheckError(where, 'inputs is empty; expected at least one named tensor');
  const wrt = problem.wrt ?? Object.keys(inputs);
  if (!Array.isArray(wrt) || wrt.length === 0) throw new GradcheckError(where, `wrt is ${JSON.stringify(wrt)}; expected a non-empty array of input names`);
  for (const name of wrt) {
    if (!(name in inputs)) throw new GradcheckError(where, `wrt names ${JSON.stringify(name)}, which is not an input; expected one of ${Object.keys(inputs).join(', ')}`);
  }
  if (new Set(wrt).size !== wrt.length) throw new GradcheckError(where, `wrt ${JSON.stringify(wrt)} names an input twice`);
  const name = problem.name ?? 'f';
  if (typeof name !== 'string') throw new GradcheckError(where, `name is ${typeof name}; expected a string`);
  return { inputs, wrt, name };
}

/**
 * Reads named tensors (a cotangent, a tangent, claimed gradients) against the names and shapes expected;
 * keys in `ignored` (gradients of inputs held fixed) are allowed and dropped, any other unknown key is named.
 */
export function readNamedTensors(
  where: string,
  field: string,
  value: unknown,
  expected: readonly { name: string; shape: readonly number[] }[],
  single?: string,
  ignored: readonly string[] = [],
): Record<string, Tensor> {
  // One bare tensor stands for the only expected one (a function with one output, a problem with one input).
  if (value instanceof Float64Array || (value !== null && typeof value === 'object' && 'data' in value && 'shape' in value)) {
    if (expected.length !== 1) throw new GradcheckError(where, `${field} is one tensor; expected { name: tensor } for ${expected.map((e) => e.name).join(', ')}`);
    value = { [single ?? expected[0].name]: value };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GradcheckError(where, `${field} is ${Array.isArray(value) ? 'a plain array' : String(value)}; expected { ${expected.map((e) => e.name).join(', ')} } of tensors`);
  }
  const known = expected.map((e) => e.name);
  for (const key of Object.keys(value)) {
    if (!known.includes(key) && !ignored.includes(key)) throw new GradcheckError(where, `${field}.${key} is not expected; expected ${known.join(', ')}`);
  }
  const out: Record<string, Tensor> = {};
  for (const e of expected) {
    const v = (value as Record<string, unknown>)[e.name];
    if (v === undefined) throw new GradcheckError(where, `${field}.${e.name} is missing; expected a tensor of shape ${shapeText(e.shape)}`);
    const t = toTensor(where, `${field}.${e.name}`, v);
    // A vector given for a tensor of the same size is read in its row-major order.
    if (t.data.length === shapeSize(e.shape) && t.shape.length === 1 && e.shape.length !== 1) {
      out[e.name] = { shape: e.shape, data: t.data };
      continue;
    }
    if (t.shape.length !== e.shape.length || t.shape.some((d, i) => d !== e.shape[i])) {
      throw new GradcheckError(where, `${field}.${e.name} has shape ${shapeText(t.shape)}; expected ${shapeText(e.shape)}`);
    }
    out[e.name] = t;
  }
  return out;
}
