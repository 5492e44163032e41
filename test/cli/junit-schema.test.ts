// The JUnit report against the schema Jenkins reads it with: junit-10.xsd of the xunit plugin,
// https://github.com/jenkinsci/xunit-plugin/blob/master/src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd
// (GitLab reads the same Ant/Surefire shape). xmllint is not installed here, so the rules of that
// schema are written out below and checked on a tree parsed by Python's expat: for each element, its
// allowed children, its attributes (required ones marked) and SUREFIRE_TIME's pattern for `time`.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runTiming, toJUnit, type CheckDocument } from '../../src/cli/reporters/index.js';
import { PYTHON } from './check-harness.js';

interface Rule {
  readonly children: readonly string[];
  readonly required: readonly string[];
  readonly optional: readonly string[];
  readonly text?: boolean;
}

/** junit-10.xsd, element by element (the rerun and flaky elements left out: gradcheck writes none). */
const SCHEMA: Record<string, Rule> = {
  testsuites: { children: ['testsuite'], required: [], optional: ['name', 'time', 'tests', 'failures', 'errors'] },
  testsuite: { children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'], required: ['name', 'tests', 'failures', 'errors'], optional: ['group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'] },
  properties: { children: ['property'], required: [], optional: [] },
  property: { children: [], required: ['name', 'value'], optional: [] },
  testcase: { children: ['skipped', 'error', 'failure', 'system-out', 'system-err'], required: ['name'], optional: ['time', 'classname', 'group'] },
  failure: { children: [], required: [], optional: ['type', 'message'], text: true },
  error: { children: [], required: [], optional: ['type', 'message'], text: true },
  skipped: { children: [], required: [], optional: ['type', 'message'], text: true },
  'system-out': { children: [], required: [], optional: [], text: true },
  'system-err': { children: [], required: [], optional: [], text: true },
};
/** SUREFIRE_TIME, anchored as XSD patterns are. */
const SUREFIRE_TIME = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$/;

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

/** Every violation of the schema, as `path: problem`. */
export function violations(e: XmlElement, path = e.tag): string[] {
  const rule = SCHEMA[e.tag];
  if (!rule) return [`${path}: element not in the schema`];
  const out: string[] = [];
  for (const a of rule.required) if (!(a in e.attrib)) out.push(`${path}: missing required attribute ${a}`);
  for (const a of Object.keys(e.attrib)) if (![...rule.required, ...rule.optional].includes(a)) out.push(`${path}: attribute ${a} not allowed`);
  if ('time' in e.attrib && (e.tag === 'testsuite' || e.tag === 'testsuites') && !SUREFIRE_TIME.test(e.attrib.time)) out.push(`${path}: time ${e.attrib.time} is not a SUREFIRE_TIME`);
  for (const c of e.children) {
    if (!rule.children.includes(c.tag)) out.push(`${path}: child ${c.tag} not allowed`);
    else out.push(...violations(c, `${path}/${c.tag}`));
  }
  return out;
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

describe('the JUnit report against junit-10.xsd', () => {
  it('the validator catches what the schema forbids', () => {
    const bad = parse('<testsuites skipped="1"><testsuite name="s" tests="1" time="1e-3"><testcase/></testsuite></testsuites>');
    expect(violations(bad)).toEqual([
      'testsuites: attribute skipped not allowed',
      'testsuites/testsuite: missing required attribute failures',
      'testsuites/testsuite: missing required attribute errors',
      'testsuites/testsuite: time 1e-3 is not a SUREFIRE_TIME',
      'testsuites/testsuite/testcase: missing required attribute name',
    ]);
  });

  it('a failing run is valid, with time, timestamp and hostname', () => {
    const xml = toJUnit(base);
    const root = parse(xml);
    expect(violations(root)).toEqual([]);
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
      expect(violations(parse(toJUnit(doc)))).toEqual([]);
    }
  });

  it('runTiming: ISO 8601 start without zone, seconds elapsed, the host', () => {
    expect(runTiming(new Date('2026-01-02T03:04:05.999Z'), hostname(), new Date('2026-01-02T03:04:06.999Z'))).toEqual({ timestamp: '2026-01-02T03:04:05', hostname: hostname(), seconds: 1 });
  });
});
