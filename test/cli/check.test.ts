// `gradcheck check` against the bundled NumPy workers: a pass with its per-tensor summary, a failure
// with its shrunk counterexample, located mismatch and replay line (and the replay), self mode,
// directions, --rtol, and the --json file.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { childrenOf } from '../workers/processes.js';
import { PYTHON, buggyWorker, clearRunnerEnv, lineOf, mlpWorker, runCli, jsonArgs, readResult } from './check-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

/** The summary table's rows: tensor name → its cells (split on the two-space column gaps). */
function summaryRows(out: string): Map<string, string[]> {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith('tensor  cases  checked'));
  expect(start).toBeGreaterThan(-1);
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    const cells = line.split(/ {2,}/);
    rows.set(cells[0], cells);
  }
  return rows;
}

/** Dense layers in a network description such as `[1 → sigmoid 1 → identity 1], batch 1, …`: one per arrow. */
function depthOf(description: string): number {
  return (/^\[([^\]]*)\]/.exec(description)?.[1].match(/→/g) ?? []).length;
}

describe('gradcheck check, passing worker', () => {
  it('prints the header, a per-tensor summary over all cases and PASS, and exits 0', async () => {
    const { code, out, err } = await runCli(['check', ...mlpWorker, '--runs', '20', '--seed', '1']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^gradcheck check: numpy-mlp \(\S+ examples\/python\/numpy_mlp\.py\)$/);
    expect(lines[1]).toBe('conventions: weights in-out, returns gradient, reduction any, batch; precision float64; mode reference, strategy full, rtol 1e-6');
    expect(out).toContain('Summary of 20 random cases (fast-check seed 1):');
    const rows = summaryRows(out);
    // Every network has a first layer, and numpy_mlp.py returns dL/dx for every case.
    expect(rows.get('W1')?.[1]).toBe('20');
    expect(rows.get('x')?.[1]).toBe('20');
    expect([...rows.keys()].at(-1)).toBe('x');
    for (const cells of rows.values()) expect(cells.at(-1)).toBe('pass');
    expect(lines.filter((l) => l.trim() !== '').at(-1)).toBe('PASS: numpy-mlp: 20 random cases agree with finite differences; fast-check seed 1 (from --seed)');
    expect(out).not.toContain('replay:');
  });

  it('closes the worker when it is done', async () => {
    const before = childrenOf(process.pid).filter((c) => c.args.includes('numpy_mlp.py'));
    const { code } = await runCli(['check', ...mlpWorker, '--runs', '2', '--seed', '1']);
    expect(code).toBe(0);
    // The worker was this process's child: none is left running.
    expect(childrenOf(process.pid).filter((c) => c.args.includes('numpy_mlp.py'))).toEqual(before);
  });

  it('--mode self checks against finite differences of the worker\'s own loss', async () => {
    // Seed 1 is pinned: self mode also fails a correct worker on some cases with a ReLU exactly at its
    // kink (the black-box kink detection misses them), reported with the CLI's issue.
    const { code, out } = await runCli(['check', ...mlpWorker, '--mode', 'self', '--runs', '20', '--seed', '1']);
    expect(out.split('\n')[1]).toMatch(/; mode self, strategy full, rtol 1e-6$/);
    expect(out).toContain('PASS: numpy-mlp: 20 random cases agree with finite differences');
    expect(code).toBe(0);
  });

  it('--strategy directions checks random directions per tensor', async () => {
    const json = join(dir, 'directions.json');
    const { code, out } = await runCli(['check', ...mlpWorker, '--strategy', 'directions', '--runs', '10', '--seed', '2', ...jsonArgs(json)]);
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toMatch(/; mode reference, strategy directions, rtol 1e-6$/);
    const result = readResult(json);
    expect(new Set(result.cases.map((c: { report: { strategy: string } }) => c.report.strategy))).toEqual(new Set(['directions']));
  });

  it('--json FILE writes the whole result; the summary adds up each case, whose entry counts follow from its shapes', async () => {
    const json = join(dir, 'pass.json');
    const { code, out } = await runCli(['check', ...mlpWorker, '--runs', '12', '--seed', '3', ...jsonArgs(json)]);
    expect(code).toBe(0);
    const r = readResult(json);
    expect(r).toMatchObject({ verdict: 'pass', exitCode: 0, runs: 12, seed: 3, seedSource: 'from --seed', path: null, counterexample: null, error: null });
    // A pass replays too: the same command, seed and number of cases.
    expect(r.replay).toBe(`gradcheck check ${mlpWorker.join(' ')} --seed 3 --runs 12`);
    // The message names the seed as the command line gave it, as stdout does.
    expect(r.message).toBe('PASS: numpy-mlp: 12 random cases agree with finite differences; fast-check seed 3 (from --seed)');
    expect(out).toContain(r.message);
    expect(r.worker).toMatchObject({ name: 'numpy-mlp', command: mlpWorker, conventions: { weightLayout: 'in-out', returns: 'gradient', batch: 'batch' } });
    expect(r.options).toMatchObject({ runs: 12, seed: 3, mode: 'reference', strategy: 'full', rtol: 1e-6, timeout: 30000 });
    expect(r.cases).toHaveLength(12);
    expect(r.cases.map((c: { run: number }) => c.run)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Full strategy checks every entry once: W1 has inputs × outputs of layer 1, x has batch × inputs.
    type Case = { case: { network: { inputs: number; layers: { outputs: number }[] }; inputs: number[][] } };
    const w1 = r.cases.reduce((s: number, c: Case) => s + c.case.network.inputs * c.case.network.layers[0].outputs, 0);
    const x = r.cases.reduce((s: number, c: Case) => s + c.case.inputs.length * c.case.network.inputs, 0);
    const summary = new Map(r.summary.map((t: { name: string }) => [t.name, t]));
    expect(summary.get('W1')).toMatchObject({ cases: 12, checked: w1, verdict: 'pass' });
    expect(summary.get('x')).toMatchObject({ cases: 12, checked: x, verdict: 'pass' });
    expect(summaryRows(out).get('W1')?.[2]).toBe(String(w1));
    expect(r.message).toMatch(/^PASS: numpy-mlp: 12 random cases/);
  });
});

describe('gradcheck check, other conventions', () => {
  it('a per-sample, out-in, update worker (numpy_textbook.py): every case is summarised, entry counts from its shapes', async () => {
    const json = join(dir, 'textbook.json');
    const { code, out } = await runCli(['check', PYTHON, 'examples/python/numpy_textbook.py', '--runs', '10', '--seed', '4', ...jsonArgs(json)]);
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toMatch(/^conventions: weights out-in, returns update \(−0\.5·gradient\), reduction half-sum, per-sample;/);
    const r = readResult(json);
    expect(r.cases).toHaveLength(10);
    // The cases as the worker's conventions present them: W is outputs × inputs.
    type Case = { case: { network: { inputs: number; layers: { outputs: number }[] }; parameters: { W: number[][] }[] } };
    for (const c of r.cases as Case[]) expect(c.case.parameters[0].W.length).toBe(c.case.network.layers[0].outputs);
    const w1 = (r.cases as Case[]).reduce((s, c) => s + c.case.network.inputs * c.case.network.layers[0].outputs, 0);
    expect(r.summary[0]).toMatchObject({ name: 'W1', cases: 10, checked: w1, verdict: 'pass' });
  });

  it('a worker that returns negated gradients while declaring plain ones gets the convention hint', async () => {
    const negated = `
import sys
sys.path.insert(0, "examples/python")
from gradcheck_worker import run_worker
from numpy_mlp import gradients, loss
def negated(case):
    g = gradients(case)
    flip = lambda xs: [None if a is None else -a for a in xs]
    return {"weights": flip(g["weights"]), "biases": flip(g["biases"]), "inputs": -g["inputs"]}
run_worker("negated-mlp", gradients=negated, loss=loss, conventions={"returns": "gradient"})
`;
    const json = join(dir, 'negated.json');
    const { code, out } = await runCli(['check', '--runs', '10', '--seed', '1', ...jsonArgs(json), '--', PYTHON, '-c', negated]);
    expect(code).toBe(1);
    expect(out).toContain("these match if negated — declare returns: 'negative-gradient'");
    const r = readResult(json);
    expect(r.hints[0].declare).toEqual({ returns: 'negative-gradient' });
  });
});

const SEED_LINE = /^fast-check seed 1 \(from --seed\), path "(\d+(?::\d+)*)"$/m;

describe('gradcheck check, buggy worker', () => {
  const json = join(dir, 'buggy.json');
  let first: Awaited<ReturnType<typeof runCli>>;
  beforeEach(async () => {
    first ??= await runCli(['check', ...buggyWorker, '--runs', '50', '--seed', '1', ...jsonArgs(json)]);
  });

  it('exits 1 and prints the shrunk counterexample, the located mismatch, its report and the replay line', () => {
    const { code, out, err } = first;
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL: numpy-buggy: gradients disagree with finite differences \(found after \d+ random cases?, then shrunk\)$/m);
    expect(out).toMatch(SEED_LINE);
    const counterexample = lineOf(out, 'counterexample')!;
    expect(counterexample).toMatch(/^\[.*\], batch \d+, MSE (sum|mean|half-sum)/);
    // numpy_buggy.py drops f'(z) in the hidden layers only: the mismatch is in a hidden layer, so the
    // shrunk network keeps at least one hidden layer and the output layer agrees.
    const depth = depthOf(counterexample);
    expect(depth).toBeGreaterThanOrEqual(2);
    const layer = Number(/^layer (\d+) [Wb]/.exec(lineOf(out, 'mismatch') ?? '')?.[1]);
    expect(layer).toBeGreaterThanOrEqual(1);
    expect(layer).toBeLessThan(depth);
    expect(out).toMatch(new RegExp(`^W${depth} .* pass$`, 'm'));
    expect(out).toContain('gradcheck (every entry): ');
    expect(lineOf(out, 'replay')).toMatch(/^gradcheck check \S+ examples\/python\/numpy_buggy\.py --seed 1 --path \d+(:\d+)*$/);
    // The summary over the random cases shows the failing case too.
    expect([...summaryRows(out).values()].some((cells) => /^FAIL \(\d+\/\d+ cases\)$/.test(cells.at(-1)!))).toBe(true);
  });

  it('replaying the printed line reproduces the same counterexample and mismatch', async () => {
    const replay = lineOf(first.out, 'replay')!;
    const args = replay.replace(/^gradcheck /, '').split(' ');
    expect(args.join(' ')).toBe(replay.replace(/^gradcheck /, '')); // no quoted words to unquote
    const again = await runCli(args);
    expect(again.code).toBe(1);
    expect(lineOf(again.out, 'counterexample')).toBe(lineOf(first.out, 'counterexample'));
    expect(lineOf(again.out, 'mismatch')).toBe(lineOf(first.out, 'mismatch'));
    expect(lineOf(again.out, 'replay')).toBe(replay);
  });

  it('--json FILE holds the verdict, the counterexample and the replay line as printed', () => {
    const r = readResult(json);
    expect(r).toMatchObject({ verdict: 'fail', exitCode: 1, seed: 1, error: null });
    expect(r.path).toBe(SEED_LINE.exec(first.out)?.[1]);
    expect(r.replay).toBe(lineOf(first.out, 'replay'));
    expect(r.counterexample.description).toBe(lineOf(first.out, 'counterexample'));
    expect(r.counterexample.report.verdict).toBe('fail');
    expect(r.counterexample.report.report.failures.length).toBeGreaterThan(0);
    // The claimed gradients are plain arrays, one entry per parameter.
    const network = r.counterexample.report.case.network as { inputs: number; layers: { outputs: number }[] };
    expect(Array.isArray(r.counterexample.report.claimed.parameters)).toBe(true);
    expect(r.counterexample.report.claimed.parameters.length).toBeGreaterThanOrEqual(network.inputs * network.layers[0].outputs);
    expect(r.summary.some((t: { verdict: string }) => t.verdict === 'fail')).toBe(true);
  });

  it('--rtol sets the tolerance of every check and is repeated in the replay line', async () => {
    const json2 = join(dir, 'rtol.json');
    const { code, out } = await runCli(['check', ...buggyWorker, '--runs', '20', '--seed', '1', '--rtol', '1e-3', ...jsonArgs(json2)]);
    expect(code).toBe(1); // the bug is far larger than 0.1%
    expect(out.split('\n')[1]).toMatch(/rtol 1e-3$/);
    expect(lineOf(out, 'replay')).toMatch(/ --rtol 0\.001$/);
    const r = readResult(json2);
    expect(r.counterexample.report.report.tolerances.rtol).toBe(1e-3);
    for (const c of r.cases) expect(c.report.tolerances.rtol).toBe(1e-3);
  });
});

describe('the summary table', () => {
  it('fits 100 columns', async () => {
    const { out } = await runCli(['check', ...mlpWorker, '--runs', '30', '--seed', '1']);
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.startsWith('tensor  cases  checked'));
    const table = lines.slice(start, lines.indexOf('', start));
    expect(table.length).toBeGreaterThan(2);
    for (const line of table) expect(line.length, line).toBeLessThanOrEqual(100);
  });
});
