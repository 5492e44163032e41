// `gradcheck check --reporter …`: the CI reports are written from the run itself, next to --json.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buggyWorker, clearRunnerEnv, mlpWorker, runCli } from './check-harness.js';

beforeEach(clearRunnerEnv);

describe('gradcheck check --reporter', () => {
  it('writes JUnit and TAP files and GitHub annotations for a failing worker, and keeps the exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-reporter-'));
    const junit = join(dir, 'out.xml');
    const tap = join(dir, 'out.tap');
    const { code, out } = await runCli(['check', ...buggyWorker, '--runs', '20', '--seed', '1', '--reporter', `junit=${junit}`, '--reporter', `tap=${tap}`, '--reporter', 'github']);
    expect(code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toMatch(/<testsuite [^>]*failures="[1-9]/);
    expect(xml).toContain('replay: gradcheck check');
    expect(readFileSync(tap, 'utf8')).toMatch(/^TAP version 13\n1\.\.\d+\n/);
    expect(readFileSync(tap, 'utf8')).toMatch(/^not ok \d+/m);
    expect(out).toMatch(/^::error file=examples\/python\/numpy_buggy\.py,line=1,title=[^:]*::/m);
  });

  it('reports a passing run as passing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-reporter-'));
    const junit = join(dir, 'pass.xml');
    const { code } = await runCli(['check', ...mlpWorker, '--runs', '10', '--seed', '2', '--reporter', `junit=${junit}`]);
    expect(code).toBe(0);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite [^>]*failures="0"/);
  });

  it('rejects an unknown reporter with the valid forms, exit 2', async () => {
    const { code, err } = await runCli(['check', ...mlpWorker, '--reporter', 'xml=out.xml']);
    expect(code).toBe(2);
    expect(err).toContain('unknown reporter "xml"; expected junit=<file>, tap=<file> or github.');
  });

  it('says which report could not be written, exit 2', async () => {
    const { code, err } = await runCli(['check', ...mlpWorker, '--runs', '3', '--seed', '2', '--reporter', 'junit=package.json/sub/out.xml']);
    expect(code).toBe(2);
    expect(err).toMatch(/^gradcheck: --reporter junit=package\.json\/sub\/out\.xml: cannot be written: /m);
  });
});
