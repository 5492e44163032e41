/**
 * `gradcheck check <worker command…>`: starts a worker (docs/protocol.md) with an argument array,
 * checks its gradients on random networks through the property runner, prints a per-tensor summary
 * over all cases and, on failure, the shrunk counterexample, the mismatch, hints or a diagnosis, and
 * the line that replays it. Exit 0 pass, 1 gradients wrong, 2 usage or worker error. The worker is
 * always closed: after the run, on an error, and on Ctrl-C (exit 130) or SIGTERM (exit 143).
 */
import { accessSync, constants, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { runGradientProperty } from '../../runner/assert-gradients.js';
import { spawnWorker, type WorkerImplementation } from '../../adapters/subprocess/spawn-worker.js';
import { adviceFor } from '../advice.js';
import { CaseRecorder } from '../case-recorder.js';
import { closeWorker } from '../close-worker.js';
import { CHECK_DEFAULTS, MODES, STRATEGIES, parsePath, parseRtol, parseRuns, parseSeed, parseTimeout, type CheckCommandOptions } from '../check-options.js';
import { exitCodeOf, headerLines, outcomeToJson, renderOutcome, type CheckOutcome } from '../check-report.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { onInterrupt } from '../interrupt.js';
import { startProgress } from '../progress.js';
import { replayCommand, shellQuote } from '../replay-command.js';

const EXAMPLES = `
Examples:
  gradcheck check python3 examples/python/numpy_mlp.py
  gradcheck check python3 examples/python/numpy_buggy.py --runs 200 --seed 42
  gradcheck check python3 my_worker.py --seed 42 --path 3:1:0     replay a printed counterexample
  gradcheck check --mode self -- python3 -u my_worker.py --hidden 8   worker options after --

Exit codes: 0 every case passed, 1 gradients wrong, 2 usage or worker error
(a worker that cannot start, crashes, times out or answers garbage),
130 interrupted (Ctrl-C), 143 terminated (SIGTERM). The worker is always closed.`;

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description("check a worker's gradients on random networks (property-based) and print a per-tensor summary")
    .argument('<worker...>', 'the worker command and its arguments, run without a shell (put -- before it if it has options of its own)')
    .addOption(new Option('--runs <n>', 'random cases to check (default: GRADCHECK_RUNS, else 100; times GRADCHECK_RUNS_SCALE)').argParser(parseRuns))
    .addOption(new Option('--seed <s>', 'fast-check seed, always printed so a run can be replayed (default: GRADCHECK_SEED, else random)').argParser(parseSeed))
    .addOption(new Option('--path <p>', 'fast-check path of a counterexample to replay, with its --seed (default: GRADCHECK_PATH)').argParser(parsePath))
    .addOption(new Option('--mode <mode>', "compare with the reference engine, or with finite differences of the worker's own loss").choices(MODES).default(CHECK_DEFAULTS.mode))
    .addOption(new Option('--strategy <strategy>', 'full: every entry; directions: random directions per tensor, then failing tensors entry by entry (a single wrong entry of an n-entry tensor is diluted by about √n); fast: directions plus group probes that find any single entry wrong by more than the sensitivity').choices(STRATEGIES).default(CHECK_DEFAULTS.strategy))
    .addOption(new Option('--rtol <r>', 'relative tolerance of an entry').argParser(parseRtol).default(CHECK_DEFAULTS.rtol, '1e-6'))
    .addOption(new Option('--timeout <ms>', "time allowed for the worker's answer to one request, in ms").argParser(parseTimeout).default(CHECK_DEFAULTS.timeout))
    .option('--json <file>', 'also write the full result (summary, every case, counterexample, diagnosis) as JSON to FILE')
    .addHelpText('after', EXAMPLES)
    .action(async (worker: string[], options: CheckCommandOptions, command: Command) => {
      if (options.path !== undefined && options.seed === undefined && !process.env.GRADCHECK_SEED?.trim()) {
        command.error("error: option '--path <p>' needs --seed: a path replays only together with the seed that produced it", { exitCode: EXIT_USAGE });
      }
      process.exitCode = await runCheck(worker, options);
    });
}

export async function runCheck(command: readonly string[], options: CheckCommandOptions): Promise<number> {
  const commandText = command.map(shellQuote).join(' ');
  if (options.json !== undefined) {
    // Found out before the run, not after it.
    const dir = dirname(resolve(options.json));
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      process.stderr.write(`ERROR: --json ${options.json}: the directory ${dir} does not exist or is not writable\n`);
      return EXIT_USAGE;
    }
  }
  let worker: WorkerImplementation;
  try {
    worker = await spawnWorker(command, { timeoutMs: options.timeout });
  } catch (error) {
    process.stderr.write(`ERROR: could not start the worker \`${commandText}\` (before any case): ${messageOf(error)}\n`);
    return EXIT_USAGE;
  }
  const progress = startProgress();
  let interrupted = false;
  const removeInterrupt = onInterrupt(async (signal) => {
    interrupted = true;
    progress.stop();
    process.stderr.write(`\ngradcheck check: ${signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'terminated'}; closing the worker ${worker.name} (pid ${worker.pid})\n`);
    await closeWorker(worker);
  });
  try {
    const facts = { name: worker.name, command: [...command], pid: worker.pid, conventions: worker.conventions };
    process.stdout.write(`${headerLines(facts, options, commandText)}\n`);
    const checkOptions = { mode: options.mode, strategy: options.strategy, rtol: options.rtol };
    const recorder = new CaseRecorder(worker, checkOptions);
    const result = await runGradientProperty(recorder.implementation, {
      ...checkOptions,
      runs: options.runs,
      seed: options.seed,
      path: options.path,
      onProgress: (done, total) => {
        recorder.caseDone(done);
        progress.update(done, total);
      },
    });
    progress.stop();
    if (interrupted) return EXIT_USAGE; // the interrupt handler reports and exits
    const outcome: CheckOutcome = {
      worker: facts,
      options,
      seedSource: options.seed !== undefined ? 'from --seed' : process.env.GRADCHECK_SEED?.trim() ? 'from GRADCHECK_SEED' : 'random',
      result,
      ...(await recorder.reports()),
      // A worker that failed while shrinking is asked nothing more.
      ...(result.counterexample ? await adviceFor(worker, result.counterexample.report, !result.error) : { hints: [] }),
      replay: result.replay === undefined ? undefined : replayCommand(command, options, result.seed, result.path),
    };
    const exitCode = exitCodeOf(result);
    const text = renderOutcome(outcome, process.stdout.isTTY === true);
    process.stdout.write(text.stdout);
    process.stderr.write(text.stderr);
    if (options.json !== undefined) {
      try {
        writeFileSync(options.json, `${outcomeToJson(outcome, exitCode)}\n`);
      } catch (error) {
        process.stderr.write(`ERROR: could not write --json ${options.json}: ${messageOf(error)}\n`);
        return EXIT_USAGE;
      }
    }
    return exitCode;
  } finally {
    progress.stop();
    removeInterrupt();
    await closeWorker(worker);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
