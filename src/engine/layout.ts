/**
 * The flat parameter vector: every entry of every weight matrix and bias has one stable index.
 * Order: W1 (inputs×outputs, row-major), b1, W2, b2, …  Layers are numbered from 1, the input is layer 0.
 */
export type TensorKind = 'W' | 'b' | 'x';

/** A named, shaped slice of a flat vector: a weight matrix, a bias row, or the input batch. */
export interface ParameterTensor {
  /** Display name: `W1`, `b2`, `x`, or any name a user gives a black-box tensor. */
  readonly name: string;
  /** 1-based layer number; 0 for the input x. */
  readonly layer: number;
  readonly kind: TensorKind | string;
  readonly rows: number;
  readonly cols: number;
  /** Index of entry (0, 0) in the flat vector. */
  readonly offset: number;
}

export function tensorSize(t: ParameterTensor): number {
  return t.rows * t.cols;
}

/** Describes a tensor slice; `offset` defaults to 0. */
export function parameterTensor(name: string, rows: number, cols: number, offset = 0, layer = 0, kind: string = name): ParameterTensor {
  return { name, layer, kind, rows, cols, offset };
}

/** Lays tensors end to end and returns them with their offsets and the total length. */
export function concatTensors(shapes: readonly Omit<ParameterTensor, 'offset'>[]): { tensors: ParameterTensor[]; size: number } {
  let offset = 0;
  const tensors = shapes.map((s) => {
    const t = { ...s, offset };
    offset += s.rows * s.cols;
    return t;
  });
  return { tensors, size: offset };
}

/** Finds the tensor holding flat index `index`, and the entry's (row, column) in it. */
export function locateIndex(tensors: readonly ParameterTensor[], index: number): { tensor: ParameterTensor; row: number; col: number } {
  for (const tensor of tensors) {
    const local = index - tensor.offset;
    if (local >= 0 && local < tensor.rows * tensor.cols) {
      return { tensor, row: Math.floor(local / tensor.cols), col: local % tensor.cols };
    }
  }
  throw new RangeError(`locateIndex: index ${index} is in no tensor`);
}

/** `W2[1,0]`: the tensor name with the entry's row and column. */
export function entryName(tensor: ParameterTensor, row: number, col: number): string {
  return `${tensor.name}[${row},${col}]`;
}
