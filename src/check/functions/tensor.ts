/**
 * Named tensors of a differentiable function: a shape and its row-major entries, how a user may write
 * one (`TensorLike`), and how entries are laid out in the reports' rows × columns.
 */
import { GradcheckError } from '../../errors.js';

/** A tensor: its shape (row-major, last index fastest) and its entries. A scalar has shape `[]`. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** What a user may pass for a tensor: a `Tensor`, or a `Float64Array` (a vector of its length). */
export type TensorLike = Tensor | Float64Array;

/** Tensors by name: a function's inputs, its outputs, a cotangent or a tangent. */
export type NamedTensors = Readonly<Record<string, Tensor>>;

/** Entries of a shape: the product of its dimensions (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `3×4`, or `scalar` for shape `[]`. */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/**
 * The tensor a `TensorLike` stands for, its shape checked against its entries; `field` names it in the
 * message (`inputs.x`, `vjp(…).W`).
 */
export function toTensor(where: string, field: string, value: unknown): Tensor {
  if (value instanceof Float64Array) return { shape: [value.length], data: value };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'a plain array' : value === null ? 'null' : typeof value;
    throw new GradcheckError(where, `${field} is ${what}; expected a Float64Array or { shape, data: Float64Array }`);
  }
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new GradcheckError(where, `${field}.shape is ${JSON.stringify(shape)}; expected an array of integers ≥ 1 ([] for a scalar)`);
  }
  if (!(data instanceof Float64Array)) {
    throw new GradcheckError(where, `${field}.data is ${Array.isArray(data) ? 'a plain array' : typeof data}; expected a Float64Array`);
  }
  if (data.length !== shapeSize(shape)) {
    throw new GradcheckError(where, `${field} has ${data.length} entries but shape ${shapeText(shape)} needs ${shapeSize(shape)}`);
  }
  return { shape: [...shape], data };
}

/**
 * How a tensor's entries sit in the reports' rows × columns: a vector is one row, a matrix itself, and
 * a higher-rank tensor its leading dimensions flattened into rows. Row-major either way, so entry k is
 * at (⌊k / cols⌋, k mod cols).
 */
export function reportLayout(shape: readonly number[]): { rows: number; cols: number } {
  if (shape.length === 0) return { rows: 1, cols: 1 };
  const cols = shape[shape.length - 1];
  return { rows: shapeSize(shape) / cols, cols };
}

/** The multi-index of flat (row-major) entry `k` of `shape`: `[1, 2]` for entry 5 of 2×3. */
export function multiIndex(shape: readonly number[], k: number): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = k % shape[d];
    k = Math.floor(k / shape[d]);
  }
  return index;
}

/** `x[1,2]`, or just `x` for a scalar. */
export function indexText(name: string, index: readonly number[]): string {
  return index.length === 0 ? name : `${name}[${index.join(',')}]`;
}
