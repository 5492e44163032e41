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
  const r = parse(gradientResultSchema, raw, where, subject);
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
