/**
 * Runs the `gradcheck` CLI in process (main(), stdout and stderr captured) or as a real process, for
 * the `check` tests. Workers run with the machine's python3 that has NumPy (test/workers/processes.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { PYTHON, ROOT } from '../workers/processes.js';

export { PYTHON, ROOT };

/** `--json FILE --json-cases FILE.ndjson`: the document and the stream of every case. */
export const jsonArgs = (file: string) => ['--json', file, '--json-cases', `${file}.ndjson`];

/** The cases of a --json-cases stream (its first line is the header). */
export function readCases(file: string): any[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l) as unknown);
}

/** The --json document of `jsonArgs(file)`, with its stream's cases as `cases`. */
export function readResult(file: string): any {
  return { ...(JSON.parse(readFileSync(file, 'utf8')) as object), cases: readCases(`${file}.ndjson`) };
}
export const mlpWorker = [PYTHON, 'examples/python/numpy_mlp.py'];
export const buggyWorker = [PYTHON, 'examples/python/numpy_buggy.py'];
export const faultWorker = (mode: string) => [PYTHON, 'test/workers/fault_worker.py', mode];

/** The environment variables the property runner reads; tests fix runs and seeds with options instead. */
export const RUNNER_ENV = ['GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE', 'GRADCHECK_SEED', 'GRADCHECK_PATH', 'GRADCHECK_PRELUDE', 'CI'] as const;

export function clearRunnerEnv(): void {
  for (const name of RUNNER_ENV) vi.stubEnv(name, '');
}

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => (into.push(String(chunk)), true);
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  try {
    const code = await main([...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** `gradcheck …` as its own process (node + tsx), for exit codes and signals as a shell sees them. */
export function spawnCli(args: readonly string[]) {
  const env = { ...process.env };
  for (const name of RUNNER_ENV) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  // 'close': the process has exited and its output is complete.
  const exited = once(child, 'close').then(([code]) => ({ code: code as number | null, out, err }));
  return { child, exited, output: () => ({ out, err }) };
}

/** The value of a `label: value` line of the output. */
export function lineOf(text: string, label: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(`${label}: `))?.slice(label.length + 2);
}
