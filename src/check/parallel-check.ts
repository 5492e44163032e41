/**
 * `checkNetwork` on several cores: the entry-by-entry derivatives (all entries with `screen: false`,
 * the escalated ones otherwise) are computed by worker threads, each on its own copy of the case, and
 * compared in the calling thread in index order exactly as the sequential check compares them, so the
 * report is the sequential report (same numbers, same order).
 *
 * Worth it only for checks long enough to repay starting cold workers: a sample of the entries is
 * timed first and smaller checks stay on the calling thread (`minMilliseconds`). The default full check
 * of the benchmark networks (screened) takes well under that; entry-by-entry checks of large networks
 * (`screen: false`) do not. Figures: BENCHMARKS.md, Speed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GradcheckError } from '../errors.js';
import { checkGradients } from './check-gradients.js';
import { prepareNetworkCheck, type NetworkCheckOptions } from './check-network.js';
import { resolveCheckOptions } from './check-options.js';
import { DerivativeTable, type DerivativeTableData } from './derivative-table.js';
import { differentiate, type WorkerJob } from './parallel-jobs.js';
import type { NetworkCase } from './network-objective.js';
import type { GradientReport } from './report.js';

export interface ParallelCheckOptions extends NetworkCheckOptions {
  /** Worker threads. Default: os.availableParallelism(). */
  readonly workers?: number;
  /**
   * Start workers only when the entry-by-entry part is predicted to take at least this long on the
   * calling thread (predicted from a sample of 1 in 50 entries, which is timed there). Default 2,000 ms:
   * workers start cold (each compiles and warms up its own code), which shorter checks do not repay.
   */
  readonly minMilliseconds?: number;
}

/** This module's own URL, in the ESM build, the CJS build (no import.meta there) and under tsx/vitest. */
function here(): string {
  return typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
}

/** The ESM build of tsx's `tsx/esm/api` (its `register()` installs the loader in the calling thread). */
function tsxEsmApi(from: string): string {
  const manifest = createRequire(from).resolve('tsx/package.json');
  const api = JSON.parse(readFileSync(manifest, 'utf8')).exports['./esm/api'];
  const target: string = typeof api === 'string' ? api : (api.import?.default ?? api.import ?? api.default);
  return pathToFileURL(join(dirname(manifest), target)).href;
}

function startWorker(): Worker {
  const self = here();
  if (!self.endsWith('.ts')) return new Worker(new URL('./parallel-worker.js', self));
  // From the TypeScript sources (tests, benchmarks): register tsx in the worker, then load the .ts entry
  // (Node 20 does not apply an inherited `--import tsx` to a worker's own entry module).
  const tsx = tsxEsmApi(self);
  const entry = new URL('./parallel-worker.ts', self).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

function run(worker: Worker, job: WorkerJob): Promise<DerivativeTableData | null> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: DerivativeTableData | { failed: true }) => resolve('failed' in m ? null : m));
    worker.once('error', reject);
    worker.postMessage(job);
  });
}

export async function checkNetworkParallel(c: NetworkCase, options: ParallelCheckOptions = {}): Promise<GradientReport> {
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new GradcheckError('checkNetworkParallel', `options.workers is ${workers}; expected an integer ≥ 1`);
  const minMilliseconds = options.minMilliseconds ?? 2000;
  if (!(minMilliseconds >= 0)) throw new GradcheckError('checkNetworkParallel', `options.minMilliseconds is ${minMilliseconds}; expected a number ≥ 0`);
  const prepared = prepareNetworkCheck(c, options);
  const { problem } = prepared;
  const settings = resolveCheckOptions(prepared.options, 'checkNetwork');
  const sequential = (): GradientReport => checkGradients(problem, prepared.options, 'checkNetwork');
  if (settings.mode !== 'full' || workers === 1) return sequential();
  const pending: number[] = [];
  for (let index = 0; index < problem.claimed.length; index++) if (problem.screen?.accepted[index] !== 1) pending.push(index);

  const base = {
    spec: c.network.spec,
    params: c.params,
    inputs: { rows: c.inputs.rows, cols: c.inputs.cols, data: c.inputs.data },
    targets: { rows: c.targets.rows, cols: c.targets.cols, data: c.targets.data },
    reduction: c.reduction,
    includeInputs: prepared.includeInputs,
    objective: prepared.objective,
    levels: settings.levels,
    tolerances: settings.tolerances,
  };
  // Time every 50th pending entry here (it is needed anyway) and predict the rest.
  const sample = pending.filter((_, k) => k % 50 === 0);
  const started = performance.now();
  let table: DerivativeTable;
  try {
    table = differentiate({ ...base, indices: Int32Array.from(sample) });
  } catch {
    return sequential(); // throws the sequential check's own error
  }
  const predicted = ((performance.now() - started) / Math.max(1, sample.length)) * (pending.length - sample.length);
  const rest = pending.filter((_, k) => k % 50 !== 0);
  if (predicted < minMilliseconds || rest.length < workers) return checkGradients({ ...problem, precomputed: table }, prepared.options, 'checkNetwork');

  // Blocks of 32 consecutive entries dealt round-robin: every worker gets a share of every layer.
  const shares: number[][] = Array.from({ length: workers }, () => []);
  for (let k = 0; k < rest.length; k++) shares[Math.floor(k / 32) % workers].push(rest[k]);
  const jobs: WorkerJob[] = shares.map((indices) => ({ ...base, indices: Int32Array.from(indices) }));
  const threads = jobs.map(() => startWorker());
  try {
    const results = await Promise.all(jobs.map((job, k) => run(threads[k], job)));
    // A worker that failed (a non-finite loss): the sequential check throws exactly that error.
    if (results.some((r) => r === null)) return sequential();
    for (const result of results) table.merge(result!);
    return checkGradients({ ...problem, precomputed: table }, prepared.options, 'checkNetwork');
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
