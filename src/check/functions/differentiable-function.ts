/**
 * A differentiable function of named tensors, seen by the checker as a function of one flat vector θ:
 * the inputs it differentiates laid end to end (in the order given), the others held fixed. Outputs are
 * checked against the names and shapes of the first evaluation, so a function whose output changes
 * shape between points is named rather than misread.
 */
import { GradcheckError } from '../../errors.js';
import { parameterTensor, type ParameterTensor } from '../../engine/layout.js';
import { reportLayout, shapeSize, shapeText, toTensor, type NamedTensors, type Tensor, type TensorLike } from './tensor.js';

/** A function of named input tensors to one output tensor or several named ones; must not modify its inputs. */
export type DifferentiableFunction = (inputs: NamedTensors) => Readonly<Record<string, TensorLike>> | TensorLike;

/** The output name a function returning one bare tensor gets. */
export const SINGLE_OUTPUT = 'y';

/** One named tensor's place in a flat vector. */
export interface TensorSlot {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
}

/** Lays named shapes end to end. */
export function layoutSlots(named: readonly { name: string; shape: readonly number[] }[]): { slots: TensorSlot[]; size: number } {
  let offset = 0;
  const slots = named.map(({ name, shape }) => {
    const slot = { name, shape, offset, size: shapeSize(shape) };
    offset += slot.size;
    return slot;
  });
  return { slots, size: offset };
}

/** The report tensors (layer 0, kind = name) of slots: rows × columns as `reportLayout` lays them. */
export function slotTensors(slots: readonly TensorSlot[]): ParameterTensor[] {
  return slots.map((s) => {
    const { rows, cols } = reportLayout(s.shape);
    return parameterTensor(s.name, rows, cols, s.offset);
  });
}

/** Copies named tensors into one flat vector laid out by `slots`. */
export function packTensors(slots: readonly TensorSlot[], tensors: NamedTensors, size: number): Float64Array {
  const flat = new Float64Array(size);
  for (const s of slots) flat.set(tensors[s.name].data, s.offset);
  return flat;
}

/** The function at a point, with its inputs and outputs laid out flat. */
export class FlatFunction {
  readonly inputSlots: TensorSlot[];
  readonly inputSize: number;
  readonly outputSlots: TensorSlot[];
  readonly outputSize: number;
  /** θ₀: the differentiated inputs at the checked point. */
  readonly point: Float64Array;
  /** f(θ₀), flat. */
  readonly output0: Float64Array;
  /** Calls of f so far (the first evaluation included). */
  evaluations = 0;
  private readonly views: Record<string, Tensor>;

  constructor(
    private readonly where: string,
    private readonly f: DifferentiableFunction,
    readonly inputs: NamedTensors,
    readonly wrt: readonly string[],
  ) {
    const laid = layoutSlots(wrt.map((name) => ({ name, shape: inputs[name].shape })));
    this.inputSlots = laid.slots;
    this.inputSize = laid.size;
    this.point = packTensors(laid.slots, inputs, laid.size);
    // f sees fresh buffers it may read but the checker owns; held inputs are passed as given.
    this.views = { ...inputs };
    for (const s of laid.slots) this.views[s.name] = { shape: s.shape, data: new Float64Array(s.size) };
    const first = this.call(this.point, 'at the checked point');
    const names = Object.keys(first);
    if (names.length === 0) throw new GradcheckError(where, 'f returned no output; expected a tensor or { name: tensor }');
    const out = layoutSlots(names.map((name) => ({ name, shape: first[name].shape })));
    this.outputSlots = out.slots;
    this.outputSize = out.size;
    this.output0 = new Float64Array(out.size);
    this.readOutputs(first, this.output0, 'at the checked point');
  }

  /** f(θ) written into `out` (length `outputSize`). */
  evaluate(theta: Float64Array, out: Float64Array): void {
    this.readOutputs(this.call(theta, 'at a shifted point'), out, 'at a shifted point');
  }

  private call(theta: Float64Array, at: string): Record<string, Tensor> {
    for (const s of this.inputSlots) (this.views[s.name].data as Float64Array).set(theta.subarray(s.offset, s.offset + s.size));
    this.evaluations++;
    const result = this.f(this.views);
    const named = result instanceof Float64Array || (result !== null && typeof result === 'object' && 'data' in result && 'shape' in result)
      ? { [SINGLE_OUTPUT]: result as TensorLike }
      : result;
    if (named === null || typeof named !== 'object') {
      throw new GradcheckError(this.where, `f returned ${String(named)} ${at}; expected a tensor or { name: tensor }`);
    }
    const tensors: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(named)) tensors[name] = toTensor(this.where, `f output ${name}`, value);
    return tensors;
  }

  private readOutputs(tensors: Record<string, Tensor>, out: Float64Array, at: string): void {
    if (this.outputSlots !== undefined) {
      for (const s of this.outputSlots) {
        const t = tensors[s.name];
        if (t === undefined) throw new GradcheckError(this.where, `f returned no output ${s.name} ${at}; it did at the checked point`);
        if (t.data.length !== s.size) {
          throw new GradcheckError(this.where, `f output ${s.name} has shape ${shapeText(t.shape)} ${at}; it was ${shapeText(s.shape)} at the checked point`);
        }
      }
    }
    const slots = this.outputSlots ?? layoutSlots(Object.keys(tensors).map((name) => ({ name, shape: tensors[name].shape }))).slots;
    for (const s of slots) out.set(tensors[s.name].data, s.offset);
  }
}
