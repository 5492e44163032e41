/**
 * The `functions` capability's requests (docs/protocol.md): `evaluate`, `vjp` and `jvp` cases of a
 * worker's named functions, sent in batches of at most `maxCases`, each answer read against its schema
 * into named tensors, or an Error naming the worker, the function, the case and the field.
 */
import { GradcheckError } from '../../errors.js';
import type { NamedTensors, Tensor } from '../../check/functions/tensor.js';
import { encodeLine } from './protocol.js';
import { caseErrorSchema, evaluateResultSchema, jvpResultSchema, vjpResultSchema } from './schemas.js';
import { formatIssues } from './format-issue.js';
import { WorkerFault } from './worker-fault.js';
import type { WorkerConnection } from './worker-connection.js';

/** A request of the `functions` capability. */
export type FunctionOp = 'evaluate' | 'vjp' | 'jvp';

/** One case: which function, its inputs, and the cotangent (`vjp`) or tangent (`jvp`). */
export interface FunctionCallCase {
  readonly function: string;
  readonly inputs: NamedTensors;
  readonly cotangent?: NamedTensors;
  readonly tangent?: NamedTensors;
}

const SCHEMAS = { evaluate: [evaluateResultSchema, 'outputs'], vjp: [vjpResultSchema, 'vjp'], jvp: [jvpResultSchema, 'jvp'] } as const;

let nextCaseId = 1;

/** Sends the cases in batches and reads one answer per case. */
export async function functionCalls(connection: WorkerConnection, worker: string, maxCases: number, op: FunctionOp, cases: readonly FunctionCallCase[]): Promise<(Record<string, Tensor> | Error)[]> {
  const out: (Record<string, Tensor> | Error)[] = [];
  for (let start = 0; start < cases.length; start += maxCases) {
    const chunk = cases.slice(start, start + maxCases);
    const ids = chunk.map(() => nextCaseId++);
    const encoded = chunk.map((c, k) => encodeLine({ id: ids[k], function: c.function, inputs: wire(c.inputs), ...(c.cotangent && { cotangent: wire(c.cotangent) }), ...(c.tangent && { tangent: wire(c.tangent) }) }));
    const label = `cases ${ids[0]}–${ids[ids.length - 1]}`;
    try {
      const response = await connection.request(op, encoded, label);
      const where = (k: number) => `worker ${worker}: ${chunk[k].function}, case ${ids[k]}`;
      if (response.error !== undefined) {
        out.push(...chunk.map((_, k) => new GradcheckError(where(k), `the worker could not answer request ${response.requestId} (${op}): ${response.error}`)));
        continue;
      }
      const results = response.results!;
      if (results.length !== chunk.length) {
        out.push(...chunk.map((_, k) => new GradcheckError(where(k), `the response to request ${response.requestId} has ${results.length} results for ${chunk.length} cases; expected one result per case, in order`)));
        continue;
      }
      out.push(...results.map((raw, k) => readAnswer(op, raw, where(k), response.requestId)));
    } catch (error) {
      if (!(error instanceof WorkerFault)) throw error;
      out.push(...chunk.map((c) => new GradcheckError(`worker ${worker}: ${c.function}`, error.message)));
    }
  }
  return out;
}

function readAnswer(op: FunctionOp, raw: unknown, where: string, request: number): Record<string, Tensor> | Error {
  const subject = `the result in the response to request ${request} (${op})`;
  if (raw !== null && typeof raw === 'object' && 'error' in raw) {
    const reported = caseErrorSchema.safeParse(raw);
    return new GradcheckError(where, reported.success ? `the worker reported: ${reported.data.error}` : formatIssues(reported.error.issues, subject));
  }
  const [schema, field] = SCHEMAS[op];
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return new GradcheckError(where, formatIssues(parsed.error.issues, subject));
  const named = (parsed.data as Record<string, Record<string, { shape: number[]; data: number[] }>>)[field];
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(named)) {
    const size = t.shape.reduce((a, d) => a * d, 1);
    if (t.data.length !== size) return new GradcheckError(where, `${field}.${name} has ${t.data.length} entries but shape [${t.shape.join(', ')}] needs ${size}`);
    tensors[name] = { shape: t.shape, data: Float64Array.from(t.data) };
  }
  return tensors;
}

function wire(named: NamedTensors): Record<string, { shape: readonly number[]; data: number[] }> {
  return Object.fromEntries(Object.entries(named).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }]));
}
