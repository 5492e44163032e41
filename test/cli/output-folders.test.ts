// --json, --html and --reporter files go into folders created when missing (as vitest's --outputFile).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearRunnerEnv, mlpWorker, runCli } from './check-harness.js';

let dir: string;
beforeEach(() => {
  clearRunnerEnv();
  dir = mkdtempSync(join(tmpdir(), 'gradcheck-folders-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('output folders are created', () => {
  it('gradcheck check --json, --html and --reporter junit= into new folders', async () => {
    const json = join(dir, 'a', 'b', 'run.json');
    const html = join(dir, 'c', 'run.html');
    const junit = join(dir, 'd', 'e', 'junit.xml');
    const { code } = await runCli(['check', ...mlpWorker, '--runs', '2', '--seed', '1', '--json', json, '--html', html, '--reporter', `junit=${junit}`]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).verdict).toBe('pass');
    expect(readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(readFileSync(junit, 'utf8')).toContain('<testsuites');
  }, 60_000);

  it('gradcheck example --html and fixtures --html into new folders', async () => {
    expect((await runCli(['example', '--html', join(dir, 'x', 'example.html')])).code).toBe(0);
    expect(existsSync(join(dir, 'x', 'example.html'))).toBe(true);
    expect((await runCli(['fixtures', '--html', join(dir, 'y', 'z', 'fixtures.html')])).code).toBe(0);
    expect(existsSync(join(dir, 'y', 'z', 'fixtures.html'))).toBe(true);
  }, 60_000);
});
