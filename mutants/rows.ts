/**
 * The few matrix helpers a hand-written backprop uses, on plain `number[][]` (rows of a batch),
 * written as plain loops. `matmul` refuses shapes that do not align, as NumPy's `@` does.
 */
export type Rows = number[][];

export function zeros(rows: number, cols: number): Rows {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function transpose(a: Rows): Rows {
  const out = zeros(a[0].length, a.length);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a[0].length; j++) out[j][i] = a[i][j];
  return out;
}

/** True when a·b is defined: a's columns equal b's rows. */
export function aligns(a: Rows, b: Rows): boolean {
  return a[0].length === b.length;
}

export function sameShape(a: Rows, b: Rows): boolean {
  return a.length === b.length && a[0].length === b[0].length;
}

export function matmul(a: Rows, b: Rows): Rows {
  if (!aligns(a, b)) throw new Error(`matmul: shapes ${a.length}×${a[0].length} and ${b.length}×${b[0].length} do not align`);
  const out = zeros(a.length, b[0].length);
  for (let i = 0; i < a.length; i++) {
    for (let p = 0; p < b.length; p++) {
      for (let j = 0; j < b[0].length; j++) out[i][j] += a[i][p] * b[p][j];
    }
  }
  return out;
}

export function copyRows(a: Rows): Rows {
  return a.map((row) => row.slice());
}
