// The CI reporters and the JSON Schemas, on real output: `gradcheck check --json` run on the bundled
// NumPy workers (buggy, correct, one that crashes mid-run, one that cannot start), and a real exchange
// with examples/python/numpy_mlp.py for the protocol schema. XML is read back by Python's expat
// parser, so escaping is judged by a real XML reader, not by the code that escapes.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Ajv2020 from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { lineNaming, workerFile } from '../../src/cli/reporters/github.js';
import { caseForReports, parseReporterSpec, toGithub, toJUnit, toTap, writeReports, type CheckDocument } from '../../src/cli/reporters/index.js';
import { CHECK_RESULT_FORMAT, documentHeader } from '../../src/cli/json-format.js';
import { VERSION } from '../../src/cli/version.js';
import { caseLineSchema, checkResultSchema } from '../../src/cli/check-result-schema.js';
import { PYTHON, RUNNER_ENV, ROOT } from './check-harness.js';

const ajv = new Ajv2020({ allErrors: true });
const schema = (name: string) => JSON.parse(readFileSync(join(ROOT, 'schemas', name), 'utf8')) as object;
const validateResult = ajv.compile(schema('check-result.schema.json'));
const validateMessage = ajv.compile(schema('protocol.schema.json'));
const validateCaseLine = ajv.compile(schema('check-cases.schema.json'));

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-reporters-'));

/**
 * `gradcheck check <args> --json <file> --json-cases <file>.ndjson`; the document it wrote (`raw`), the
 * same with the streamed cases as `cases` (what check.ts hands the reporters), and its exit code.
 */
function checkJson(name: string, args: string[]): { code: number | null; doc: CheckDocument & Record<string, unknown>; raw: Record<string, unknown> } {
  const env = { ...process.env };
  for (const v of RUNNER_ENV) delete env[v];
  const file = join(dir, `${name}.json`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'check', ...args, '--json', file, '--json-cases', `${file}.ndjson`], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const lines = readFileSync(`${file}.ndjson`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const line of lines) expect(validateCaseLine(line), JSON.stringify(validateCaseLine.errors)).toBe(true);
  // The zod schemas the JSON Schemas are generated from read the same output.
  for (const line of lines) expect(caseLineSchema.safeParse(line).error).toBeUndefined();
  expect(checkResultSchema.safeParse(raw).error).toBeUndefined();
  return { code: r.status, raw, doc: { ...raw, cases: lines.slice(1) } as unknown as CheckDocument & Record<string, unknown> };
}

/** Parses XML with Python's xml.etree (expat): the testsuite's attributes and every testcase's. */
function parseJUnit(xml: string) {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
suites = []
for s in root.iter('testsuite'):
    cases = []
    for c in s.iter('testcase'):
        outcome = [{'tag': o.tag, 'attrib': o.attrib, 'text': o.text} for o in c if o.tag in ('failure', 'error', 'skipped')]
        out = c.find('system-out')
        cases.append({'attrib': c.attrib, 'outcome': outcome[0] if outcome else None, 'out': out.text if out is not None else None})
    props = {p.get('name'): p.get('value') for p in s.iter('property')}
    suites.append({'attrib': s.attrib, 'properties': props, 'cases': cases})
print(json.dumps({'root': root.tag, 'attrib': root.attrib, 'suites': suites}))
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout) as {
    root: string;
    attrib: Record<string, string>;
    suites: Array<{ attrib: Record<string, string>; properties: Record<string, string>; cases: Array<{ attrib: Record<string, string>; out: string | null; outcome: { tag: string; attrib: Record<string, string>; text: string | null } | null }> }>;
  };
}

const unescapeData = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

let buggy: ReturnType<typeof checkJson>;
let correct: ReturnType<typeof checkJson>;
let crashed: ReturnType<typeof checkJson>;
let unstartable: ReturnType<typeof checkJson>;
let declining: ReturnType<typeof checkJson>;

beforeAll(() => {
  buggy = checkJson('buggy', [PYTHON, 'examples/python/numpy_buggy.py', '--runs', '5', '--seed', '1']);
  correct = checkJson('correct', [PYTHON, 'examples/python/numpy_mlp.py', '--runs', '4', '--seed', '1']);
  crashed = checkJson('crashed', [PYTHON, 'test/workers/fault_worker.py', 'crash-second', '--runs', '5', '--seed', '1']);
  unstartable = checkJson('unstartable', ['no-such-gradcheck-worker', 'x.py']);
  declining = checkJson('declining', [PYTHON, 'test/workers/supports_worker.py', 'declines', '--runs', '20', '--seed', '1']);
}, 240_000);

describe('schemas/check-result.schema.json', () => {
  it('accepts what `gradcheck check --json` writes: a failure, a pass, a crash mid-run, a worker that cannot start, declined cases', () => {
    expect([buggy.code, correct.code, crashed.code, unstartable.code, declining.code]).toEqual([1, 0, 2, 2, 0]);
    expect(declining.doc.unsupported).toMatchObject({ count: expect.any(Number) as number });
    for (const { raw } of [buggy, correct, crashed, unstartable, declining]) {
      expect(validateResult(raw), JSON.stringify(validateResult.errors)).toBe(true);
    }
    // The failing random case is kept in full, and listed with the path that replays it.
    const notable = buggy.raw.notableCases as { listed: { run: number; path: string; verdict: string }[]; inFull: { run: number }[] };
    const failing = notable.listed.find((c) => c.verdict === 'fail')!;
    expect(failing.path).toBe(String(failing.run - 1));
    expect(notable.inFull.map((c) => c.run)).toContain(failing.run);
    expect(buggy.raw.caseTally).toMatchObject({ checked: buggy.doc.cases.length, fail: 1 });
  });

  it('fixes the format tag that documentHeader gives, and takes the version with it', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(documentHeader(CHECK_RESULT_FORMAT)).toEqual({ format: 'gradcheck-check/2', version });
    expect(VERSION).toBe(version);
    expect(validateResult({ ...correct.raw, ...documentHeader(CHECK_RESULT_FORMAT) })).toBe(true);
    expect(validateResult({ ...correct.raw, format: 'gradcheck-check/1' })).toBe(false);
  });

  it('rejects documents that break it', () => {
    const broken = [
      { ...buggy.raw, verdict: 'maybe' },
      { ...buggy.raw, exitCode: '1' },
      { ...correct.raw, exitCode: 1 }, // a pass exits 0
      { ...buggy.raw, notableCases: { count: 1, listed: [], inFull: [{ ...buggy.doc.cases[0], run: 0 }] } },
      Object.fromEntries(Object.entries(correct.raw).filter(([k]) => k !== 'caseTally')),
    ];
    for (const doc of broken) {
      expect(validateResult(doc)).toBe(false);
      expect(checkResultSchema.safeParse(doc).success).toBe(false);
    }
  });
});

describe('schemas/protocol.schema.json', () => {
  it("accepts every line of a real exchange with the bundled NumPy worker, both ways (docs/protocol.md's example)", async () => {
    const exchange = readFileSync(join(ROOT, 'docs/protocol.md'), 'utf8').split('\n').filter((l) => /^→ \{/.test(l)).map((l) => l.slice(2));
    expect(exchange.map((l) => (JSON.parse(l) as { op: string }).op)).toEqual(['gradients', 'loss', 'shutdown']);
    const worker = spawn(PYTHON, ['examples/python/numpy_mlp.py'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'ignore'] });
    const lines = createInterface({ input: worker.stdout! })[Symbol.asyncIterator]();
    const received: unknown[] = [JSON.parse((await lines.next()).value as string)];
    for (const request of exchange) {
      worker.stdin!.write(`${request}\n`);
      if (!request.includes('"shutdown"')) received.push(JSON.parse((await lines.next()).value as string));
    }
    const [code] = (await once(worker, 'close')) as [number];
    expect(code).toBe(0);
    expect(received).toHaveLength(3);
    expect(received[0]).toMatchObject({ protocol: 1, name: 'numpy-mlp' });
    for (const message of [...received, ...exchange.map((l) => JSON.parse(l) as unknown)]) {
      expect(validateMessage(message), `${JSON.stringify(message).slice(0, 120)}: ${JSON.stringify(validateMessage.errors)}`).toBe(true);
    }
  });

  it('rejects the faulty messages of docs/protocol.md', () => {
    const faulty = [
      { protocol: 2, name: 'w', capabilities: ['gradients'] },
      { protocol: 1, name: 'w', capabilities: ['loss'] },
      { protocol: 1, name: '', capabilities: ['gradients'] },
      { protocol: 1, name: 'w', capabilities: ['gradients'], conventions: { returns: 'update' } },
      { protocol: 1, name: 'w', capabilities: ['gradients'], conventions: { weightLayot: 'out-in' } },
      { id: 1, results: [], error: 'both' },
      { id: 1 },
      { id: 'one', results: [] },
      { id: 1, op: 'gradients' },
      { id: 4, results: [{ case: 5, parameters: [{ W: [['abc']] }] }] },
      { id: 4, results: [{ case: 5, unsupported: 'relu', error: 'both' }] },
      { protocol: 1, name: 'w', capabilities: ['gradients'], supports: { activations: ['softmax'] } },
    ];
    const accepted = [
      { protocol: 1, name: 'w', capabilities: ['gradients'], supports: { activations: ['sigmoid'], bias: 'mixed', maxDepth: 3 } },
      { id: 4, results: [{ case: 5, unsupported: 'relu layers are not implemented' }] },
    ];
    for (const message of accepted) expect(validateMessage(message), JSON.stringify(validateMessage.errors)).toBe(true);
    for (const message of faulty) expect(validateMessage(message), JSON.stringify(message)).toBe(false);
  });
});

describe('parseReporterSpec', () => {
  it('reads junit=<file>, tap=<file> and github', () => {
    expect(parseReporterSpec('junit=out/results.xml')).toEqual({ kind: 'junit', file: 'out/results.xml' });
    expect(parseReporterSpec('tap=a=b.tap')).toEqual({ kind: 'tap', file: 'a=b.tap' });
    expect(parseReporterSpec('github')).toEqual({ kind: 'github' });
  });

  it('rejects anything else, listing the valid forms', () => {
    expect(() => parseReporterSpec('xml=out.xml')).toThrow('unknown reporter "xml"; expected junit=<file>, tap=<file> or github.');
    expect(() => parseReporterSpec('junit')).toThrow('junit needs the file to write: junit=<file>; expected junit=<file>, tap=<file> or github.');
    expect(() => parseReporterSpec('tap=')).toThrow('tap needs the file to write: tap=<file>; expected junit=<file>, tap=<file> or github.');
    expect(() => parseReporterSpec('github=x')).toThrow('github writes to stdout and takes no file; expected junit=<file>, tap=<file> or github.');
  });
});

describe('the JUnit reporter', () => {
  it('has one testsuite, a testcase per random case and one for the counterexample, the failure with its mismatch and replay line', () => {
    const { doc } = buggy;
    const junit = parseJUnit(toJUnit(doc));
    expect(junit.root).toBe('testsuites');
    expect(junit.suites).toHaveLength(1);
    const [suite] = junit.suites;
    expect(suite.attrib).toMatchObject({ name: 'gradcheck check: numpy-buggy', tests: String(doc.cases.length + 1), failures: String(doc.cases.filter((c) => c.verdict === 'fail').length + 1), errors: '0' });
    expect(suite.properties).toMatchObject({ seed: '1', replay: doc.replay });
    expect(suite.cases).toHaveLength(doc.cases.length + 1);
    const failing = suite.cases.find((c) => c.outcome?.tag === 'failure' && c.attrib.name.startsWith('run '))!;
    // Stable names: the run's number; what it drew goes into system-out.
    expect(failing.attrib.name).toMatch(/^run \d+$/);
    expect(failing.out).toMatch(/^run \d+: \[.*\], batch \d+, MSE \w+/);
    expect(failing.attrib.classname).toBe('gradcheck.numpy-buggy');
    expect(failing.outcome!.attrib.message).toMatch(/^mismatch: layer \d+ [Wbx]\[\d+,\d+\] \(\w+\): claimed .*, numeric .* > tolerance /);
    // The failing case's own replay line: its run's path (run − 1) with the run's seed, the CLI's words.
    const run = Number(failing.attrib.name.slice(4));
    expect(failing.outcome!.text).toContain(`\nreplay: ${doc.replay!.replace(/ --path \S+/, ` --path ${run - 1}`)}`);
    expect(failing.outcome!.text).not.toContain('GRADCHECK_SEED');
    const shrunk = suite.cases.at(-1)!;
    expect(shrunk.attrib.name).toBe('counterexample (shrunk)');
    expect(shrunk.out).toBe(`counterexample (shrunk): ${doc.counterexample!.description}`);
    expect(suite.properties.counterexample).toBe(doc.counterexample!.description);
    expect(shrunk.outcome!.text).toBe(doc.message);
  });

  it('passes every case of a correct worker', () => {
    const [suite] = parseJUnit(toJUnit(correct.doc)).suites;
    expect(suite.attrib).toMatchObject({ tests: '4', failures: '0', errors: '0' });
    expect(suite.cases.every((c) => c.outcome === null)).toBe(true);
  });

  it('reports a worker crash as an error, after the cases checked before it', () => {
    const [suite] = parseJUnit(toJUnit(crashed.doc)).suites;
    const { cases, counterexample } = crashed.doc;
    expect(cases.length).toBeGreaterThan(0);
    // This worker answers its first request wrongly and crashes on the next, while shrinking.
    const failures = cases.filter((c) => c.verdict === 'fail').length + (counterexample ? 1 : 0);
    expect(suite.attrib).toMatchObject({ tests: String(cases.length + (counterexample ? 1 : 0) + 1), failures: String(failures), errors: '1' });
    expect(suite.cases.slice(0, cases.length).map((c) => c.outcome?.tag ?? 'pass')).toEqual(cases.map((c) => (c.verdict === 'fail' ? 'failure' : 'pass')));
    const error = suite.cases.at(-1)!;
    expect(error.outcome!.tag).toBe('error');
    expect(error.outcome!.attrib.message).toBe(crashed.doc.error!.message);
    expect(error.outcome!.attrib.message).toMatch(/exited with code 3/);
  });

  it('escapes <, &, quotes and line breaks so an XML parser reads back the original text', () => {
    const nasty = `a<b & "c" 'd' ]]> e\nf`;
    const doc: CheckDocument = { ...buggy.doc, worker: { ...buggy.doc.worker, name: nasty }, message: `${nasty}\u0001`, replay: `gradcheck check '${nasty}'` };
    const [suite] = parseJUnit(toJUnit(doc)).suites;
    expect(suite.attrib.name).toBe(`gradcheck check: ${nasty}`);
    expect(suite.cases[0].attrib.classname).toBe(`gradcheck.${nasty}`);
    expect(suite.properties.replay).toBe(`gradcheck check '${nasty}'`);
    // U+0001 is not allowed in XML 1.0 at all: it becomes the replacement character.
    expect(suite.cases.at(-1)!.outcome!.text).toBe(`${nasty}\uFFFD`);
  });
});

describe('declined cases', () => {
  it('are counted in a JUnit property and a TAP comment, with their reason', () => {
    const { doc } = declining;
    const { count, reasons } = doc.unsupported!;
    const line = `${count} random cases declined as unsupported: ${reasons.map((r) => `${r.reason} (${r.count})`).join('; ')}`;
    expect(reasons[0].reason).toBe('no ReLU layers');
    expect(parseJUnit(toJUnit(doc)).suites[0].properties.declined).toBe(line);
    expect(toTap(doc).split('\n')).toContain(`# ${line}`);
  });
});

describe('the TAP reporter', () => {
  it('is TAP 13 with a plan, a test point per case and a YAML block with the mismatch and the replay line', () => {
    const { doc } = buggy;
    const lines = toTap(doc).trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['TAP version 13', `1..${doc.cases.length + 1}`, '# gradcheck check: numpy-buggy']);
    const points = lines.filter((l) => /^(not )?ok \d+ - /.test(l));
    expect(points).toHaveLength(doc.cases.length + 1);
    expect(points.map((p) => Number(/ok (\d+)/.exec(p)![1]))).toEqual(points.map((_, i) => i + 1));
    const failing = lines.findIndex((l) => /^not ok \d+ - run /.test(l));
    expect(lines[failing + 1]).toBe('  ---');
    const message = JSON.parse(lines[failing + 2].replace(/^ {2}message: /, '')) as string;
    expect(message).toMatch(/^mismatch: layer \d+ /);
    const run = Number(/^not ok \d+ - run (\d+):/.exec(lines[failing])![1]);
    expect(message).toContain(`replay: ${doc.replay!.replace(/ --path \S+/, ` --path ${run - 1}`)}`);
    expect(lines.at(-1)).toBe('  ...');
  });

  it('passes every point of a correct worker, and escapes # in descriptions', () => {
    const lines = toTap({ ...correct.doc, cases: correct.doc.cases.map((c) => ({ ...c, report: { ...c.report, label: `${c.report.label} # not a directive` } })) }).split('\n');
    const points = lines.filter((l) => /^(not )?ok /.test(l));
    expect(points).toHaveLength(4);
    expect(points.every((p) => p.startsWith('ok ') && p.endsWith('\\# not a directive'))).toBe(true);
  });
});

describe('the GitHub Actions reporter', () => {
  it('prints one ::error command whose message, unescaped, is the printed failure', () => {
    const out = toGithub(buggy.doc);
    expect(out.endsWith('\n')).toBe(true);
    const match = /^::error file=examples\/python\/numpy_buggy\.py,line=1,title=([^:]*)::(.*)\n$/s.exec(out)!;
    expect(match).not.toBeNull();
    expect(match[2]).not.toMatch(/[\r\n]/);
    expect(unescapeData(match[1])).toBe('gradcheck: numpy-buggy: gradients disagree with finite differences');
    expect(unescapeData(match[2])).toBe(buggy.doc.message.trimEnd());
    // The CLI's replay line, as a gradcheck command, not the vitest wording.
    expect(unescapeData(match[2])).toContain(`\nreplay: ${buggy.doc.replay}`);
    expect(unescapeData(match[2])).not.toContain('<your test command>');
  });

  it('file= is the first argument of the worker command that is a file, when there is one', () => {
    expect(workerFile(['python3', '-u', 'examples/python/numpy_mlp.py', '--hidden', '8'])).toBe('examples/python/numpy_mlp.py');
    expect(workerFile(['node', 'no-such-file.js'])).toBeUndefined();
    expect(workerFile(['examples/python/numpy_mlp.py'])).toBeUndefined(); // the program itself is not annotated
  });

  it('lineNaming: the line that names a function as a string or a definition', () => {
    const read = () => 'import numpy\n\ndef conv1d(x):\n    pass\nFUNCTIONS = {"softmax": 1}\n';
    expect(lineNaming('w.py', 'conv1d', read)).toBe(3);
    expect(lineNaming('w.py', 'softmax', read)).toBe(5);
    expect(lineNaming('w.py', 'conv', read)).toBeUndefined();
    expect(lineNaming('no-such-file.py', 'conv1d')).toBeUndefined();
  });

  it('a run of named checks: one annotation per check that did not pass, on its own file and line', () => {
    const doc: CheckDocument = {
      ...correct.doc,
      verdict: 'fail',
      perCheck: true,
      worker: { name: 'fixtures', command: ['gradcheck', 'fixtures'] },
      cases: [
        { run: 1, case: { id: 1, seed: 0 }, verdict: 'pass', name: 'a.json', file: 'fixtures/a.json', message: 'a: reproduces', report: { failures: [] } },
        { run: 2, case: { id: 2, seed: 0 }, verdict: 'fail', name: 'b.json', file: 'fixtures/b.json', message: 'b: misses\nreplay: gradcheck fixtures', report: { failures: [] } },
        { run: 3, case: { id: 3, seed: 0 }, verdict: 'inconclusive', name: 'f vjp', file: 'w.py', line: 7, message: 'f: inconclusive', report: { failures: [] } },
      ],
    };
    expect(toGithub(doc).split('\n')).toEqual([
      '::error file=fixtures/b.json,line=1,title=gradcheck%3A fixtures%3A b.json%3A wrong::b: misses%0Areplay: gradcheck fixtures',
      '::warning file=w.py,line=7,title=gradcheck%3A fixtures%3A f vjp%3A inconclusive::f: inconclusive',
      '',
    ]);
    expect(toGithub({ ...doc, verdict: 'pass', cases: [doc.cases[0]], message: 'PASS: 1 of 1' })).toBe('::notice title=gradcheck%3A fixtures%3A every check passed::PASS: 1 of 1\n');
  });

  it('escapes %, line breaks, and : and , in the title', () => {
    const doc: CheckDocument = { ...buggy.doc, worker: { name: 'w:1,2%', command: ['w'] }, message: '100% wrong\r\nnext' };
    expect(toGithub(doc)).toBe('::error title=gradcheck%3A w%3A1%2C2%25%3A gradients disagree with finite differences::100%25 wrong%0D%0Anext\n');
  });

  it('uses ::notice for a pass and ::error for a worker error', () => {
    expect(toGithub(correct.doc)).toMatch(/^::notice file=examples\/python\/numpy_mlp\.py,line=1,title=gradcheck%3A numpy-mlp%3A gradients agree with finite differences::PASS: /);
    expect(toGithub(unstartable.doc)).toMatch(/^::error title=gradcheck%3A no-such-gradcheck-worker x\.py%3A worker or usage error::/);
  });
});

describe('writeReports', () => {
  it('writes each file and sends github to stdout', () => {
    const out: string[] = [];
    const specs = ['junit=' + join(dir, 'r.xml'), 'tap=' + join(dir, 'r.tap'), 'github'].map(parseReporterSpec);
    writeReports(specs, buggy.doc, { write: (s: string) => out.push(s) });
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toBe(toJUnit(buggy.doc));
    expect(readFileSync(join(dir, 'r.tap'), 'utf8')).toBe(toTap(buggy.doc));
    expect(out).toEqual([toGithub(buggy.doc)]);
  });

  it('writes the same reports from the trimmed cases check.ts keeps (caseForReports) as from the whole document', () => {
    for (const { doc } of [buggy, correct, crashed]) {
      const trimmed = { ...doc, cases: doc.cases.map(caseForReports) };
      expect(JSON.stringify(trimmed).length).toBeLessThan(JSON.stringify(doc).length);
      expect(toJUnit(trimmed)).toBe(toJUnit(doc));
      expect(toTap(trimmed)).toBe(toTap(doc));
    }
  });

  it('names the reporter whose file cannot be written, after writing the others', () => {
    const specs = [parseReporterSpec('junit=package.json/sub/r.xml'), parseReporterSpec('tap=' + join(dir, 'after.tap'))];
    expect(() => writeReports(specs, buggy.doc, { write: () => true })).toThrow(/^--reporter junit=package\.json\/sub\/r\.xml: cannot be written: ENOTDIR/);
    expect(readFileSync(join(dir, 'after.tap'), 'utf8')).toBe(toTap(buggy.doc));
  });
});
