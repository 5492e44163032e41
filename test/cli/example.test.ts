import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from './check-harness.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const code = await main(args);
    return { code, out: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('gradcheck example', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints a PASS report for the bundled network and returns 0', async () => {
    const { code, out } = await run(['example']);
    expect(code).toBe(0);
    const lines = out.replace(/\x1b\[[0-9;]*m/g, '').trimEnd().split('\n');
    expect(lines[0]).toBe('gradcheck (every entry): [4 → sigmoid 3 → relu 2 → identity 1], batch 4, MSE mean');
    expect(lines[1].split(/ {2,}/)[0]).toBe('tensor');
    expect(lines.slice(2, 9).map((l) => l.split(/ {2,}/)[0])).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3', 'x']);
    // 4·3 + 3 + 3·2 + 2 + 2·1 + 1 = 26 parameters, plus the 4×4 input batch.
    expect(lines.at(-1)).toMatch(/^PASS: \d+ of 42 entries agree with finite differences/);
    expect(out).not.toContain('Disagreements');
  });

  it('--json prints a parseable report', async () => {
    const { code, out } = await run(['example', '--json', '-']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.verdict).toBe('pass');
    expect(report.strategy).toBe('full');
    expect(report.counts.checked).toBe(42);
    expect(report.counts.failed).toBe(0);
    expect(report.tensors.map((t: { name: string }) => t.name)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3', 'x']);
  });

  it('--json FILE writes the same report to FILE (its folder created) and still prints the table; `example` and `fixtures` alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-example-json-'));
    try {
      const file = join(dir, 'new', 'example.json');
      const { code, out } = await run(['example', '--json', file]);
      expect(code).toBe(0);
      expect(out).toMatch(/^gradcheck \(every entry\)/);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse((await run(['example', '--json', '-'])).out));
      const fixtures = join(dir, 'f', 'fixtures.json');
      const f = await run(['fixtures', '--json', fixtures]);
      expect(f.code).toBe(0);
      expect(f.out).not.toMatch(/^\{/);
      expect(JSON.parse(readFileSync(fixtures, 'utf8'))).toMatchObject({ exitCode: 0 });
      const blocked = join(dir, 'file');
      writeFileSync(blocked, '');
      const { code: failed, err } = await runCli(['example', '--json', join(blocked, 'x.json')]);
      expect(failed).toBe(2);
      expect(err.startsWith(`gradcheck: --json ${join(blocked, 'x.json')}: cannot be written: EEXIST`)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--reporter junit=FILE and tap=FILE report the example as one test, with its replay line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-example-reporter-'));
    try {
      const { code } = await run(['example', '--seed', '2', '--reporter', `junit=${join(dir, 'r', 'junit.xml')}`, '--reporter', `tap=${join(dir, 'x.tap')}`]);
      expect(code).toBe(0);
      const junit = readFileSync(join(dir, 'r', 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<testsuite name="gradcheck example" tests="1" failures="0" errors="0" skipped="0" time="[\d.]+" timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d" hostname="[^"]+">/);
      expect(junit).toContain('<property name="replay" value="gradcheck example --seed 2"/>');
      expect(readFileSync(join(dir, 'x.tap'), 'utf8').split('\n').slice(0, 4)).toEqual(['TAP version 13', '1..1', '# gradcheck example', 'ok 1 - run 1: [4 → sigmoid 3 → relu 2 → identity 1], batch 4, MSE mean']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--seed changes the example and still passes', async () => {
    const a = JSON.parse((await run(['example', '--json', '-', '--seed', '2'])).out);
    const b = JSON.parse((await run(['example', '--json', '-'])).out);
    expect(a.verdict).toBe('pass');
    expect(a.tensors[0].worst.claimed).not.toBe(b.tensors[0].worst.claimed);
  });

  it('--seed that is not an integer is a usage error (exit 2), not a different example', async () => {
    const { code, err } = await runCli(['example', '--seed', 'abc']);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe("gradcheck: option '--seed <n>' argument 'abc' is invalid. expected an integer.");
  });
});
