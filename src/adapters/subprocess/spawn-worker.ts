/**
 * `spawnWorker(command, options)`: starts a worker speaking protocol 1 (docs/protocol.md) and returns
 * it as an `Implementation`. Batches are chunked into request messages; every case gets its result or
 * an error naming the worker, the case and its seed, and results received before a fault are kept.
 */
import { GradcheckError } from '../../errors.js';
import { caseLabel } from '../call-implementation.js';
import { resolveConventions, type Conventions } from '../conventions.js';
import type { GradientCase, GradientResult, Implementation } from '../implementation.js';
import { chunkCases, describeCaseIds } from './chunk-cases.js';
import { readResult, type Op } from './read-result.js';
import { SentAhead } from './sent-ahead.js';
import type { Handshake, Response } from './schemas.js';
import { WorkerConnection } from './worker-connection.js';
import { BatchFault, WorkerFault } from './worker-fault.js';
import { functionCalls, type FunctionCallCase, type FunctionOp } from './function-calls.js';
import type { Tensor } from '../../check/functions/tensor.js';
import { resolveWorkerOptions, validateCommand, type WorkerOptions } from './worker-options.js';

/**
 * An implementation running in a worker process that speaks gradcheck's line-delimited JSON protocol
 * (docs/protocol.md). Close it when done.
 */
export interface WorkerImplementation extends Implementation {
  readonly conventions: Conventions;
  /** The worker's handshake: its name, protocol version, conventions and supports. */
  readonly handshake: Handshake;
  /** The worker's process id. */
  readonly pid: number;
  /** The command it was started with. */
  readonly command: readonly string[];
  /** Gradients for several cases in one round trip; an entry is an Error for a case the worker failed. */
  gradientsMany(cases: readonly GradientCase[]): Promise<(GradientResult | Error)[]>;
  /**
   * Sends the gradient requests of `cases` now, in batches, and keeps the answers: a later
   * `gradients`/`gradientsMany` of exactly these cases, in this order, is answered from them
   * (sent-ahead.ts). Any other request drops what is kept and goes to the worker as usual.
   */
  lookAhead(cases: readonly GradientCase[]): void;
  /**
   * For a worker with the `functions` capability: answers `evaluate`, `vjp` or `jvp` cases of its named
   * functions (function-calls.ts), an entry an Error for a case it could not answer.
   */
  functionCalls(op: FunctionOp, cases: readonly FunctionCallCase[]): Promise<(Record<string, Tensor> | Error)[]>;
  /** Shuts the worker down (and kills it if it does not exit within closeTimeoutMs). Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a worker (any language) and waits for its handshake. The command is an argument array, never a
 * shell string. A worker that hangs, crashes, forks or prints garbage gets an error naming the fault.
 *
 * @param command - the program and its arguments, e.g. `['python3', 'my_worker.py']`.
 * @param options - timeouts, a name, the environment (`WorkerOptions`; defaults `DEFAULT_WORKER_OPTIONS`).
 * @example
 * ```ts
 * const worker = await spawnWorker(['python3', 'my_worker.py']);
 * try { await assertGradients(worker, { runs: 100 }); } finally { await worker.close(); }
 * ```
 */
export async function spawnWorker(command: readonly string[], options: WorkerOptions = {}): Promise<WorkerImplementation> {
  validateCommand(command);
  const settings = resolveWorkerOptions(options);
  let started: Awaited<ReturnType<typeof WorkerConnection.start>>;
  try {
    started = await WorkerConnection.start(command, settings);
  } catch (error) {
    throw error instanceof WorkerFault ? new GradcheckError('spawnWorker', error.message) : error;
  }
  const { connection, handshake } = started;
  const name = settings.name ?? handshake.name;
  let conventions: Conventions;
  try {
    conventions = resolveConventions(handshake.conventions, `worker ${name}: handshake conventions`);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const maxCases = Math.min(settings.maxCasesPerMessage, handshake.maxCases ?? Infinity);
  const label = (c: GradientCase) => caseLabel({ name } as Implementation, c);

  const ahead = new SentAhead();

  /** One answer per case: its result, or an error naming it; answers received before a fault are kept. */
  async function exchange(op: Op, cases: readonly GradientCase[]): Promise<(GradientResult | number | Error)[]> {
    if (op === 'gradients') {
      const sent = ahead.take(cases);
      if (sent) return sent;
    } else ahead.clear(); // the worker is asked something else: the requests sent ahead are not the next ones
    return send(op, cases);
  }

  async function send(op: Op, cases: readonly GradientCase[]): Promise<(GradientResult | number | Error)[]> {
    const out: (GradientResult | number | Error)[] = [];
    for (const chunk of chunkCases(cases, maxCases, settings.maxMessageChars)) {
      const labels = chunk.cases.map(label);
      try {
        const response = await connection.request(op, chunk.encoded, describeCaseIds(chunk.cases));
        out.push(...answers(op, response, chunk.cases, labels));
      } catch (error) {
        if (!(error instanceof WorkerFault)) throw error;
        const n = chunk.cases.length;
        out.push(...labels.map((l) => (n > 1 ? new BatchFault(l, error.message, n) : new GradcheckError(l, error.message))));
      }
    }
    return out;
  }

  /** The single-case forms throw instead, like any in-process implementation. */
  async function one<T>(op: Op, c: GradientCase): Promise<T> {
    const [r] = await exchange(op, [c]);
    if (r instanceof GradcheckError) throw r;
    if (r instanceof Error) throw new GradcheckError(label(c), `${op} failed: ${r.message}`);
    return r as T;
  }

  const loss = handshake.capabilities.includes('loss')
    ? {
        loss: (c: GradientCase) => one<number>('loss', c),
        lossMany: (cases: readonly GradientCase[]) => exchange('loss', cases) as Promise<(number | Error)[]>,
      }
    : {};
  return {
    name,
    conventions,
    handshake,
    pid: connection.pid!,
    command: [...command],
    gradients: (c) => one<GradientResult>('gradients', c),
    gradientsMany: (cases) => exchange('gradients', cases) as Promise<(GradientResult | Error)[]>,
    lookAhead: (cases) => ahead.add(cases, send('gradients', cases) as Promise<(GradientResult | Error)[]>),
    ...loss,
    functionCalls: (op, cases) => {
      ahead.clear();
      return functionCalls(connection, name, maxCases, op, cases);
    },
    close: () => connection.close(),
  };
}

function answers(op: Op, response: Response & { readonly requestId: number }, cases: readonly GradientCase[], labels: readonly string[]): (GradientResult | number | Error)[] {
  const request = response.requestId;
  if (response.error !== undefined) {
    return labels.map((l) => new GradcheckError(l, `the worker could not answer request ${request} (${op}): ${response.error}`));
  }
  const results = response.results!;
  if (results.length !== cases.length) {
    const problem = `the response to request ${request} has ${results.length} results for ${cases.length} cases; expected one result per case, in order`;
    return labels.map((l) => new GradcheckError(l, problem));
  }
  return cases.map((c, k) => readResult(op, results[k], c, labels[k], request));
}
