/**
 * Splits a batch of cases into request messages of reasonable size: at most `maxCases` cases and,
 * past the first case, at most `maxChars` characters.
 */
import type { GradientCase } from '../implementation.js';
import { encodeLine } from './protocol.js';

export interface Chunk {
  /** Index of the chunk's first case in the batch. */
  readonly start: number;
  readonly cases: readonly GradientCase[];
  readonly encoded: readonly string[];
}

export function chunkCases(cases: readonly GradientCase[], maxCases: number, maxChars: number): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let encoded: string[] = [];
  let size = 0;
  cases.forEach((c, k) => {
    const line = encodeLine(c);
    if (encoded.length > 0 && (encoded.length >= maxCases || size + line.length > maxChars)) {
      chunks.push({ start, cases: cases.slice(start, k), encoded });
      start = k;
      encoded = [];
      size = 0;
    }
    encoded.push(line);
    size += line.length + 1;
  });
  if (encoded.length > 0) chunks.push({ start, cases: cases.slice(start), encoded });
  return chunks;
}

/** `cases 5–8`, `case 5`, or `cases 5, 9, 12, …` for a message. */
export function describeCaseIds(cases: readonly GradientCase[]): string {
  const ids = cases.map((c) => c.id);
  if (ids.length === 1) return `case ${ids[0]}`;
  const contiguous = ids.every((id, k) => k === 0 || id === ids[k - 1] + 1);
  if (contiguous) return `cases ${ids[0]}–${ids[ids.length - 1]}`;
  return `cases ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? `, … (${ids.length})` : ''}`;
}
