// Nothing checked is lost: Ctrl-C, SIGTERM, a worker error and a worker that cannot start all print
// the summary of the cases checked so far and write --json (atomically, replacing any older file, so
// no earlier pass survives), and the run stops at once however large --runs is.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { childWith, isRunning } from '../workers/processes.js';
import { PYTHON, clearRunnerEnv, faultWorker, runCli, spawnCli, jsonArgs, readCases } from './check-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

const STALE = '{"verdict": "pass", "runs": 2000}\n';

/** A --json file that already holds an older run's pass. */
function staleJson(name: string): string {
  const file = join(dir, name);
  writeFileSync(file, STALE);
  return file;
}

function readJson(file: string) {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { cases: { run: number; case: { id: number } }[] };
}

/** No temporary file is left next to the result. */
function leftovers(): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}

describe.each([
  ['SIGINT', 130, 'interrupted (Ctrl-C)'],
  ['SIGTERM', 143, 'terminated'],
] as const)('%s in the middle of a long run', (signal, exitCode, said) => {
  it(`stops at once, prints the summary of the cases checked, writes --json with "interrupted", exits ${exitCode}`, async () => {
    const json = staleJson(`${signal}.json`);
    // The fault worker in `ok` mode answers zero gradients and a constant loss: self mode passes it.
    const { child, exited, output } = spawnCli(['check', '--mode', 'self', '--runs', '1000000', '--seed', '4', ...jsonArgs(json), ...faultWorker('ok')]);
    const pid = await childWith(child.pid!, 'fault_worker.py');
    expect(pid).toBeGreaterThan(0);
    for (const end = Date.now() + 20_000; !output().out.includes('conventions:') && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1_500)); // some cases get checked
    child.kill(signal);
    const { code, out, err } = await exited;
    expect(code).toBe(exitCode);
    expect(err).toContain(`gradcheck check: ${said}; closing the worker fault-ok (pid ${pid})`);
    const checked = Number(/^Summary of (\d+) random cases \(fast-check seed 4\):$/m.exec(out)?.[1]);
    expect(checked).toBeGreaterThan(0);
    expect(err).toContain(`INTERRUPTED: fault-ok: the run was interrupted (${signal}) after ${checked} random case`);
    expect(err).toContain('fast-check seed 4 (from --seed); to check again: gradcheck check ');
    const r = readJson(json);
    expect(r).toMatchObject({ verdict: 'interrupted', interrupted: signal, exitCode, runs: checked, caseTally: { checked } });
    r.cases = readCases(`${json}.ndjson`);
    expect(r.cases).toHaveLength(checked);
    expect(r.cases.map((c) => c.run)).toEqual(Array.from({ length: checked }, (_, k) => k + 1));
    // The ids the worker saw: distinct and increasing (self mode asks losses in between).
    const ids = r.cases.map((c) => c.case.id);
    // A case's companion (case-history.ts) is asked first, so the first case's id is 1 only without one.
    expect(ids[0]).toBeGreaterThanOrEqual(1);
    ids.slice(1).forEach((id, k) => expect(id).toBeGreaterThan(ids[k]));
    expect(leftovers()).toEqual([]);
    expect(isRunning(pid)).toBe(false);
  });
});

describe('Ctrl-C before the handshake', () => {
  it('stops the starting worker at once, writes --json with "interrupted", exits 130', async () => {
    const json = staleJson('starting.json');
    const { child, exited } = spawnCli(['check', '--json', json, '--', PYTHON, '-c', 'import time; time.sleep(60)']);
    const pid = await childWith(child.pid!, 'time.sleep(60)');
    expect(pid).toBeGreaterThan(0);
    child.kill('SIGINT');
    const { code, out, err } = await exited;
    expect(code).toBe(130);
    expect(out).toBe('');
    expect(err).toContain(`INTERRUPTED: interrupted (SIGINT) while starting the worker \`${PYTHON} -c 'import time; time.sleep(60)'\``);
    expect(readJson(json)).toMatchObject({ verdict: 'interrupted', interrupted: 'SIGINT', exitCode: 130, runs: 0, caseTally: { checked: 0 }, notableCases: { count: 0, listed: [], inFull: [] } });
    expect(isRunning(pid)).toBe(false);
  });
});

describe('a run that fails is recorded, never a stale pass', () => {
  it('a worker crash with --runs 1e6 stops at once (nothing is generated after it) and --json holds the error', async () => {
    const json = staleJson('crash.json');
    // Test timeout bounds it: iterating the remaining million runs took 41 s before.
    const { code, err } = await runCli(['check', '--mode', 'self', '--runs', '1000000', '--seed', '2', '--json', json, ...faultWorker('crash-second')]);
    expect(code).toBe(2);
    expect(err).toMatch(/^gradcheck: fault-crash-second: case \d+ \(seed \d+\): the worker .* exited with code 3/);
    const r = readJson(json);
    expect(r).toMatchObject({ verdict: 'error', exitCode: 2, interrupted: null, runs: 1 });
    expect((r.error as { message: string }).message).toContain('exited with code 3');
    expect(leftovers()).toEqual([]);
  });

  it('a worker that cannot start: --json holds the error, the older file is gone', async () => {
    const json = staleJson('no-start.json');
    const { code, out, err } = await runCli(['check', '--json', json, 'no-such-gradcheck-worker', 'x.py']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^gradcheck: could not start the worker `no-such-gradcheck-worker x\.py` \(before any case\): .*ENOENT/);
    const r = readJson(json);
    expect(r).toMatchObject({ verdict: 'error', exitCode: 2, runs: 0, caseTally: { checked: 0 }, worker: { command: ['no-such-gradcheck-worker', 'x.py'] } });
    expect((r.error as { message: string }).message).toContain('could not start the worker');
    expect(leftovers()).toEqual([]);
  });

  it('an older file is removed when the run starts, so a run killed outright leaves none', async () => {
    const json = staleJson('killed.json');
    const { child, exited, output } = spawnCli(['check', '--timeout', '60000', '--json', json, ...faultWorker('silent')]);
    for (const end = Date.now() + 20_000; !output().out.includes('conventions:') && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(json)).toBe(false);
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(json)).toBe(false);
    // A killed run cannot remove its hidden temporary file; only that is left.
    expect(leftovers()).toEqual([expect.stringMatching(/^\.killed\.json\.\d+\.tmp$/)]);
    for (const f of leftovers()) rmSync(join(dir, f));
  });
});

describe('identical runs print identical output', () => {
  it('no pid, no time: stdout and the --json file are the same twice', async () => {
    const runs = [];
    for (let k = 0; k < 2; k++) {
      const json = join(dir, 'same.json');
      const { code, out } = await runCli(['check', '--mode', 'self', '--runs', '5', '--seed', '9', '--json', json, ...faultWorker('ok')]);
      expect(code).toBe(0);
      runs.push({ out, json: readFileSync(json, 'utf8') });
    }
    expect(runs[1].out).toBe(runs[0].out);
    expect(runs[1].json).toBe(runs[0].json);
    expect(runs[0].out).not.toMatch(/pid/);
  });
});
