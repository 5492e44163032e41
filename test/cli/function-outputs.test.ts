// A function worker's run (`gradcheck check --function …`) takes --reporter and --html like a network
// run: one test per check (`conv1d vjp`), annotations on the worker's script, the CLI's own replay line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearRunnerEnv, PYTHON, runCli, spawnCli } from './check-harness.js';
import { SKIP_WITHOUT_XMLLINT, validateJUnit } from './junit-xsd.js';

beforeEach(clearRunnerEnv);

const correct = [PYTHON, 'examples/python/functions/numpy_layers.py'];
const buggy = [PYTHON, 'examples/python/functions/numpy_layers_buggy.py'];

describe('function workers: --reporter and --html', () => {
  it('a failing check: a JUnit failure and a TAP point named by the check, an ::error on the script with the CLI replay line, an HTML page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-function-outputs-'));
    const [junit, tap, html] = [join(dir, 'r', 'f.xml'), join(dir, 'f.tap'), join(dir, 'h', 'f.html')];
    const { code, out, err } = await runCli(['check', '--runs', '5', '--seed', '1', '--function', 'conv1d', '--reporter', `junit=${junit}`, '--reporter', `tap=${tap}`, '--reporter', 'github', '--html', html, ...buggy]);
    expect(code).toBe(1);
    expect(err).toBe('');
    const replay = `gradcheck check --function conv1d --seed 1 --path 0:0:0:0:0 -- ${PYTHON} examples/python/functions/numpy_layers_buggy.py`;
    expect(out).toContain(`replay: ${replay}`);
    const xml = readFileSync(junit, 'utf8');
    expect([...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1])).toEqual(['conv1d vjp']);
    expect(xml).toMatch(/<testsuite name="gradcheck check: numpy-layers-buggy" tests="1" failures="1" errors="0" skipped="0" time="[\d.]+" timestamp="[\dT:-]+" hostname="[^"]+">/);
    expect(xml).toContain(`replay: ${replay}</failure>`);
    expect(xml).not.toContain('GRADCHECK_SEED');
    if (!SKIP_WITHOUT_XMLLINT) expect(validateJUnit(xml)).toEqual({ valid: true, errors: [] });
    expect(readFileSync(tap, 'utf8').split('\n').slice(0, 4)).toEqual(['TAP version 13', '1..1', '# gradcheck check: numpy-layers-buggy', 'not ok 1 - conv1d vjp: C=1, L=4, O=1, K=2, regime unit, values seed 0: x 1×4, w 1×1×2, b 1']);
    const annotations = out.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0].startsWith('::error file=examples/python/functions/numpy_layers_buggy.py,line=1,title=gradcheck%3A numpy-layers-buggy%3A conv1d vjp%3A wrong::conv1d vjp: FAIL after 1 case')).toBe(true);
    expect(annotations[0].endsWith(`%0Areplay: ${replay}`)).toBe(true);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).not.toContain('<script');
    expect(page).toContain('<title>gradcheck check: numpy-layers-buggy</title>');
    expect(page).toContain('data-check="conv1d vjp"');
    expect(page).toContain(`<code>${replay}</code>`);
    expect(page).toContain('<figure class="map" data-tensor="x">');
  });

  it('passing checks: JUnit passes, one ::notice, and an HTML page without drawn cases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-function-outputs-'));
    const [junit, html] = [join(dir, 'f.xml'), join(dir, 'f.html')];
    const { code, out, err } = await runCli(['check', '--runs', '2', '--seed', '1', '--function', 'tanh', '--reporter', `junit=${junit}`, '--reporter', 'github', '--html', html, ...correct]);
    expect([code, err]).toEqual([0, '']);
    const xml = readFileSync(junit, 'utf8');
    expect([...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1])).toEqual(['tanh vjp', 'tanh jvp']);
    expect(xml).toMatch(/tests="2" failures="0" errors="0"/);
    expect(out.split('\n').filter((l) => l.startsWith('::'))).toEqual([expect.stringMatching(/^::notice file=examples\/python\/functions\/numpy_layers\.py,line=1,title=gradcheck%3A numpy-layers%3A every check passed::tanh vjp: /)]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('data-check="tanh jvp"');
    expect(page).not.toContain('<figure class="map"');
  });

  it('--json-cases gets no cases from a function worker (yet), and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-function-outputs-'));
    const { code, err } = await runCli(['check', '--runs', '1', '--seed', '1', '--function', 'tanh', '--json-cases', join(dir, 'c.ndjson'), ...correct]);
    expect(code).toBe(0);
    expect(err).toBe('gradcheck: --json-cases gets no cases from a worker of functions (yet), only its header line; --json holds every check\n');
    expect(readFileSync(join(dir, 'c.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(1);
  });

  it("--json's message is the printed text, with the CLI's replay line, not the runner's GRADCHECK_SEED wording", async () => {
    const { code, out } = await runCli(['check', '--runs', '5', '--seed', '1', '--function', 'conv1d', '--json', '-', ...buggy]);
    expect(code).toBe(1);
    const check = JSON.parse(out).checks[0];
    expect(check.message).toContain(`\nreplay: ${check.replay}`);
    expect(check.message).not.toContain('GRADCHECK_SEED');
  });

  it('an interrupted run still writes its reports: the checks finished before it, and an interrupted test', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-function-outputs-'));
    const junit = join(dir, 'i.xml');
    const { child, exited, output } = spawnCli(['check', '--runs', '1', '--seed', '1', '--reporter', `junit=${junit}`, '--', PYTHON, 'test/functions/workers/big_function_worker.py']);
    for (const end = Date.now() + 20_000; !output().out.includes('1 function: gate') && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1_000));
    child.kill('SIGINT');
    const { code } = await exited;
    expect(code).toBe(130);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="gradcheck check: big-gate" tests="1" failures="0" errors="1" /);
    expect(xml).toMatch(/<testcase classname="gradcheck.big-gate" name="interrupted">\n {6}<error type="interrupted" message="interrupted \(SIGINT\) after 0 checks">INTERRUPTED: gate vjp: case 1 stopped /);
    if (!SKIP_WITHOUT_XMLLINT) expect(validateJUnit(xml)).toEqual({ valid: true, errors: [] });
  }, 40_000);
});
