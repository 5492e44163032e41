/**
 * `gradcheck check <cmd…>` for a worker with the `functions` capability: checks every named function
 * it exposes (or the one named by `--function`) with the property runner, its VJP and, where the worker
 * offers one, its JVP, on input cases drawn within the function's declared shapes. Prints one line per
 * check and, for a failure, the shrunk counterexample's report with the command that replays it.
 */
import type { Handshake, FunctionSpec } from '../adapters/subprocess/schemas.js';
import type { WorkerImplementation } from '../adapters/subprocess/spawn-worker.js';
import { checkWorkerFunction } from '../adapters/subprocess/check-worker-function.js';
import { runFunctionProperty, type FunctionPropertyResult } from '../runner/function-property.js';
import type { FunctionSignature } from '../arbitraries/function-inputs.js';
import { EXIT_GRADIENTS_WRONG, EXIT_INCONCLUSIVE, EXIT_PASS, EXIT_USAGE } from './exit-codes.js';
import { shellQuote } from './replay-command.js';
import { CheckInterrupted } from '../check/functions/drive.js';
import type { BatchedProgress } from '../check/functions/vjp-in-blocks.js';
import { EXIT_SIGNAL, type Signal } from './interrupt.js';
import { costNotice } from './function-cost.js';
import { FUNCTION_CHECK_FORMAT, documentHeader } from './json-format.js';
import { jsonReplacer, STDOUT, writeJsonNow } from './json-output.js';
import { hostname } from 'node:os';
import { CHECK_RESULT_FORMAT } from './json-format.js';
import { lineNaming, runTiming, workerFile, writeReportsOrExit, type CheckDocument, type ReporterSpec } from './reporters/index.js';
import { writeHtml } from './html-output.js';
import { functionChecksHtml, type FunctionCheckView } from '../html/function-view.js';
import { escapeHtml } from '../html/escape.js';

/** The options of `gradcheck check` the function flow reads. */
export interface FunctionCheckFlags {
  readonly function?: string;
  readonly runs?: number;
  readonly seed?: number;
  readonly path?: string;
  readonly rtol: number;
  readonly atol?: number;
  readonly strategy: 'full' | 'directions' | 'fast';
  readonly json?: string;
  readonly jsonCases?: string;
  readonly html?: string;
  readonly reporter?: readonly ReporterSpec[];
  /** Aborted on SIGINT/SIGTERM (cli/interrupt.ts): the running check stops between two batches. */
  readonly signal?: AbortSignal;
}

/** The command that replays one function's failing check. */
function functionReplay(name: string, result: FunctionPropertyResult, command: readonly string[]): string {
  return ['gradcheck', 'check', '--function', name, '--seed', String(result.seed), ...(result.path ? ['--path', result.path] : []), '--', ...command].map(shellQuote).join(' ');
}

/** Whether `gradcheck check` takes the function flow: a worker of functions only, or `--function` given to one that has them. */
export function usesFunctions(handshake: Handshake, flags: { readonly function?: string }): boolean {
  const functions = handshake.capabilities.includes('functions');
  return functions && (flags.function !== undefined || !handshake.capabilities.includes('gradients'));
}

/** The arbitraries' signature of a worker's function spec. */
export function signatureOf(spec: FunctionSpec): FunctionSignature {
  return { inputs: spec.inputs, ...(spec.dims && { dims: spec.dims }), ...(spec.kinks && { kinks: spec.kinks }) };
}

/** Runs the checks; returns the exit code (0 pass, 1 a rule is wrong, 2 usage or worker error, 3 nothing settled). */
export async function runFunctionChecks(worker: WorkerImplementation, command: readonly string[], flags: FunctionCheckFlags, write: (text: string) => void, writeError: (text: string) => void): Promise<number> {
  const specs = worker.handshake.functions ?? [];
  if (specs.length === 0) {
    writeError(`gradcheck: the worker ${worker.name} has the "functions" capability but its handshake lists no functions; expected "functions": [{ "name", "inputs", … }] (docs/protocol.md)\n`);
    return EXIT_USAGE;
  }
  const chosen = flags.function === undefined ? specs : specs.filter((s) => s.name === flags.function);
  if (chosen.length === 0) {
    writeError(`gradcheck: --function ${flags.function}: the worker ${worker.name} has no such function; it has ${specs.map((s) => s.name).join(', ')}\n`);
    return EXIT_USAGE;
  }
  if (flags.jsonCases !== undefined) writeError('gradcheck: --json-cases gets no cases from a worker of functions (yet), only its header line; --json holds every check\n');
  const started = new Date();
  const checkOptions = { rtol: flags.rtol, strategy: flags.strategy, ...(flags.atol !== undefined && { atol: flags.atol }) };
  write(`gradcheck check: ${worker.name} (\`${command.map(shellQuote).join(' ')}\`), ${chosen.length} function${chosen.length === 1 ? '' : 's'}: ${chosen.map((s) => s.name).join(', ')}\n`);
  const results: CheckDone[] = [];
  const finish = (exitCode: number, verdict: string, error?: { name: string; message: string }) => writeOutputs(worker, command, flags, results, exitCode, verdict, started, error) ?? exitCode;
  for (const spec of chosen) {
    for (const rule of spec.jvp ? (['vjp', 'jvp'] as const) : (['vjp'] as const)) {
      const notice = costNotice(spec, rule, flags.runs ?? 50, flags.strategy);
      if (notice !== undefined) writeError(notice);
      let result: FunctionPropertyResult;
      const running = { cases: 0, progress: { evaluations: 0 } as BatchedProgress };
      try {
        result = await runFunctionProperty(
          {
            name: `${spec.name} ${rule}`,
            signature: signatureOf(spec),
            check: (c, options) => {
              running.cases++;
              running.progress = { evaluations: 0 };
              return checkWorkerFunction(worker, { function: spec.name, inputs: c.inputs, wrt: c.wrt }, rule, { ...options, seed: c.seed }, flags.signal, running.progress);
            },
          },
          { ...checkOptions, runs: flags.runs, seed: flags.seed, path: flags.path },
        );
      } catch (error) {
        if (error instanceof CheckInterrupted || flags.signal?.aborted) {
          const signal = (flags.signal?.reason ?? 'SIGINT') as Signal;
          const text = interruptedReport(spec.name, rule, running, results.length, results.filter((r) => r.result.verdict === 'pass').length);
          write(`\n${text}\n`);
          return finish(EXIT_SIGNAL[signal] ?? EXIT_SIGNAL.SIGINT, 'interrupted', { name: 'Interrupted', message: text });
        }
        const message = `gradcheck: ${spec.name} ${rule}: ${error instanceof Error ? error.message : String(error)}`;
        writeError(`${message}\n`);
        return finish(EXIT_USAGE, 'error', { name: error instanceof Error ? error.name : 'Error', message });
      }
      if (result.verdict !== 'fail') {
        const inconclusive = result.inconclusiveCase;
        const replay = inconclusive && ['gradcheck', 'check', '--function', spec.name, '--seed', String(result.seed), '--path', inconclusive.path, '--', ...command].map(shellQuote).join(' ');
        const printed = replay ? `${result.message.replace(/\nreplay: .*$/s, '')}\nreplay: ${replay}` : result.message;
        results.push({ spec, rule, result, printed, ...(replay && { replay }) });
        write(`${printed}\n`);
        continue;
      }
      const replay = functionReplay(spec.name, result, command);
      const printed = `${result.message.replace(/\nreplay: .*$/s, '')}\nreplay: ${replay}`;
      results.push({ spec, rule, result, printed, replay });
      write(`\n${printed}\n\n`);
    }
  }
  const failed = results.filter((r) => r.result.verdict === 'fail');
  const passed = results.filter((r) => r.result.verdict === 'pass');
  const verdict = failed.length > 0 ? 'FAIL' : passed.length > 0 ? 'PASS' : 'INCONCLUSIVE';
  const last = `${verdict}: ${passed.length} of ${results.length} checks passed${failed.length > 0 ? `; wrong: ${failed.map((r) => `${r.spec.name} ${r.rule}`).join(', ')}` : ''}`;
  write(`\n${last}\n`);
  const exitCode = failed.length > 0 ? EXIT_GRADIENTS_WRONG : passed.length > 0 ? EXIT_PASS : EXIT_INCONCLUSIVE;
  const json = flags.json === undefined ? undefined : writeJsonNow(flags.json, JSON.stringify(functionsDocument(worker, command, results, verdict.toLowerCase(), exitCode), jsonReplacer, 2));
  const outputs = finish(exitCode, verdict.toLowerCase());
  return json ?? outputs;
}

/** A check that ran to its verdict: its text as printed, and the CLI command that replays it (failing or inconclusive). */
interface CheckDone {
  readonly spec: FunctionSpec;
  readonly rule: 'vjp' | 'jvp';
  readonly result: FunctionPropertyResult;
  readonly printed: string;
  readonly replay?: string;
}

/** `--json`'s document (format gradcheck-functions/1); `message` is the text as printed, with the CLI's replay line. */
function functionsDocument(worker: WorkerImplementation, command: readonly string[], results: readonly CheckDone[], verdict: string, exitCode: number) {
  const checks = results.map(({ spec, rule, result, printed }) => ({
    function: spec.name,
    rule,
    verdict: result.verdict,
    runs: result.runs,
    inconclusive: result.inconclusive,
    seed: result.seed,
    path: result.path ?? null,
    replay: result.verdict === 'fail' ? functionReplay(spec.name, result, command) : null,
    counterexample: result.counterexample ?? null,
    message: printed,
  }));
  return { ...documentHeader(FUNCTION_CHECK_FORMAT), verdict, exitCode, worker: { name: worker.name, command: [...command] }, checks };
}

/**
 * `--reporter` and `--html` of a function worker's run, once it ends (completed, interrupted or
 * stopped by an error): one test per check (`conv1d vjp`), annotated on the worker's script at the
 * line that names the function. Returns the usage exit code when a report could not be written.
 */
function writeOutputs(worker: WorkerImplementation, command: readonly string[], flags: FunctionCheckFlags, results: readonly CheckDone[], exitCode: number, verdict: string, started: Date, error?: { name: string; message: string }): number | undefined {
  let code: number | undefined;
  const file = workerFile(command);
  const message = [...results.map((r) => r.printed), ...(error ? [error.message] : [])].join('\n\n');
  if (flags.reporter?.length) {
    const doc = {
      ...documentHeader(CHECK_RESULT_FORMAT),
      verdict,
      exitCode,
      worker: { name: worker.name, command: [...command] },
      runs: results.length,
      interrupted: verdict === 'interrupted' ? (flags.signal?.reason ?? 'SIGINT') : null,
      cases: results.map((r, i) => ({
        run: i + 1,
        case: { id: i + 1, seed: r.result.seed },
        verdict: r.result.verdict,
        name: `${r.spec.name} ${r.rule}`,
        ...(file !== undefined && { file, line: lineNaming(file, r.spec.name) }),
        report: { label: r.result.counterexample?.case.description ?? `${r.result.runs} random cases`, failures: [] },
        message: r.printed,
      })),
      counterexample: null,
      error: verdict === 'interrupted' ? null : (error ?? null),
      perCheck: true,
      message,
      timing: runTiming(started, hostname()),
    } as unknown as CheckDocument;
    code = writeReportsOrExit(flags.reporter, doc, flags.json === STDOUT ? process.stderr : process.stdout);
  }
  if (flags.html !== undefined) {
    const checks: FunctionCheckView[] = results.map((r) => {
      const shown = r.result.counterexample
        ? { what: 'counterexample (shrunk)' as const, description: r.result.counterexample.case.description, report: r.result.counterexample.report }
        : r.result.inconclusiveCase && { what: 'first inconclusive case' as const, description: r.result.inconclusiveCase.case.description, report: r.result.inconclusiveCase.report };
      return { name: `${r.spec.name} ${r.rule}`, verdict: r.result.verdict, runs: r.result.runs, seed: r.result.seed, message: r.printed, ...(r.replay !== undefined && { replay: r.replay }), ...(shown && { shown }) };
    });
    const facts: [string, string | undefined][] = [['worker', `<code>${escapeHtml(command.map(shellQuote).join(' '))}</code>`], ['error', error === undefined ? undefined : escapeHtml(error.message)]];
    const htmlCode = writeHtml(flags.html, () => functionChecksHtml(`gradcheck check: ${worker.name}`, verdict, facts, checks));
    code ??= htmlCode;
  }
  return code;
}

/** What an interrupted run had checked: the cases before it and how far the running case got. */
function interruptedReport(name: string, rule: string, running: { cases: number; progress: BatchedProgress }, checksDone: number, checksPassed: number): string {
  const p = running.progress.progress;
  const within = p === undefined
    ? 'before its first entry'
    : `after ${p.entriesDone} of ${p.total} input entries (${p.stageSettled} settled by the column stage, ${p.refined} refined by the estimator)`;
  return [
    `INTERRUPTED: ${name} ${rule}: case ${running.cases} stopped ${within}, ${running.progress.evaluations} calls of ${name} in it`,
    `checks finished before it: ${checksDone} (${checksPassed} passed); nothing after it was checked`,
  ].join('\n');
}
