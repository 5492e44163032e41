// The API options that matter have flags: --strategy fast end to end, --atol and --precision (printed
// in the header, honoured by the check, written to --json and repeated by the replay line).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buggyWorker, clearRunnerEnv, lineOf, mlpWorker, runCli, jsonArgs, readResult } from './check-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

describe('--strategy fast', () => {
  it('passes a correct worker, every case reported as checked the fast way', async () => {
    const json = join(dir, 'fast.json');
    const { code, out } = await runCli(['check', '--strategy', 'fast', '--runs', '15', '--seed', '2', ...jsonArgs(json), ...mlpWorker]);
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toMatch(/; mode reference, strategy fast, rtol 1e-6$/);
    expect(out).toContain('PASS: numpy-mlp: 15 random cases agree with finite differences');
    const r = readResult(json);
    expect(r.options.strategy).toBe('fast');
    expect(r.cases).toHaveLength(15);
    for (const c of r.cases) expect(c.report.strategy).toBe('fast');
  });

  it('fails a wrong worker and replays with --strategy fast', async () => {
    const { code, out } = await runCli(['check', '--strategy', 'fast', '--runs', '20', '--seed', '2', ...buggyWorker]);
    expect(code).toBe(1);
    expect(out).toContain('FAIL: numpy-buggy: gradients disagree with finite differences');
    expect(lineOf(out, 'replay')).toMatch(/ --seed 2 --path [\d:]+ --strategy fast$/);
  });
});

describe('--atol', () => {
  it('is added to every entry\'s tolerance, printed in the header and repeated by the replay line', async () => {
    // numpy_buggy.py is off by far less than 10 on these small cases: a tolerance that large passes it.
    const loose = await runCli(['check', '--atol', '10', '--runs', '10', '--seed', '2', ...buggyWorker]);
    expect(loose.out.split('\n')[1]).toMatch(/, rtol 1e-6, atol 1e\+1$/);
    expect(loose.code).toBe(0);
    const tight = await runCli(['check', '--atol', '1e-12', '--runs', '10', '--seed', '2', ...buggyWorker]);
    expect(tight.code).toBe(1);
    expect(lineOf(tight.out, 'replay')).toMatch(/ --atol 1e-12$/);
  });
});

describe('--precision', () => {
  it("overrides the handshake's precision: in the header, the conventions checked and the JSON", async () => {
    const json = join(dir, 'precision.json');
    const { code, out } = await runCli(['check', '--precision', 'float32', '--runs', '5', '--seed', '2', ...jsonArgs(json), ...mlpWorker]);
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toBe('conventions: weights in-out, returns gradient, reduction any, batch; precision float32 (--precision); mode reference, strategy full, rtol 1e-6');
    const r = readResult(json);
    expect(r.worker.conventions.precision).toBe('float32');
    expect(r.options.precision).toBe('float32');
  });

  it('is repeated by the replay line', async () => {
    const { code, out } = await runCli(['check', '--precision', 'float16', '--runs', '20', '--seed', '2', ...buggyWorker]);
    expect(code).toBe(1);
    expect(lineOf(out, 'replay')).toMatch(/ --precision float16$/);
  });
});
