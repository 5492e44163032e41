// `gradcheck check` usage and worker errors: every bad option and a missing worker command exit 2 with
// a message; a worker that cannot start, times out, crashes, answers garbage or lacks the loss exits 2
// with an error naming the worker, the case and its seed; Ctrl-C closes the worker and exits 130.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { childWith, isRunning, runningWith } from '../workers/processes.js';
import { PYTHON, clearRunnerEnv, faultWorker, lineOf, mlpWorker, runCli, spawnCli } from './check-harness.js';

beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

/** numpy_mlp.py, except that the process dies on the third gradients call (a mid-run crash). */
const CRASH_THIRD = `
import os, sys
sys.path.insert(0, "examples/python")
from gradcheck_worker import run_worker
from numpy_mlp import gradients, loss
calls = 0
def crash_third(case):
    global calls
    calls += 1
    if calls == 3:
        sys.stderr.write("Fatal Python error: Segmentation fault (simulated)\\n")
        sys.stderr.flush()
        os._exit(3)
    return gradients(case)
run_worker("crash-third", gradients=crash_third, loss=loss)
`;

/** Polls until the process is gone (a bound on waiting, not a speed assertion). */
async function gone(pid: number, deadlineMs = 10_000): Promise<boolean> {
  for (const end = Date.now() + deadlineMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (!isRunning(pid)) return true;
  }
  return false;
}

describe('gradcheck check usage errors exit 2 with a message', () => {
  it('no worker command', async () => {
    const { code, err } = await runCli(['check', '--runs', '5']);
    expect(code).toBe(2);
    expect(err).toContain("gradcheck: missing required argument 'worker'");
    expect(err).toContain('Usage: gradcheck check [options] <worker...>');
  });

  it.each([
    ['--runs', '0', "option '--runs <n>' argument '0' is invalid. expected a positive integer."],
    ['--runs', 'many', "option '--runs <n>' argument 'many' is invalid. expected a positive integer."],
    ['--runs', '2.5', "option '--runs <n>' argument '2.5' is invalid. expected a positive integer."],
    ['--seed', '2147483648', "option '--seed <s>' argument '2147483648' is invalid. expected an integer in [-2147483648, 2147483647]."],
    ['--path', '3:x', "option '--path <p>' argument '3:x' is invalid. expected a fast-check path such as 3:1:0 (printed by a failing run)."],
    ['--mode', 'fast', "option '--mode <mode>' argument 'fast' is invalid. Allowed choices are reference, self."],
    ['--strategy', 'some', "option '--strategy <strategy>' argument 'some' is invalid. Allowed choices are full, directions, fast."],
    ['--rtol', '1', "option '--rtol <r>' argument '1' is invalid. expected a relative tolerance between 0 and 1, such as 1e-6."],
    ['--rtol', 'tight', "option '--rtol <r>' argument 'tight' is invalid. expected a relative tolerance between 0 and 1, such as 1e-6."],
    ['--timeout', '0', "option '--timeout <ms>' argument '0' is invalid. expected a positive integer number of milliseconds."],
    ['--atol', '-1', "option '--atol <a>' argument '-1' is invalid. expected an absolute tolerance ≥ 0, such as 1e-12."],
    ['--precision', 'float8', "option '--precision <format>' argument 'float8' is invalid. Allowed choices are float64, float32, float16, bfloat16."],
    ['--activations', 'sigmoid,tanh', `option '--activations <list>' argument 'sigmoid,tanh' is invalid. expected a comma-separated list of activations: sigmoid, relu, identity (not "tanh").`],
    ['--output-activations', '', "option '--output-activations <list>' argument '' is invalid. expected a comma-separated list of activations: sigmoid, relu, identity."],
    ['--reductions', 'max', `option '--reductions <list>' argument 'max' is invalid. expected a comma-separated list of reductions: mean, sum, half-sum (not "max").`],
    ['--bias', 'yes', "option '--bias <choice>' argument 'yes' is invalid. expected on (every layer), off (no layer) or mixed (chosen per layer)."],
    ['--min-width', '0', "option '--min-width <n>' argument '0' is invalid. expected an integer in [1, 1024]."],
    ['--max-batch', 'two', "option '--max-batch <n>' argument 'two' is invalid. expected an integer in [1, 256]."],
  ])('%s %s', async (option, value, message) => {
    const { code, err } = await runCli(['check', option, value, ...mlpWorker]);
    expect(code).toBe(2);
    expect(err).toContain(`gradcheck: ${message}`);
  });

  it('an unknown option (worker options go after --)', async () => {
    const { code, err } = await runCli(['check', ...mlpWorker, '--verbose']);
    expect(code).toBe(2);
    expect(err).toContain("gradcheck: unknown option '--verbose'");
  });

  it('--path without --seed', async () => {
    const { code, err } = await runCli(['check', ...mlpWorker, '--path', '0:1']);
    expect(code).toBe(2);
    expect(err).toContain("gradcheck: option '--path <p>' needs --seed: a path replays only together with the seed that produced it");
  });

  it('--json into a directory that cannot be created (under a file), found before the run', async () => {
    const { code, out, err } = await runCli(['check', ...mlpWorker, '--json', 'package.json/out/result.json']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`gradcheck: --json package.json/out/result.json: the directory ${process.cwd()}/package.json/out does not exist or is not writable\n`);
  });
});

describe('gradcheck check worker errors exit 2 naming the worker, the case and its seed', () => {
  it('a worker program that does not exist', async () => {
    const { code, out, err } = await runCli(['check', 'no-such-gradcheck-worker', 'x.py']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^gradcheck: could not start the worker `no-such-gradcheck-worker x\.py` \(before any case\): .*ENOENT/);
  });

  it('a worker that exits before its handshake', async () => {
    const { code, err } = await runCli(['check', '--seed', '1', ...faultWorker('exit-before-handshake')]);
    expect(code).toBe(2);
    expect(err).toContain('gradcheck: could not start the worker `');
    expect(err).toContain('exited with code 3 before sending its handshake');
    expect(err).toContain("ModuleNotFoundError: No module named 'torch'");
  });

  it('a worker that never answers: --timeout', async () => {
    const { code, out, err } = await runCli(['check', '--seed', '5', '--timeout', '300', ...faultWorker('silent')]);
    expect(code).toBe(2);
    expect(out).not.toContain('Summary of');
    // The first attempt sent 40 cases in one request; the run is repeated one case at a time, and case 1 is named.
    expect(err).toMatch(/^gradcheck check: the worker stopped while it held \d+ cases sent together; running the same seed again one case at a time on a new worker, to find the case\ngradcheck: fault-silent: case 1 \(seed \d+\): the worker `\S+ test\/workers\/fault_worker\.py silent` gave no answer within 300 ms \(timeoutMs\)/);
    expect(err).toContain('(a worker error, not a gradient mismatch: the case was not shrunk)');
    expect(err).toContain('fast-check seed 5 (from --seed), path "0"');
    expect(lineOf(err, 'case')).toMatch(/^\[.*\], batch \d+, MSE /);
    expect(lineOf(err, 'replay')).toMatch(/^gradcheck check \S+ test\/workers\/fault_worker\.py silent --seed 5 --path 0 --timeout 300$/);
  });

  it('a worker that crashes mid-run: the cases before it are summarised, the crash names its case and seed', async () => {
    const { code, out, err } = await runCli(['check', '--seed', '1', '--runs', '10', '--', PYTHON, '-c', CRASH_THIRD]);
    expect(code).toBe(2);
    // With seed 1 the second random case comes with its companion (case-history.ts): requests 2 and 3.
    expect(out).toContain('Summary of 1 random case (fast-check seed 1):');
    // The first attempt sent cases ahead in one request, and the worker stopped holding them all: the run
    // is repeated one case at a time on a new worker, and says so.
    expect(err).toMatch(/^gradcheck check: the worker stopped while it held \d+ cases sent together; running the same seed again one case at a time on a new worker, to find the case\n/);
    expect(out.match(/^gradcheck check: crash-third/gm)).toHaveLength(1);
    expect(err).toMatch(/\ngradcheck: crash-third: case \d+ \(seed \d+\): the worker `.*` exited with code 3 before answering request 3/);
    expect(err).toContain('Fatal Python error: Segmentation fault (simulated)');
    expect(err).toContain('fast-check seed 1 (from --seed), path "1"');
    // A worker with options of its own is replayed after --, its script in single quotes for the shell.
    expect(err).toContain(`replay: gradcheck check --seed 1 --path 1 -- ${PYTHON} -c '\nimport os, sys\n`);
  });

  it('a worker that crashes while a failure is shrunk: the counterexample so far, then the error', async () => {
    const { code, out, err } = await runCli(['check', '--seed', '2', '--runs', '5', ...faultWorker('crash-second')]);
    expect(code).toBe(2);
    expect(lineOf(out, 'counterexample')).toBeDefined();
    expect(err).toMatch(/^gradcheck: an error while shrinking \(the counterexample above is the smallest found before it\): fault-crash-second: case 2 \(seed \d+\): the worker .* exited with code 3/);
  });

  it('--mode self with a worker that has no loss', async () => {
    const { code, err } = await runCli(['check', '--seed', '2', '--mode', 'self', ...faultWorker('no-loss')]);
    expect(code).toBe(2);
    expect(err).toContain("gradcheck: fault-no-loss: mode 'self' needs the implementation's own loss");
    expect(lineOf(err, 'replay')).toMatch(/ --seed 2 --path 0 --mode self$/);
  });

  it('garbage on stdout, as a real process: the exit code is 2 and the worker is gone', async () => {
    const { exited } = spawnCli(['check', '--seed', '2', ...faultWorker('bare-nan')]);
    const { code, err } = await exited;
    expect(code).toBe(2);
    expect(err).toMatch(/^gradcheck: fault-bare-nan: case 1 \(seed \d+\): stdout line 2 of the worker .* is not JSON: .*bare NaN/m);
    // The worker lives too briefly to catch its pid: no bare-nan worker is left anywhere.
    expect(runningWith('fault_worker.py bare-nan')).toEqual([]);
  });

  it.each([
    ['SIGINT', 130, 'interrupted (Ctrl-C)'],
    ['SIGTERM', 143, 'terminated'],
  ] as const)('%s closes the worker and exits %i', async (signal, exitCode, said) => {
    const { child, exited, output } = spawnCli(['check', '--timeout', '60000', ...faultWorker('silent')]);
    const pid = await childWith(child.pid!, 'fault_worker.py');
    expect(pid).toBeGreaterThan(0);
    // Signalled once the run has started (the header is out), while the worker holds case 1.
    for (const end = Date.now() + 20_000; !output().out.includes('conventions:') && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    expect(isRunning(pid)).toBe(true);
    child.kill(signal);
    const { code, err } = await exited;
    expect(code).toBe(exitCode);
    expect(err).toContain(`gradcheck check: ${said}; closing the worker fault-silent (pid ${pid})`);
    expect(await gone(pid)).toBe(true);
  });
});
