/**
 * Why a worker can no longer answer, worded for people: every text names the worker's command and
 * says what was found and what was expected; the line that broke the protocol is quoted, cut short.
 */
import type { z } from 'zod';
import { formatIssues } from './format-issue.js';
import { hasBareNonFinite } from './protocol.js';
import { GradcheckError } from '../../errors.js';

/** A fault that stops the worker; the message is a sentence about the worker. */
export class WorkerFault extends Error {
  override readonly name = 'WorkerFault';
}

/**
 * A fault met while the worker held several cases of one request (cases sent ahead, or one per row):
 * which of them made it stop is not known. The CLI repeats such a run one case at a time.
 */
export class BatchFault extends GradcheckError {
  constructor(where: string, problem: string, readonly cases: number) {
    super(where, problem);
  }
}

const QUOTE_CHARS = 120;

export function parseOrFault<T>(schema: z.ZodType<T>, message: unknown, subject: string): T {
  const parsed = schema.safeParse(message, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new WorkerFault(`${subject}: ${formatIssues(parsed.error.issues, subject)}; the worker was stopped`);
}

export function quote(line: string): string {
  return line.length > QUOTE_CHARS ? `${JSON.stringify(line.slice(0, QUOTE_CHARS))}… (${line.length} characters)` : JSON.stringify(line);
}

export function notJson(line: string, n: number, label: string): string {
  const bare = hasBareNonFinite(line)
    ? ' — it has a bare NaN or Infinity, which JSON does not allow: send the strings "NaN", "Infinity", "-Infinity" (Python: json.dumps(..., allow_nan=False) after converting, as examples/python/gradcheck_worker.py does)'
    : ' — stdout carries protocol messages only: print diagnostics to stderr';
  return `stdout line ${n} of the worker \`${label}\` is not JSON: ${quote(line)}${bare}; the worker was stopped`;
}
