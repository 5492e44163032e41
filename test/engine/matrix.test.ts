import { describe, expect, it } from 'vitest';
import { GradcheckError } from '../../src/errors.js';
import { createMatrix, matmulInto, matmulTransposeAInto, matmulTransposeBInto, matrixFromRows, matrixToRows } from '../../src/engine/matrix.js';

// A (2×3) and B (3×2), hand-multiplied:
//   A·B  = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]] = [[58, 64], [139, 154]]
const A = [
  [1, 2, 3],
  [4, 5, 6],
];
const B = [
  [7, 8],
  [9, 10],
  [11, 12],
];

describe('matrices', () => {
  it('round-trips nested rows, row-major', () => {
    const m = matrixFromRows(A);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(matrixToRows(m)).toEqual(A);
  });

  it('rejects ragged rows and wrong buffer sizes, naming the row', () => {
    expect(() => matrixFromRows([[1, 2], [3]], 'test inputs')).toThrow(new GradcheckError('test inputs', 'row 1 has 1 entries; expected 2 like row 0'));
    expect(() => createMatrix(2, 2, new Float64Array(3))).toThrow('createMatrix: data has 3 entries; expected 2×2 = 4');
    expect(createMatrix(2, 3).data).toEqual(new Float64Array(6));
  });

  it('matmulInto computes A·B', () => {
    const out = new Float64Array(4).fill(99); // stale contents must be overwritten
    matmulInto(out, matrixFromRows(A).data, matrixFromRows(B).data, 2, 3, 2);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
  });

  it('matmulTransposeAInto computes Aᵀ·C for A (2×3), C (2×2)', () => {
    // Aᵀ = [[1,4],[2,5],[3,6]], C = [[1,2],[3,4]]:
    // Aᵀ·C = [[1+12, 2+16], [2+15, 4+20], [3+18, 6+24]] = [[13,18],[17,24],[21,30]]
    const out = new Float64Array(6).fill(-1);
    matmulTransposeAInto(out, matrixFromRows(A).data, Float64Array.from([1, 2, 3, 4]), 2, 3, 2);
    expect(Array.from(out)).toEqual([13, 18, 17, 24, 21, 30]);
  });

  it('matmulTransposeBInto computes C·Bᵀ for C (2×2), B (3×2)', () => {
    // C = [[1,2],[3,4]], Bᵀ = [[7,9,11],[8,10,12]]:
    // C·Bᵀ = [[7+16, 9+20, 11+24], [21+32, 27+40, 33+48]] = [[23,29,35],[53,67,81]]
    const out = new Float64Array(6).fill(5);
    matmulTransposeBInto(out, Float64Array.from([1, 2, 3, 4]), matrixFromRows(B).data, 2, 2, 3);
    expect(Array.from(out)).toEqual([23, 29, 35, 53, 67, 81]);
  });

  it('handles zeros in the left operand (skipped rows) and 1×1 shapes', () => {
    const out = new Float64Array(2);
    matmulInto(out, Float64Array.from([0, 0, 2]), matrixFromRows(B).data, 1, 3, 2);
    expect(Array.from(out)).toEqual([22, 24]);
    const one = new Float64Array(1);
    matmulInto(one, Float64Array.from([3]), Float64Array.from([-2]), 1, 1, 1);
    expect(one[0]).toBe(-6);
  });
});
