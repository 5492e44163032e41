// The JUnit report against the schema Jenkins reads it with: junit-10.xsd of the xunit plugin
// (test/cli/junit-10.xsd, with its source; GitLab reads the same Ant/Surefire shape), validated by
// `xmllint --schema` (test/cli/junit-xsd.ts). The tree is read back with Python's expat for the attributes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runTiming, toJUnit, type CheckDocument } from '../../src/cli/reporters/index.js';
import { buggyWorker, clearRunnerEnv, mlpWorker, PYTHON, runCli } from './check-harness.js';
import { SKIP_WITHOUT_XMLLINT, validateJUnit } from './junit-xsd.js';

interface XmlElement {
  readonly tag: string;
  readonly attrib: Record<string, string>;
  readonly children: readonly XmlElement[];
}

function parse(xml: string): XmlElement {
  const script = `
import json, sys, xml.etree.ElementTree as ET
def tree(e): return {'tag': e.tag, 'attrib': e.attrib, 'children': [tree(c) for c in e]}
print(json.dumps(tree(ET.fromstring(sys.stdin.buffer.read()))))
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout) as XmlElement;
}

const failure = { tensor: 'W1', layer: 1, kind: 'weight', index: 0, row: 0, col: 0, direction: undefined, claimed: 2, numeric: 1, errorEstimate: 1e-9, absoluteError: 1, relativeError: 0.5, tolerance: 1e-6 };
const base: CheckDocument = {
  verdict: 'fail',
  exitCode: 1,
  worker: { name: 'numpy-buggy', command: ['python3', 'numpy_buggy.py'] },
  runs: 2,
  seed: 42,
  replay: 'gradcheck check python3 numpy_buggy.py --seed 42 --path 1:0',
  cases: [
    { run: 1, case: { id: 1, seed: 7 }, verdict: 'pass', report: { label: '[2 → identity 1], batch 1, MSE sum, seed 7 (case id 1)', failures: [] } },
    { run: 2, case: { id: 2, seed: 8 }, verdict: 'fail', report: { label: '[3 → relu 2], batch 2, MSE mean, seed 8 (case id 2)', failures: [failure as never] } },
  ],
  counterexample: { description: '[1 → identity 1], batch 1, MSE sum', report: { report: { failures: [failure as never] } } },
  message: 'FAIL: numpy-buggy: gradients disagree',
  timing: runTiming(new Date('2026-12-06T20:41:00.250Z'), 'ci-runner-7', new Date('2026-12-06T20:41:12.750Z')),
};

describe.skipIf(SKIP_WITHOUT_XMLLINT)('the JUnit report against junit-10.xsd (xmllint --schema)', () => {
  it('the validator catches what the schema forbids', () => {
    const { valid, errors } = validateJUnit('<testsuites skipped="1"><testsuite name="s" tests="1" time="1e-3"><testcase/><rerunFailure type="x"/></testsuite></testsuites>');
    expect(valid).toBe(false);
    expect(errors.join('\n')).toContain("Element 'testsuites', attribute 'skipped': The attribute 'skipped' is not allowed.");
    expect(errors.join('\n')).toContain("Element 'testsuite', attribute 'time': [facet 'pattern'] The value '1e-3' is not accepted");
    expect(errors.join('\n')).toContain("Element 'testsuite': The attribute 'failures' is required but missing.");
    expect(errors.join('\n')).toContain("Element 'testcase': The attribute 'name' is required but missing.");
    expect(errors.join('\n')).toContain("Element 'rerunFailure': This element is not expected.");
  });

  it('a failing run is valid, with time, timestamp and hostname', () => {
    const xml = toJUnit(base);
    expect(validateJUnit(xml)).toEqual({ valid: true, errors: [] });
    const root = parse(xml);
    expect(root.children[0].attrib).toMatchObject({ time: '12.500', timestamp: '2026-12-06T20:41:00', hostname: 'ci-runner-7', tests: '3', failures: '2', errors: '0', skipped: '0' });
    expect(root.attrib.time).toBe('12.500');
  });

  it('test names are the same for another seed (the drawn case is in system-out, the seed a property)', () => {
    const names = (doc: CheckDocument) => parse(toJUnit(doc)).children[0].children.filter((c) => c.tag === 'testcase').map((c) => c.attrib.name);
    const other: CheckDocument = { ...base, seed: 9, cases: base.cases.map((c) => ({ ...c, case: { id: c.case.id, seed: c.case.seed + 100 }, report: { ...c.report, label: `other ${c.run}` } })), counterexample: { ...base.counterexample!, description: 'another' } };
    expect(names(base)).toEqual(['run 1', 'run 2', 'counterexample (shrunk)']);
    expect(names(other)).toEqual(names(base));
  });

  it('an error, an interrupt and an inconclusive case stay valid', () => {
    for (const doc of [
      { ...base, verdict: 'error' as const, counterexample: null, error: { name: 'Error', message: 'worker crashed' } },
      { ...base, verdict: 'interrupted' as const, interrupted: 'SIGINT', counterexample: null },
      { ...base, verdict: 'inconclusive' as const, counterexample: null, cases: [{ ...base.cases[0], verdict: 'inconclusive' }] },
    ]) {
      expect(validateJUnit(toJUnit(doc))).toEqual({ valid: true, errors: [] });
    }
  });

  it('runTiming: ISO 8601 start without zone, seconds elapsed, the host', () => {
    expect(runTiming(new Date('2026-01-02T03:04:05.999Z'), hostname(), new Date('2026-01-02T03:04:06.999Z'))).toEqual({ timestamp: '2026-01-02T03:04:05', hostname: hostname(), seconds: 1 });
  });
});

describe.skipIf(SKIP_WITHOUT_XMLLINT)('JUnit files the CLI writes, against junit-10.xsd', () => {
  beforeEach(clearRunnerEnv);
  const dir = mkdtempSync(join(tmpdir(), 'gradcheck-junit-'));

  it('gradcheck check: a failing worker and two unseeded runs of a passing one, with the same test names', async () => {
    const failing = join(dir, 'fail.xml');
    expect((await runCli(['check', ...buggyWorker, '--runs', '20', '--seed', '42', '--reporter', `junit=${failing}`])).code).toBe(1);
    expect(validateJUnit(readFileSync(failing, 'utf8'))).toEqual({ valid: true, errors: [] });
    const names: string[][] = [];
    for (const run of ['a', 'b']) {
      const file = join(dir, `pass-${run}.xml`);
      expect((await runCli(['check', ...mlpWorker, '--runs', '3', '--reporter', `junit=${file}`])).code).toBe(0);
      const xml = readFileSync(file, 'utf8');
      expect(validateJUnit(xml)).toEqual({ valid: true, errors: [] });
      names.push([...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1]));
    }
    expect(names[0]).toEqual(['run 1', 'run 2', 'run 3']);
    expect(names[1]).toEqual(names[0]);
  }, 60_000);

  it('gradcheck example', async () => {
    const file = join(dir, 'example.xml');
    expect((await runCli(['example', '--reporter', `junit=${file}`])).code).toBe(0);
    expect(validateJUnit(readFileSync(file, 'utf8'))).toEqual({ valid: true, errors: [] });
  });
});
