/**
 * Patterns of entries within a tensor, each defined relative to the tensor's shape or values so it
 * carries over to a probe case of another size: a row or column at either end, all rows but one end,
 * every other row or column, one corner entry, the entries of one sign, the entries past a magnitude.
 * A W's rows are its input features and its columns its units (the engine's inputs × outputs layout);
 * a b has one row; dL/dx's rows are the samples and its columns the input features.
 */
import type { ParameterTensor } from '../../engine/layout.js';

/** A pattern of entries: `select` gives a 0/1 mask over the tensor's row-major entries, or undefined when it does not apply (or cannot be decided). */
export interface EntryMask {
  readonly key: string;
  describe(t: ParameterTensor): string;
  select(t: ParameterTensor, correct: Float64Array): Uint8Array | undefined;
  /** Constants fitted on the counterexample (a threshold). */
  readonly parameters?: Readonly<Record<string, number>>;
}

const rowWord = (t: ParameterTensor): string => (t.kind === 'x' ? 'sample' : 'input feature');
const colWord = (t: ParameterTensor): string => (t.kind === 'x' ? 'input feature' : 'unit');

function byPosition(key: string, words: (t: ParameterTensor) => string, pick: (r: number, c: number, rows: number, cols: number) => boolean, applies: (t: ParameterTensor) => boolean): EntryMask {
  return {
    key,
    describe: words,
    select(t) {
      if (!applies(t)) return undefined;
      const m = new Uint8Array(t.rows * t.cols);
      for (let r = 0; r < t.rows; r++) for (let c = 0; c < t.cols; c++) m[r * t.cols + c] = pick(r, c, t.rows, t.cols) ? 1 : 0;
      return m;
    },
  };
}

// A first or last row applies to one row too: on the counterexample it is the whole tensor, on a wider probe it is not.
const anyRows = () => true;
const manyRows = (t: ParameterTensor) => t.rows > 1;
const manyCols = (t: ParameterTensor) => t.cols > 1;

/** The position patterns, fixed; the magnitude patterns are fitted per counterexample (`thresholdMasks`). */
export const POSITION_MASKS: readonly EntryMask[] = [
  byPosition('all', () => 'every entry', () => true, () => true),
  byPosition('row-first', (t) => `the first ${rowWord(t)}'s row`, (r) => r === 0, anyRows),
  byPosition('row-last', (t) => `the last ${rowWord(t)}'s row`, (r, _c, rows) => r === rows - 1, anyRows),
  byPosition('rows-but-first', (t) => `every ${rowWord(t)}'s row but the first`, (r) => r > 0, manyRows),
  byPosition('rows-but-last', (t) => `every ${rowWord(t)}'s row but the last`, (r, _c, rows) => r < rows - 1, manyRows),
  byPosition('rows-even', (t) => `the even-numbered ${rowWord(t)}s' rows (0, 2, …)`, (r) => r % 2 === 0, anyRows),
  byPosition('rows-odd', (t) => `the odd-numbered ${rowWord(t)}s' rows (1, 3, …)`, (r) => r % 2 === 1, manyRows),
  byPosition('col-first', (t) => `the first ${colWord(t)}'s column`, (_r, c) => c === 0, anyRows),
  byPosition('col-last', (t) => `the last ${colWord(t)}'s column`, (_r, c, _rows, cols) => c === cols - 1, anyRows),
  byPosition('cols-but-first', (t) => `every ${colWord(t)}'s column but the first`, (_r, c) => c > 0, manyCols),
  byPosition('cols-but-last', (t) => `every ${colWord(t)}'s column but the last`, (_r, c, _rows, cols) => c < cols - 1, manyCols),
  byPosition('cols-even', (t) => `the even-numbered ${colWord(t)}s' columns (0, 2, …)`, (_r, c) => c % 2 === 0, anyRows),
  byPosition('cols-odd', (t) => `the odd-numbered ${colWord(t)}s' columns (1, 3, …)`, (_r, c) => c % 2 === 1, manyCols),
  byPosition('entry-first', () => 'the first entry [0,0] alone', (r, c) => r === 0 && c === 0, anyRows),
  byPosition('entry-last', () => 'the last entry alone', (r, c, rows, cols) => r === rows - 1 && c === cols - 1, anyRows),
];

/** The entries whose correct value has one sign (> 0, or < 0). */
export const SIGN_MASKS: readonly EntryMask[] = (['positive', 'negative'] as const).map((sign) => ({
  key: `sign-${sign}`,
  describe: () => `the entries whose correct value is ${sign === 'positive' ? '> 0' : '< 0'}`,
  select: (_t: ParameterTensor, correct: Float64Array) => Uint8Array.from(correct, (g) => ((sign === 'positive' ? g > 0 : g < 0) ? 1 : 0)),
}));

/**
 * The entries whose correct |value| exceeds a threshold: only the order of the magnitudes matters, so
 * the threshold is known up to the interval between the largest kept and the smallest masked
 * magnitude; on another case a magnitude inside it leaves the mask undecided. One mask per cut of the
 * counterexample's magnitudes that contains every wrong entry (`wrong` gives them).
 */
export function thresholdMasks(correct: Float64Array, wrong: Uint8Array): EntryMask[] {
  const magnitudes = [...new Set(Array.from(correct, Math.abs))].sort((a, b) => a - b);
  let smallestWrong = Infinity;
  correct.forEach((g, q) => {
    if (wrong[q]) smallestWrong = Math.min(smallestWrong, Math.abs(g));
  });
  const at = magnitudes.indexOf(smallestWrong);
  if (at <= 0) return [];
  const low = magnitudes[at - 1];
  const high = smallestWrong;
  return [
    {
      key: 'beyond-threshold',
      parameters: { low, high },
      describe: () => `the entries whose correct |value| is ≥ ${high.toPrecision(3)} (the threshold lies between ${low.toPrecision(3)} and ${high.toPrecision(3)})`,
      select(_t, g) {
        if (g.some((v) => Math.abs(v) > low && Math.abs(v) < high)) return undefined;
        return Uint8Array.from(g, (v) => (Math.abs(v) >= high ? 1 : 0));
      },
    },
  ];
}

/** Entries in the mask. */
export function maskCount(m: Uint8Array): number {
  let n = 0;
  for (const v of m) n += v;
  return n;
}
