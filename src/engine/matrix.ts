/**
 * Dense float64 matrices: row-major `Float64Array` with their shape. A batch is rows.
 * Kernels write into caller-owned outputs so hot loops allocate nothing.
 */
import { GradcheckError } from '../errors.js';

/** A dense row-major matrix of float64 values (`data[r * cols + c]`). */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: entry (r, c) is `data[r * cols + c]`. */
  readonly data: Float64Array;
}

export function createMatrix(rows: number, cols: number, data?: Float64Array): Matrix {
  const buffer = data ?? new Float64Array(rows * cols);
  if (buffer.length !== rows * cols) {
    throw new GradcheckError('createMatrix', `data has ${buffer.length} entries; expected ${rows}×${cols} = ${rows * cols}`);
  }
  return { rows, cols, data: buffer };
}

/** Builds a matrix from nested rows; `where` names the caller and field for errors. */
export function matrixFromRows(rows: readonly (readonly number[])[], where = 'matrixFromRows'): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) {
      throw new GradcheckError(where, `row ${r} has ${row.length} entries; expected ${cols} like row 0`);
    }
    data.set(row, r * cols);
  });
  return { rows: rows.length, cols, data };
}

/** The matrix as nested arrays, one per row (the inverse of `matrixFromRows`). */
export function matrixToRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

/** out = a · b, with a (n×k) and b given as a flat row-major (k×m) array. */
export function matmulInto(out: Float64Array, a: Float64Array, b: Float64Array, n: number, k: number, m: number): void {
  out.fill(0, 0, n * m);
  for (let i = 0; i < n; i++) {
    const outRow = i * m;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      if (aip === 0) continue;
      const bRow = p * m;
      for (let j = 0; j < m; j++) out[outRow + j] += aip * b[bRow + j];
    }
  }
}

/** out = aᵀ · b, with a (n×k) and b (n×m): the weight gradient Xᵀ·δ. */
export function matmulTransposeAInto(out: Float64Array, a: Float64Array, b: Float64Array, n: number, k: number, m: number): void {
  out.fill(0, 0, k * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      if (aip === 0) continue;
      const outRow = p * m;
      const bRow = i * m;
      for (let j = 0; j < m; j++) out[outRow + j] += aip * b[bRow + j];
    }
  }
}

/** out = a · bᵀ, with a (n×m) and b (k×m): back-propagating δ through W (k×m). */
export function matmulTransposeBInto(out: Float64Array, a: Float64Array, b: Float64Array, n: number, m: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const aRow = i * m;
    for (let p = 0; p < k; p++) {
      const bRow = p * m;
      let s = 0;
      for (let j = 0; j < m; j++) s += a[aRow + j] * b[bRow + j];
      out[i * k + p] = s;
    }
  }
}
