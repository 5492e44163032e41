/**
 * Reads one case's entry of a response: the worker's error for that case, or a result checked
 * against its schema. Problems become errors naming the worker, the case, its seed and the field;
 * values (NaN, wrong shapes) are judged later by `claimedFromResult` and `lossesOf`, like any result.
 */
import { GradcheckError } from '../../errors.js';
import type { GradientCase, GradientResult } from '../implementation.js';
import { formatIssues } from './format-issue.js';
import { UnsupportedCase } from '../../runner/unsupported-case.js';
import { caseErrorSchema, caseUnsupportedSchema, gradientResultSchema, lossResultSchema } from './schemas.js';
import type { z } from 'zod';


export type Op = 'gradients' | 'loss';

export function readResult(op: 'gradients', raw: unknown, c: GradientCase, where: string, request: number): GradientResult | Error;
export function readResult(op: 'loss', raw: unknown, c: GradientCase, where: string, request: number): number | Error;
export function readResult(op: Op, raw: unknown, c: GradientCase, where: string, request: number): GradientResult | number | Error;
export function readResult(op: Op, raw: unknown, c: GradientCase, where: string, request: number): GradientResult | number | Error {
  const subject = `the result for case ${c.id} in the response to request ${request}`;
  if (raw !== null && typeof raw === 'object' && 'unsupported' in raw) {
    const declined = parse(caseUnsupportedSchema, raw, where, subject);
    if (declined instanceof Error) return declined;
    return mismatch(declined.case, c, where, request) ?? new UnsupportedCase(where, declined.unsupported);
  }
  if (raw !== null && typeof raw === 'object' && 'error' in raw) {
    const reported = parse(caseErrorSchema, raw, where, subject);
    if (reported instanceof Error) return reported;
    return mismatch(reported.case, c, where, request) ?? new Error(`the worker reported: ${reported.error}`);
  }
  if (op === 'loss') {
    const r = parse(lossResultSchema, raw, where, subject);
    if (r instanceof Error) return r;
    return mismatch(r.case, c, where, request) ?? r.loss;
  }
  // Most answers are finite numbers only: checked by hand (plainGradientResult), they are what the schema
  // would return; anything else (tokens, a missing field, a wrong type) goes through the schema and its messages.
  const r = plainGradientResult(raw) ?? parse(gradientResultSchema, raw, where, subject);
  if (r instanceof Error) return r;
  const result: GradientResult = {
    parameters: r.parameters.map((p) => (p.b === undefined || p.b === null ? { W: p.W } : { W: p.W, b: p.b })),
    ...(r.inputs === undefined || r.inputs === null ? {} : { inputs: r.inputs }),
    ...(r.loss === undefined || r.loss === null ? {} : { loss: r.loss }),
  };
  return mismatch(r.case, c, where, request) ?? result;
}

function parse<T>(schema: z.ZodType<T>, raw: unknown, where: string, subject: string): T | GradcheckError {
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  return new GradcheckError(where, formatIssues(parsed.error.issues, subject));
}

function mismatch(id: number | undefined, c: GradientCase, where: string, request: number): GradcheckError | undefined {
  if (id === undefined || id === c.id) return undefined;
  return new GradcheckError(where, `the response to request ${request} has the result for case ${id} where case ${c.id} was expected; results come in the order of the request's cases`);
}

type WireGradientResult = z.infer<typeof gradientResultSchema>;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isRow = (x: unknown): x is number[] => Array.isArray(x) && x.every(finite);
const isMatrix = (x: unknown): x is number[][] => Array.isArray(x) && x.every(isRow);
const absent = (x: unknown): x is null | undefined => x === undefined || x === null;

/**
 * The result as `gradientResultSchema` reads it, when every number in it is a finite JSON number (no
 * "NaN"/"Infinity" tokens to decode, nothing to report); else undefined, for the schema to read. zod
 * per value (a union of number and token for each entry) was most of the cost of reading an answer.
 */
export function plainGradientResult(raw: unknown): WireGradientResult | undefined {
  if (!isRecord(raw) || !Array.isArray(raw.parameters)) return undefined;
  if (!(raw.case === undefined || (finite(raw.case) && Number.isInteger(raw.case)))) return undefined;
  const parameters = raw.parameters as unknown[];
  const ok = parameters.every((p) => isRecord(p) && isMatrix(p.W) && (absent(p.b) || isRow(p.b)));
  if (!ok || !(absent(raw.inputs) || isMatrix(raw.inputs)) || !(absent(raw.loss) || finite(raw.loss))) return undefined;
  return raw as WireGradientResult;
}
