// `gradcheck fixtures --reporter …`: one test per fixture, named by its file; annotations on the fixture.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearRunnerEnv, ROOT, runCli } from './check-harness.js';
import { SKIP_WITHOUT_XMLLINT, validateJUnit } from './junit-xsd.js';

beforeEach(clearRunnerEnv);

const bundled = readdirSync(join(ROOT, 'fixtures')).filter((f) => f.endsWith('.json')).sort();

describe('gradcheck fixtures --reporter', () => {
  it('the bundled fixtures: one passing test per fixture file, a TAP point each, one ::notice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-fixtures-reporter-'));
    const { code, out } = await runCli(['fixtures', '--reporter', `junit=${join(dir, 'out', 'f.xml')}`, '--reporter', `tap=${join(dir, 'f.tap')}`, '--reporter', 'github']);
    expect(code).toBe(0);
    const xml = readFileSync(join(dir, 'out', 'f.xml'), 'utf8');
    expect([...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1])).toEqual(bundled);
    expect(xml).toMatch(/<testsuite name="gradcheck fixtures" tests="5" failures="0" errors="0" skipped="0" time="[\d.]+" timestamp="[\dT:-]+" hostname="[^"]+">/);
    expect(xml).toContain('<property name="replay" value="gradcheck fixtures"/>');
    const tap = readFileSync(join(dir, 'f.tap'), 'utf8').split('\n');
    expect(tap.slice(0, 3)).toEqual(['TAP version 13', `1..${bundled.length}`, '# gradcheck fixtures']);
    expect(tap.filter((l) => /^ok \d+ - /.test(l))).toHaveLength(bundled.length);
    expect(out.split('\n').filter((l) => l.startsWith('::'))).toEqual([expect.stringMatching(/^::notice title=gradcheck%3A fixtures%3A every check passed::5 fixtures: 5 reproduce; .*%0Areplay: gradcheck fixtures$/)]);
  });

  it('a malformed fixture is an error test and an ::error annotation on its file (exit 2); the valid one passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-fixtures-reporter-'));
    copyFileSync(join(ROOT, 'test/fixtures/malformed/not-json.json'), join(dir, 'broken.json'));
    copyFileSync(join(ROOT, 'fixtures', bundled[0]), join(dir, bundled[0]));
    const junit = join(dir, 'f.xml');
    const { code, out } = await runCli(['fixtures', '--dir', dir, '--reporter', `junit=${junit}`, '--reporter', 'github']);
    expect(code).toBe(2);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="gradcheck fixtures" tests="2" failures="0" errors="1" /);
    expect(xml).toMatch(/<testcase classname="gradcheck.fixtures" name="broken.json">\n {6}<error type="error" message="[^"]*broken.json"/);
    const annotations = out.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0].startsWith(`::error file=${join(dir, 'broken.json')},line=1,title=gradcheck%3A fixtures%3A broken.json%3A error::`)).toBe(true);
    expect(annotations[0]).toContain('MALFORMED: ');
    expect(annotations[0].endsWith(`%0Areplay: gradcheck fixtures --dir ${dir}`)).toBe(true);
    if (!SKIP_WITHOUT_XMLLINT) expect(validateJUnit(xml)).toEqual({ valid: true, errors: [] });
  });
});
