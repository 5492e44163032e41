// What a worker supports: the handshake's `supports`, the constraint flags and --config, their
// intersection (printed in the header, an empty one a usage error naming both sides), cases a worker
// declines as unsupported (counted, never an error, never a pass of nothing), and a replay line that
// carries every constraint and reproduces the same shrunk counterexample.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PYTHON, buggyWorker, clearRunnerEnv, lineOf, runCli, jsonArgs, readResult } from './check-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-supports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

const supportsWorker = (mode: string) => [PYTHON, 'test/workers/supports_worker.py', mode];

/** The arguments of a printed replay line `gradcheck check …` (words are bare: no quoting needed here). */
function replayArgs(line: string): string[] {
  expect(line).toMatch(/^gradcheck check /);
  return line.split(' ').slice(1);
}

function config(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('the handshake says what the worker supports', () => {
  it('only such cases are sent (the worker errors on any other), and the header shows them', async () => {
    const { code, out, err } = await runCli(['check', '--runs', '60', '--seed', '5', ...supportsWorker('declares')]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(lineOf(out, 'cases')).toBe('--activations sigmoid --output-activations identity --bias on --min-width 2');
    expect(out).toContain('PASS: supports-declares: 60 random cases agree with finite differences');
  });

  it('without constraints the header says so', async () => {
    const { out } = await runCli(['check', '--runs', '2', '--seed', '1', PYTHON, 'examples/python/numpy_mlp.py']);
    expect(lineOf(out, 'cases')).toBe('any network (no constraints)');
  });

  it('flags narrow them further; the header shows the intersection', async () => {
    const { code, out } = await runCli(['check', '--runs', '10', '--seed', '5', '--activations', 'relu,sigmoid', '--min-width', '3', '--max-depth', '2', ...supportsWorker('declares')]);
    expect(code).toBe(0);
    expect(lineOf(out, 'cases')).toBe('--activations sigmoid --output-activations identity --bias on --max-depth 2 --min-width 3');
  });

  it.each([
    [['--activations', 'relu'], "gradcheck: the cases for supports-declares: no case satisfies both --activations relu and the worker's supports.activations sigmoid: they share none"],
    [['--bias', 'off'], "gradcheck: the cases for supports-declares: no case satisfies both --bias off and the worker's supports.bias on"],
    [['--max-width', '1'], "gradcheck: the cases for supports-declares: no case satisfies both the worker's supports.minWidth 2 and --max-width 1"],
  ])('an empty intersection (%j) is a usage error naming both sides', async (flags, message) => {
    const json = join(dir, 'empty.json');
    const { code, out, err } = await runCli(['check', '--seed', '1', '--json', json, ...flags, ...supportsWorker('declares')]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`${message}\n`);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ verdict: 'error', exitCode: 2, error: { message } });
  });

  it('a malformed supports in the handshake names the field', async () => {
    const script = 'import json; print(json.dumps({"protocol": 1, "name": "bad", "capabilities": ["gradients"], "supports": {"bias": "yes"}}), flush=True); input()';
    const { code, err } = await runCli(['check', '--', PYTHON, '-c', script]);
    expect(code).toBe(2);
    expect(err).toContain('supports.bias is "yes"; expected true (every layer), false (none) or "mixed"');
  });
});

describe('--config FILE', () => {
  it('gives the same constraints as the flags; a flag overrides the file', async () => {
    const file = config('ok.json', { supports: { activations: ['sigmoid', 'relu'], bias: false, maxDepth: 3 } });
    const { code, out } = await runCli(['check', '--runs', '5', '--seed', '1', '--config', file, '--max-depth', '2', PYTHON, 'examples/python/numpy_mlp.py']);
    expect(code).toBe(0);
    expect(lineOf(out, 'cases')).toBe('--activations sigmoid,relu --bias off --max-depth 2');
  });

  it('an empty intersection with the worker names the file and the field', async () => {
    const file = config('relu.json', { supports: { activations: ['relu'] } });
    const { code, err } = await runCli(['check', '--config', file, ...supportsWorker('declares')]);
    expect(code).toBe(2);
    expect(err).toBe(`gradcheck: the cases for supports-declares: no case satisfies both ${file}: supports.activations relu and the worker's supports.activations sigmoid: they share none\n`);
  });

  it.each([
    [{ supports: { activations: ['sigmoid', 'tanh'] } }, 'supports.activations[1] is "tanh"; expected one of "identity", "sigmoid", "relu"'],
    [{ supports: { minWidth: 0 } }, 'supports.minWidth is 0; expected an integer ≥ 1'],
    [{ supports: { width: 2 } }, 'supports has unknown field "width"'],
    [{ suports: {} }, 'the file has unknown field "suports"'],
    ['{"supports": ', 'is not JSON'],
  ])('a bad file (%j) is a usage error naming the file and the JSON path', async (content, message) => {
    const file = config('bad.json', content);
    const { code, out, err } = await runCli(['check', '--config', file, PYTHON, 'examples/python/numpy_mlp.py']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^gradcheck: --config /);
    expect(err).toContain(`${file}: ${message}`);
  });

  it('a file that does not exist; --json records the error (no older result survives)', async () => {
    const json = config('result.json', { verdict: 'pass', runs: 2000 });
    const { code, err } = await runCli(['check', '--json', json, '--config', join(dir, 'missing.json'), PYTHON, 'examples/python/numpy_mlp.py']);
    expect(code).toBe(2);
    expect(err).toContain(`${join(dir, 'missing.json')}: cannot be read (ENOENT)`);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ verdict: 'error', exitCode: 2, runs: 0 });
  });
});

describe('a worker may decline a case as unsupported', () => {
  it('declined cases are counted and reported, not checked, and the run still passes on the rest', async () => {
    const json = join(dir, 'declines.json');
    const { code, out, err } = await runCli(['check', '--runs', '30', '--seed', '3', ...jsonArgs(json), ...supportsWorker('declines')]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const declined = Number(/^note: supports-declines declined (\d+) random cases as unsupported: "no ReLU layers" \(\d+\); they are not counted as checked$/m.exec(out)?.[1]);
    expect(declined).toBeGreaterThan(0);
    expect(out).toContain(`PASS: supports-declines: ${30 - declined} random cases agree with finite differences (${declined} more declined as unsupported)`);
    const r = readResult(json);
    expect(r).toMatchObject({ verdict: 'pass', runs: 30 - declined, unsupported: { count: declined, reasons: [{ reason: 'no ReLU layers', count: declined }] } });
    expect(r.cases).toHaveLength(30 - declined);
  });

  it('a run in which every case was declined exits 2: nothing was checked', async () => {
    const { code, out, err } = await runCli(['check', '--runs', '7', '--seed', '3', ...supportsWorker('declines-all')]);
    expect(code).toBe(2);
    expect(out).not.toContain('PASS');
    expect(err).toBe(
      'gradcheck: supports-stub: declined every one of the 7 random cases as unsupported ("this worker is a stub" (7)); nothing was checked, so this is not a pass. ' +
        'Narrow the generated cases to what it supports (a worker: "supports" in its handshake, or gradcheck check\'s --activations, --bias, --min-width, … flags; the API: options.constraints)\n',
    );
  });
});

describe('the replay line carries every constraint', () => {
  it.each([
    ['from flags', ['--activations', 'sigmoid', '--bias', 'on', '--max-depth', '2', '--min-batch', '2', ...buggyWorker]],
    ['from the handshake', supportsWorker('declares-buggy')],
  ])('%s: replaying it reproduces the same shrunk counterexample', async (_, args) => {
    const first = await runCli(['check', '--runs', '50', '--seed', '8', ...args]);
    expect(first.code).toBe(1);
    const replay = lineOf(first.out, 'replay')!;
    expect(replay).toContain(lineOf(first.out, 'cases')!);
    const again = await runCli(replayArgs(replay));
    expect(again.code).toBe(1);
    for (const label of ['counterexample', 'mismatch', 'cases']) expect(lineOf(again.out, label)).toBe(lineOf(first.out, label));
  });
});
