/**
 * The `functions` capability end to end: the NumPy layers of examples/python/functions/ through a real
 * worker process: every message both ways valid against schemas/protocol.schema.json, correct rules
 * pass, buggy ones fail at the entries their bugs touch (derived in layers.py), and the CLI checks every
 * function or one, and replays a failure from the command it prints.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnWorker, type WorkerImplementation } from '../../src/adapters/subprocess/spawn-worker.js';
import { checkWorkerFunction } from '../../src/adapters/subprocess/check-worker-function.js';
import { handshakeSchema } from '../../src/adapters/subprocess/schemas.js';
import { PYTHON, ROOT, clearRunnerEnv, runCli } from '../cli/check-harness.js';

const correct = [PYTHON, 'examples/python/functions/numpy_layers.py'];
const buggy = [PYTHON, 'examples/python/functions/numpy_layers_buggy.py'];
const validate = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/protocol.schema.json'), 'utf8')) as object);

describe('the protocol messages of a functions worker', () => {
  it('are valid both ways against schemas/protocol.schema.json', async () => {
    const requests = [
      { id: 1, op: 'evaluate', cases: [{ id: 1, function: 'tanh', inputs: { x: { shape: [2], data: [0.5, 1] } } }] },
      { id: 2, op: 'vjp', cases: [{ id: 2, function: 'tanh', inputs: { x: { shape: [2], data: [0.5, 1] } }, cotangent: { y: { shape: [2], data: [1, -2] } } }] },
      { id: 3, op: 'jvp', cases: [{ id: 3, function: 'tanh', inputs: { x: { shape: [2], data: [0.5, 1] } }, tangent: { x: { shape: [2], data: [0.3, 1] } } }] },
    ];
    const worker = spawn(correct[0], correct.slice(1), { cwd: ROOT, stdio: ['pipe', 'pipe', 'ignore'] });
    const lines = createInterface({ input: worker.stdout! })[Symbol.asyncIterator]();
    const received: unknown[] = [JSON.parse((await lines.next()).value as string)];
    for (const r of requests) {
      worker.stdin!.write(`${JSON.stringify(r)}\n`);
      received.push(JSON.parse((await lines.next()).value as string));
    }
    worker.stdin!.end('{"id":4,"op":"shutdown"}\n');
    expect(((await once(worker, 'close')) as [number])[0]).toBe(0);
    for (const m of [...received, ...requests]) expect(validate(m), JSON.stringify(validate.errors)).toBe(true);
    // tanh'(x) = 1 − tanh²(x): the vjp of cotangent (1, −2) at (0.5, 1), computed here from Math.tanh.
    const vjp = (received[2] as { results: { vjp: { x: { data: number[] } } }[] }).results[0].vjp.x.data;
    expect(vjp[0]).toBeCloseTo(1 - Math.tanh(0.5) ** 2, 15);
    expect(vjp[1]).toBeCloseTo(-2 * (1 - Math.tanh(1) ** 2), 15);
  });
  it('a handshake with only "functions" is accepted; a function spec with a misspelt field is named', () => {
    expect(handshakeSchema.safeParse({ protocol: 1, name: 'w', capabilities: ['functions'], functions: [{ name: 'f', inputs: { x: { shape: [2] } } }] }).success).toBe(true);
    const bad = handshakeSchema.safeParse({ protocol: 1, name: 'w', capabilities: ['functions'], functions: [{ name: 'f', inputs: { x: { shap: [2] } } }] });
    expect(bad.success).toBe(false);
  });
});

describe('checkWorkerFunction', () => {
  let good: WorkerImplementation;
  let bad: WorkerImplementation;
  beforeAll(async () => {
    [good, bad] = await Promise.all([spawnWorker(correct), spawnWorker(buggy)]);
  });
  afterAll(async () => {
    await Promise.all([good.close(), bad.close()]);
  });
  // C_in 2, L 6, C_out 1, K 3: the bug makes x̄[c, j] wrong for exactly j ≥ K − 1 = 2.
  const conv = {
    function: 'conv1d',
    inputs: { x: { shape: [2, 6], data: Float64Array.of(0.3, -1, 2, 0.5, 1, -0.2, 1.1, 0.4, -0.7, 0.9, -1.3, 0.6) }, w: { shape: [1, 2, 3], data: Float64Array.of(1, 2, -1, 0.5, -0.3, 0.8) }, b: { shape: [1], data: Float64Array.of(0.1) } },
    wrt: ['x', 'w', 'b'],
  };
  it('passes the correct NumPy conv1d and fails the buggy one at x[c, j ≥ 2] only', async () => {
    expect((await checkWorkerFunction(good, conv)).verdict).toBe('pass');
    const report = await checkWorkerFunction(bad, conv);
    expect(report.located.map((l) => l.label)).toEqual(['x[0,2]', 'x[0,3]', 'x[0,4]', 'x[0,5]', 'x[1,2]', 'x[1,3]', 'x[1,4]', 'x[1,5]']);
  });
  it("checks a worker's JVP entry by entry of the output", async () => {
    const report = await checkWorkerFunction(good, { function: 'tanh', inputs: { x: Float64Array.of(0.3, -1, 2) }, wrt: ['x'] }, 'jvp');
    expect(report.verdict).toBe('pass');
    expect(report.tensors.map((t) => [t.name, t.checked])).toEqual([['y', 3]]);
  });
  it('names the worker, the function and the case when the worker fails a case', async () => {
    await expect(checkWorkerFunction(good, { function: 'nope', inputs: { x: Float64Array.of(1) }, wrt: ['x'] })).rejects.toThrow(/^worker numpy-layers: nope, case \d+: the worker reported: KeyError: "no function 'nope'; this worker has \[/);
  });
});

describe('gradcheck check on a functions worker', () => {
  beforeEach(() => clearRunnerEnv());
  it('passes every correct function (exit 0)', async () => {
    const { code, out } = await runCli(['check', '--runs', '4', '--seed', '3', ...correct]);
    expect(out).toContain('PASS: 6 of 6 checks passed');
    expect(code).toBe(0);
  });
  it('fails the buggy layer norm in x only, and its printed replay command reproduces it (exit 1)', async () => {
    const first = await runCli(['check', '--runs', '4', '--seed', '3', '--function', 'layer-norm', ...buggy]);
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/^x +1×2 .* FAIL \(2\)$/m);
    expect(first.out).toMatch(/^gamma .* pass$/m);
    const replay = /^replay: gradcheck (check .*)$/m.exec(first.out)![1].split(' ');
    expect(replay.slice(0, 7)).toEqual(['check', '--function', 'layer-norm', '--seed', '3', '--path', replay[6]]);
    const again = await runCli(replay);
    expect(again.code).toBe(1);
    expect(again.out).toContain(/^counterexample: .*$/m.exec(first.out)![0]);
  });
  it('names the functions when --function names none of them (exit 2)', async () => {
    const { code, err } = await runCli(['check', '--function', 'softmx', ...correct]);
    expect(code).toBe(2);
    expect(err).toContain('gradcheck: --function softmx: the worker numpy-layers has no such function; it has softmax, softmax-cross-entropy, tanh, layer-norm, conv1d');
  });
  it('--json FILE writes one entry per checked rule (format gradcheck-functions/1), the failing one with its replay', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gradcheck-functions-')), 'out', 'functions.json');
    const { code, err } = await runCli(['check', '--runs', '2', '--seed', '1', '--function', 'tanh', '--json', file, ...correct]);
    expect([code, err]).toEqual([0, '']);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc).toMatchObject({ format: 'gradcheck-functions/1', verdict: 'pass', exitCode: 0, worker: { name: 'numpy-layers' } });
    expect(doc.checks.map((c: { function: string; rule: string; verdict: string; replay: unknown }) => [c.function, c.rule, c.verdict, c.replay])).toEqual([['tanh', 'vjp', 'pass', null], ['tanh', 'jvp', 'pass', null]]);
    const buggy = await runCli(['check', '--runs', '5', '--seed', '1', '--function', 'conv1d', '--json', '-', PYTHON, 'examples/python/functions/numpy_layers_buggy.py']);
    expect(buggy.code).toBe(1);
    const failing = JSON.parse(buggy.out);
    expect(failing.checks[0]).toMatchObject({ function: 'conv1d', rule: 'vjp', verdict: 'fail', seed: 1 });
    expect(buggy.err).toContain(`replay: ${failing.checks[0].replay}`); // the text went to stderr
  });
  it('refuses --function for a network worker (exit 2)', async () => {
    const { code, err } = await runCli(['check', '--function', 'softmax', PYTHON, 'examples/python/numpy_mlp.py']);
    expect(code).toBe(2);
    expect(err).toContain('gradcheck: --function softmax: the worker numpy-mlp has no "functions" capability (docs/protocol.md)');
  });
});

describe('the Python helper for function workers', () => {
  const python = (code: string) => spawnSync(PYTHON, ['-c', `import sys; sys.path.insert(0, 'examples/python')\nfrom gradcheck_worker import Function, run_function_worker\n${code}`], { cwd: ROOT, encoding: 'utf8', input: '' });
  it('names a Function without callable rules and functions of the same name', () => {
    expect(python("Function('f', 1, vjp=None, inputs={})").stderr).toContain("TypeError: Function 'f': f and vjp (and jvp, when given) must be functions");
    expect(python("g = Function('f', abs, vjp=abs, inputs={'x': [1]})\nrun_function_worker('w', [g, g])").stderr).toContain("ValueError: run_function_worker: two functions are named 'f'");
  });
  it('answers an op it does not know with a request error, and a missing jvp with a case error', () => {
    const r = spawnSync(PYTHON, ['examples/python/functions/numpy_layers.py'], {
      cwd: ROOT,
      encoding: 'utf8',
      input: '{"id":1,"op":"gradients","cases":[]}\n{"id":2,"op":"jvp","cases":[{"id":9,"function":"softmax","inputs":{"z":{"shape":[2],"data":[1,2]}},"tangent":{"z":{"shape":[2],"data":[1,0]}}}]}\n',
    });
    const [, first, second] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toEqual({ id: 1, error: "unsupported op 'gradients'; this worker answers evaluate, vjp, jvp" });
    expect(second).toEqual({ id: 2, results: [{ case: 9, error: expect.stringMatching(/^ValueError: softmax has no jvp/) }] });
  });
});
