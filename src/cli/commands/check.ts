/**
 * `gradcheck check <worker command…>`: starts a worker (docs/protocol.md) with an argument array,
 * checks its gradients on random networks through the property runner, prints a per-tensor summary
 * over all cases and, on failure, the shrunk counterexample, the mismatch, hints or a diagnosis, and
 * the line that replays it. Exit 0 pass, 1 gradients wrong, 2 usage or worker error. The worker is
 * always closed: after the run, on an error, and on Ctrl-C (exit 130) or SIGTERM (exit 143). Nothing
 * checked is lost: after an error or an interrupt the run stops at once, the summary of the cases
 * checked so far is printed and --json is written.
 */
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { runGradientProperty } from '../../runner/assert-gradients.js';
import { spawnWorker, type WorkerImplementation } from '../../adapters/subprocess/spawn-worker.js';
import type { Conventions } from '../../adapters/conventions.js';
import type { Implementation } from '../../adapters/implementation.js';
import type { ImplementationReport } from '../../adapters/check-implementation.js';
import { adviceFor } from '../advice.js';
import { CaseRecorder } from '../case-recorder.js';
import { CLOSE_WAIT_MS, closeWorker } from '../close-worker.js';
import { CHECK_DEFAULTS, LAYOUTS, MODES, PRECISIONS, STRATEGIES, parseAtol, parsePath, parseRtol, parseRuns, parseSeed, parseTimeout, type CheckCommandOptions } from '../check-options.js';
import { caseJson, cliMessage, exitCodeOf, headerLines, outcomeFields, renderOutcome, type CheckOutcome } from '../check-report.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { EXIT_SIGNAL, onInterrupt, type Signal } from '../interrupt.js';
import { CaseStream, JsonOutput, STDOUT } from '../json-output.js';
import { CHECK_CASES_FORMAT, CHECK_RESULT_FORMAT, documentHeader } from '../json-format.js';
import type { CheckResultFields } from '../check-result-schema.js';
import { NotableCases } from '../notable-cases.js';
import { hostname } from 'node:os';
import { caseForReports, collectReporter, runTiming, REPORTER_FORMS, writeReportsOrExit, type CheckDocument, type ReportCase, type ReporterSpec } from '../reporters/index.js';
import { stdoutColor } from '../color.js';
import { BatchFault } from '../../adapters/subprocess/worker-fault.js';
import { startProgress } from '../progress.js';
import { preludeEnv, replayCommand, shellQuote } from '../replay-command.js';
import { intersectSupports, SUPPORT_CAPS, type Supports } from '../../arbitraries/supports.js';
import type { CaseConstraints } from '../../arbitraries/network-case.js';
import { loadConfig } from '../config-file.js';
import { layoutHint, layoutSuspect } from '../layout-hint.js';
import { addConstraintOptions, constraintFlags, flagOf, supportsOf } from '../constraint-flags.js';
import { runFunctionChecks, usesFunctions } from '../function-check.js';
import { htmlTargetWritable, writeHtml } from '../html-output.js';
import { renderHtmlReport } from '../../html/render-html-report.js';
import { createParentFolder, outputFolderWritable } from '../output-folder.js';

const EXAMPLES = `
Examples (the bundled workers are in node_modules/gradcheck/examples once installed;
\`gradcheck init python\` writes a worker to start from):
  gradcheck check python3 node_modules/gradcheck/examples/python/numpy_mlp.py
  gradcheck check python3 node_modules/gradcheck/examples/python/numpy_buggy.py --runs 200 --seed 42
  gradcheck check python3 template_worker.py --seed 42 --path 3:1:0     replay a printed counterexample
  gradcheck check --mode self -- python3 -u template_worker.py --hidden 8   worker options after --
  gradcheck check python3 node_modules/gradcheck/examples/python/functions/numpy_layers.py --function softmax
                                          a worker of named functions: its VJPs (and JVPs)
  gradcheck check python3 template_worker.py --activations sigmoid --bias on --min-width 2
                                          only cases the worker supports (also: --config FILE)

Exit codes (docs/verdicts.md): 0 no case failed (cases with entries finite differences could
not settle are counted in the last line), 1 gradients wrong, 2 usage or worker error (a worker
that cannot start, crashes, times out or answers garbage), 3 inconclusive (no case failed and none
could be settled), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM). The worker is always closed.`;

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description("check a worker's gradients on random networks (property-based) and print a per-tensor summary")
    .argument('<worker...>', 'the worker command and its arguments, run without a shell (put -- before it if it has options of its own)')
    .addOption(new Option('--runs <n>', 'random cases to check (default: GRADCHECK_RUNS, else 100; times GRADCHECK_RUNS_SCALE)').argParser(parseRuns))
    .addOption(new Option('--seed <s>', 'fast-check seed, always printed so a run can be replayed (default: GRADCHECK_SEED, else random)').argParser(parseSeed))
    .addOption(new Option('--path <p>', 'fast-check path of a counterexample to replay, with its --seed (default: GRADCHECK_PATH)').argParser(parsePath))
    .addOption(new Option('--mode <mode>', "compare with the reference engine, or with finite differences of the worker's own loss").choices(MODES).default(CHECK_DEFAULTS.mode))
    .addOption(new Option('--strategy <strategy>', 'full: every entry; directions: random directions per tensor, then failing tensors entry by entry (a single wrong entry of an n-entry tensor is diluted by about √n); fast: directions plus group probes that find any single entry wrong by more than the sensitivity').choices(STRATEGIES).default(CHECK_DEFAULTS.strategy))
    .addOption(new Option('--rtol <r>', 'relative tolerance of an entry').argParser(parseRtol).default(CHECK_DEFAULTS.rtol, '1e-6'))
    .addOption(new Option('--atol <a>', 'absolute tolerance added to every entry (default 0)').argParser(parseAtol))
    .addOption(new Option('--layout <layout>', "the worker's weight layout: in-out (W is inputs × outputs) or out-in (outputs × inputs, as in PyTorch); overrides its handshake's conventions.weightLayout").choices(LAYOUTS))
    .addOption(new Option('--precision <format>', "the worker's floating-point format, which sets the tolerances (overrides its handshake's conventions.precision)").choices(PRECISIONS))
    .addOption(new Option('--timeout <ms>', "time allowed for the worker's answer to one request, in ms").argParser(parseTimeout).default(CHECK_DEFAULTS.timeout))
    .option('--json <file>', 'also write the result as JSON to FILE (- for stdout, the text then going to stderr): summary, tally of the cases, the notable ones, counterexample, diagnosis')
    .option('--json-cases <file>', "also stream every case's full record to FILE as NDJSON, one line per case")
    .option('--html <file>', 'also write a self-contained HTML report (heat maps, error-versus-step curves, the network) to FILE')
    .option('--reporter <spec>', `also report for CI once the run is complete: ${REPORTER_FORMS} (repeatable)`, collectReporter)
    .option('--function <name>', 'a worker of named functions (the "functions" capability): check only this one (default: every function it lists)');
  workerOptionHint(command);
  addConstraintOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (worker: string[], options: CheckCommandOptions, cmd: Command) => {
      if (options.path !== undefined && options.seed === undefined && !process.env.GRADCHECK_SEED?.trim()) {
        cmd.error("error: option '--path <p>' needs --seed: a path replays only together with the seed that produced it", { exitCode: EXIT_USAGE });
      }
      process.exitCode = await runCheck(worker, options);
    });
}

/**
 * An unknown option after the worker's command is most likely the worker's own (`--hidden 8`): the
 * error then shows the command with `--` before the worker, which passes it on untouched.
 */
function workerOptionHint(command: Command): void {
  // unknownOption is commander's internal hook (not in its types), called once options are parsed.
  const hooked = command as unknown as { unknownOption(flag: string): void };
  const unknownOption = hooked.unknownOption.bind(command);
  hooked.unknownOption = (flag: string): never => {
    // commander has set args: the operands (the worker command so far), then the unknown option and what follows it.
    const at = command.args.indexOf(flag);
    const worker = at > 0 ? command.args.slice(0, at) : [];
    if (worker.length === 0) return unknownOption(flag) as never;
    const rewritten = `gradcheck check [options] -- ${command.args.map(shellQuote).join(' ')}`;
    return command.error(`error: unknown option '${flag}'\n(if ${flag} is an option of the worker, put -- before the worker command: ${rewritten})`, { code: 'commander.unknownOption', exitCode: EXIT_USAGE });
  };
}

/** What a first attempt asks of the caller: the run again, one case at a time (see `runCheck`). */
const ONE_AT_A_TIME = Symbol('one case at a time');

export async function runCheck(command: readonly string[], options: CheckCommandOptions): Promise<number> {
  const first = await runCheckOnce(command, options, false);
  // The worker stopped while it held several cases sent ahead: which one stopped it is not known. The
  // same seed on a new worker, one case at a time, sends it the same requests in the same order, so a
  // crash that follows from them comes back at its own case, with the cases before it summarised.
  return first === ONE_AT_A_TIME ? ((await runCheckOnce(command, options, true)) as number) : first;
}

async function runCheckOnce(command: readonly string[], options: CheckCommandOptions, oneAtATime: boolean): Promise<number | typeof ONE_AT_A_TIME> {
  const started = new Date();
  const commandText = command.map(shellQuote).join(' ');
  // First, so that no run that stops early (a bad --config included) leaves an older FILE behind.
  const json = openJson(options.json);
  if (json === null) return EXIT_USAGE;
  const stream = openCaseStream(options.jsonCases);
  if (stream === null) return json?.abandon(), EXIT_USAGE;
  // With `--json -` the document is stdout, and the text goes to stderr.
  const stdout = options.json === STDOUT ? process.stderr : process.stdout;
  const notable = new NotableCases(options.path);
  if (options.html !== undefined) createParentFolder(options.html);
  if (options.html !== undefined && !htmlTargetWritable(options.html)) return EXIT_USAGE;
  /** A run that never reached its first case: the message on stderr, and the document saying so. */
  const reportCases: ReportCase[] = [];
  const notRun = (message: string, exitCode: CheckResultFields['exitCode'], interrupted?: Signal): number => {
    process.stderr.write(`${message}\n`);
    const fields: CheckResultFields = { verdict: interrupted ? 'interrupted' : 'error', exitCode, interrupted: interrupted ?? null, worker: { command: [...command] }, options, runs: 0, summary: [], ...notable.fields(null), error: { name: 'Error', message }, message };
    return writeReporters(options.reporter, fields, reportCases, started, stdout) ?? writeJson(json, fields) ?? exitCode;
  };
  let user: Supports;
  try {
    // Flags override the config file, field by field.
    user = { ...(options.config !== undefined ? loadConfig(options.config) : {}), ...supportsOf(options) };
  } catch (error) {
    return notRun(`gradcheck: --config ${messageOf(error)}`, EXIT_USAGE);
  }
  const stopping = new AbortController();
  let worker: WorkerImplementation | undefined;
  const progress = startProgress();
  const removeInterrupt = onInterrupt((signal) => {
    progress.stop();
    const which = worker ? ` ${worker.name} (pid ${worker.pid})` : '';
    process.stderr.write(`\ngradcheck check: ${signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'terminated'}; closing the worker${which}\n`);
    stopping.abort(signal);
    // The pending request fails at once; the run then ends and reports what it checked.
    if (worker) void worker.close();
  }, CLOSE_WAIT_MS + 2_000);
  try {
    try {
      worker = await spawnWorker(command, { timeoutMs: options.timeout, signal: stopping.signal });
    } catch (error) {
      if (stopping.signal.aborted) {
        const signal = stopping.signal.reason as Signal;
        return notRun(`INTERRUPTED: interrupted (${signal}) while starting the worker \`${commandText}\``, EXIT_SIGNAL[signal], signal);
      }
      return notRun(`gradcheck: could not start the worker \`${commandText}\` (before any case): ${messageOf(error)}`, EXIT_USAGE);
    }
    if (stopping.signal.aborted) void worker.close();
    if (usesFunctions(worker.handshake, options)) {
      return await runFunctionChecks(worker, command, { ...options, signal: stopping.signal }, (t) => stdout.write(t), (t) => process.stderr.write(t));
    }
    if (options.function !== undefined) return notRun(`gradcheck: --function ${options.function}: the worker ${worker.name} has no "functions" capability (docs/protocol.md)`, EXIT_USAGE);
    let constraints: CaseConstraints;
    try {
      constraints = intersectSupports(
        { supports: user, name: (f) => (options[f] !== undefined || options.config === undefined ? flagOf(f) : `${options.config}: supports.${f}`) },
        { supports: withinCaps(worker.handshake.supports ?? {}), name: (f) => `the worker's supports.${f}` },
        `the cases for ${worker.name}`,
      );
    } catch (error) {
      return notRun(`gradcheck: ${messageOf(error)}`, EXIT_USAGE);
    }
    const spawned = worker;
    // --layout and --precision override the handshake's: the checked implementation is the worker with them declared.
    const overrides = { ...(options.layout && { weightLayout: options.layout }), ...(options.precision && { precision: options.precision }) };
    const impl: Implementation = Object.keys(overrides).length === 0 ? spawned : { ...spawned, conventions: { ...spawned.conventions, ...overrides } };
    const facts = { name: worker.name, command: [...command], conventions: impl.conventions as Conventions };
    if (!oneAtATime) stdout.write(`${headerLines(facts, options, commandText, constraintFlags(constraints))}\n`);
    const checkOptions = { mode: options.mode, strategy: options.strategy, rtol: options.rtol, ...(options.atol !== undefined && { atol: options.atol }) };
    let found: ImplementationReport | undefined;
    const recorder = new CaseRecorder(impl, checkOptions, (r) => {
      // The first failing random case, drawn beside the shrunk one in --html.
      if (found === undefined && r.report.verdict === 'fail') found = r.report;
      const c = caseJson(r);
      notable.add(r, () => c);
      stream?.add(c);
      // Reports need each case, and nothing else keeps them: only when a reporter asks.
      if (options.reporter?.length) reportCases.push(caseForReports(c));
    });
    const result = await runGradientProperty(recorder.implementation, {
      ...checkOptions,
      // The counterexample is diagnosed below (adviceFor); a new worker process tells a failure that
      // depends on earlier calls from a plain bug, and finds the cases its replay must check first.
      diagnose: false,
      fresh: async () => {
        const w = await spawnWorker(command, { timeoutMs: options.timeout, signal: stopping.signal });
        return Object.keys(overrides).length === 0 ? w : { ...w, conventions: { ...w.conventions, ...overrides } };
      },
      runs: options.runs,
      seed: options.seed,
      path: options.path,
      constraints,
      signal: stopping.signal,
      onReport: (r) => recorder.caseReport(r),
      ...(oneAtATime && { lookAhead: 0 }),
      onProgress: (done, total) => {
        recorder.caseDone(done);
        progress.update(done, total);
      },
    });
    progress.stop();
    if (!oneAtATime && result.error instanceof BatchFault && !stopping.signal.aborted && result.counterexample === undefined) {
      process.stderr.write(`gradcheck check: the worker stopped while it held ${result.error.cases} cases sent together; running the same seed again one case at a time on a new worker, to find the case\n`);
      json?.abandon();
      return ONE_AT_A_TIME;
    }
    // A worker that failed, or was closed by an interrupt, is asked nothing more.
    const askable = !result.error && !stopping.signal.aborted;
    // Retried only when the worker may still answer: not after an interrupt (a dead worker fails the retry at once).
    const suspect = stopping.signal.aborted ? undefined : layoutSuspect(result);
    const retry = suspect === 'loss' ? { networkCase: recorder.networkCase([result.counterexample!.report.case]), seed: result.counterexample!.report.case.seed } : suspect === 'shape-error' ? recorder.faultedCase() : undefined;
    const layout = retry && !stopping.signal.aborted ? await layoutHint(impl, retry.networkCase, retry.seed, checkOptions) : undefined;
    const outcome: CheckOutcome = {
      worker: facts,
      options,
      constraints,
      seedSource: options.seed !== undefined ? 'from --seed' : process.env.GRADCHECK_SEED?.trim() ? 'from GRADCHECK_SEED' : 'random',
      result,
      ...(await recorder.finish()),
      ...(result.counterexample ? await adviceFor(impl, result.counterexample.report, askable) : { hints: [] }),
      ...(layout !== undefined && { layoutHint: layout }),
      // A pass replays too: the same command with its seed checks the same cases again.
      replay: result.replay === undefined && result.verdict !== 'pass' ? undefined : preludeEnv(result) + replayCommand(command, options, result.seed, result.interrupted || result.verdict === 'pass' ? undefined : result.path, constraints),
    };
    const exitCode = exitCodeOf(result);
    const text = renderOutcome(outcome, stdoutColor());
    stdout.write(text.stdout);
    process.stderr.write(text.stderr);
    // Any case is replayed by its path (run − 1) with the run's seed; not when the run replayed a --path itself.
    const caseReplay = options.path === undefined ? replayCommand(command, options, result.seed, '@PATH@', constraints).replace('@PATH@', '<path>') : null;
    const fields: CheckResultFields = { ...outcomeFields(outcome, exitCode), ...notable.fields(caseReplay), casesFile: options.jsonCases ?? null };
    const html = options.html;
    const htmlCode = html === undefined ? undefined : writeHtml(html, () => renderHtmlReport({ property: { ...result, message: cliMessage(result.message, outcome), ...(result.diagnosis === undefined && outcome.diagnosis && { diagnosis: outcome.diagnosis }) } }, { title: `gradcheck check: ${worker!.name}`, ...(outcome.replay && { replay: outcome.replay }), ...(found && result.counterexample && { found }) }));
    return writeReporters(options.reporter, fields, reportCases, started, stdout) ?? writeJson(json, fields) ?? htmlCode ?? exitCode;
  } finally {
    progress.stop();
    json?.abandon(); // nothing, once the result was written
    stream?.close();
    if (worker) await closeWorker(worker);
    removeInterrupt();
  }
}

/** The --json output, undefined without --json, null (after saying why) when FILE cannot be written. */
function openJson(file: string | undefined): JsonOutput | undefined | null {
  if (file === undefined) return undefined;
  if (file === STDOUT) return new JsonOutput(file, documentHeader(CHECK_RESULT_FORMAT));
  // Found out before the run, not after it.
  createParentFolder(file);
  if (!outputFolderWritable(file)) {
    process.stderr.write(`gradcheck: --json ${file}: the directory ${dirname(resolve(file))} does not exist or is not writable\n`);
    return null;
  }
  try {
    return new JsonOutput(file, documentHeader(CHECK_RESULT_FORMAT));
  } catch (error) {
    process.stderr.write(`gradcheck: --json ${file}: cannot be written: ${messageOf(error)}\n`);
    return null;
  }
}

/** The --json-cases stream, undefined without it, null (after saying why) when FILE cannot be written. */
function openCaseStream(file: string | undefined): CaseStream | undefined | null {
  if (file === undefined) return undefined;
  createParentFolder(file);
  try {
    return new CaseStream(file, documentHeader(CHECK_CASES_FORMAT));
  } catch (error) {
    process.stderr.write(`gradcheck: --json-cases ${file}: cannot be written: ${messageOf(error)}\n`);
    return null;
  }
}

/** Writes the document; on failure says so, and returns the usage exit code (no stale file stays). */
function writeJson(json: JsonOutput | undefined, fields: CheckResultFields): number | undefined {
  if (json === undefined) return undefined;
  try {
    json.finish(fields);
    return undefined;
  } catch (error) {
    json.abandon();
    process.stderr.write(`gradcheck: could not write --json ${json.file}: ${messageOf(error)}\n`);
    return EXIT_USAGE;
  }
}

/** Writes the CI reports; on failure says so and returns the usage exit code. */
function writeReporters(specs: readonly ReporterSpec[] | undefined, fields: CheckResultFields, cases: readonly ReportCase[], started: Date, stdout: { write(s: string): unknown }): number | undefined {
  if (!specs?.length) return undefined;
  const doc: CheckDocument = { ...documentHeader(CHECK_RESULT_FORMAT), ...fields, cases, timing: runTiming(started, hostname()) };
  return writeReportsOrExit(specs, doc, stdout);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A worker that supports more than gradcheck draws (`maxWidth: 4096`) is asked at most the largest it draws. */
function withinCaps(supports: Supports): Supports {
  const out: Record<string, unknown> = { ...supports };
  for (const field of ['maxDepth', 'maxWidth', 'maxInputs', 'maxOutputs', 'maxBatch'] as const) {
    const v = supports[field];
    if (v !== undefined && v > SUPPORT_CAPS[field]) out[field] = SUPPORT_CAPS[field];
  }
  return out as Supports;
}
