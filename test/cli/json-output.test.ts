// The --json document: one valid JSON object, header fields first, moved over FILE only when finished,
// no temporary file left behind; `-` writes to stdout. The --json-cases stream: NDJSON, a header line
// then one line per case, each on disk as soon as it is added. The notable cases: a tally of every
// case, the notable ones listed with the path that replays them, and bounded whatever the number of runs.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseStream, JsonOutput } from '../../src/cli/json-output.js';
import { IN_FULL_BUDGET, MAX_LISTED, NotableCases } from '../../src/cli/notable-cases.js';
import type { RunReport } from '../../src/cli/case-recorder.js';
import type { CaseLine } from '../../src/cli/check-result-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-json-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JsonOutput', () => {
  it('one valid document, header fields first, Float64Arrays as arrays, nothing before it is finished', () => {
    const file = join(dir, 'doc.json');
    const out = new JsonOutput(file, { format: 'gradcheck-check/2' });
    expect(existsSync(file)).toBe(false); // not before it is finished
    out.finish({ verdict: 'pass', runs: 3, values: new Float64Array([1, 0.1]), none: undefined });
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc).toEqual({ format: 'gradcheck-check/2', verdict: 'pass', runs: 3, values: [1, 0.1], none: null });
    expect(Object.keys(doc)[0]).toBe('format');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('removes an older file at once, and leaves none when abandoned', () => {
    const file = join(dir, 'old.json');
    writeFileSync(file, '{"verdict": "pass"}');
    const out = new JsonOutput(file);
    expect(existsSync(file)).toBe(false);
    out.abandon();
    out.abandon(); // idempotent
    expect(readdirSync(dir).filter((f) => f.startsWith('.old.json'))).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });

  it('`-` writes the document to stdout and no file', () => {
    const written: string[] = [];
    new JsonOutput('-', { format: 'f' }).finish({ verdict: 'fail' }, { write: (s: string) => written.push(s) });
    expect(JSON.parse(written.join(''))).toEqual({ format: 'f', verdict: 'fail' });
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });
});

describe('CaseStream', () => {
  it('writes a header line, then each case on its own line as it is added', () => {
    const file = join(dir, 'cases.ndjson');
    const stream = new CaseStream(file, { format: 'gradcheck-check-cases/1' });
    stream.add({ run: 1, values: new Float64Array([2]) });
    // On disk before the stream is closed: an interrupted run keeps what it checked.
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))).toEqual([{ format: 'gradcheck-check-cases/1' }, { run: 1, values: [2] }]);
    stream.add({ run: 2 });
    stream.close();
    stream.close(); // idempotent
    stream.add({ run: 3 }); // ignored once closed
    expect(readFileSync(file, 'utf8')).toBe('{"format":"gradcheck-check-cases/1"}\n{"run":1,"values":[2]}\n{"run":2}\n');
  });
});

/** A stand-in for a case's full record (NotableCases keeps it as given). */
const record = (fields: object) => () => fields as CaseLine;

/** A run report with the fields NotableCases reads. */
function runReport(run: number, verdict: 'pass' | 'fail' | 'inconclusive', unresolved = 0): RunReport {
  const counts = { checked: 10, failed: verdict === 'fail' ? 1 : 0, skipped: 0, unresolved };
  return { run, report: { verdict, case: { seed: 1000 + run }, report: { counts } } } as unknown as RunReport;
}

describe('NotableCases', () => {
  it('tallies every case; lists the failing and unresolved ones with their path (run − 1) and keeps them in full', () => {
    const notable = new NotableCases(undefined);
    const verdicts = ['pass', 'inconclusive', 'pass', 'pass', 'fail'] as const;
    verdicts.forEach((v, k) => notable.add(runReport(k + 1, v, v === 'inconclusive' ? 2 : 0), record({ run: k + 1 })));
    notable.add(runReport(6, 'pass', 1), record({ run: 6 })); // passes, yet has an unresolved entry
    const f = notable.fields('gradcheck check w --seed 1 --path <path>');
    expect(f.caseTally).toEqual({ checked: 6, pass: 4, fail: 1, inconclusive: 1, withUnresolved: 2 });
    expect(f.notableCases).toEqual({
      count: 3,
      listed: [
        { run: 2, path: '1', caseSeed: 1002, verdict: 'inconclusive', failed: 0, unresolved: 2 },
        { run: 5, path: '4', caseSeed: 1005, verdict: 'fail', failed: 1, unresolved: 0 },
        { run: 6, path: '5', caseSeed: 1006, verdict: 'pass', failed: 0, unresolved: 1 },
      ],
      inFull: [{ run: 2 }, { run: 5 }, { run: 6 }],
    });
  });

  it('a run that replayed a --path knows no path of its own cases', () => {
    const notable = new NotableCases('3:1');
    notable.add(runReport(1, 'fail'), record({}));
    expect(notable.fields(null).notableCases.listed[0].path).toBeNull();
  });

  it('stays bounded: at most MAX_LISTED listed, full records within the budget, a failure always kept', () => {
    const notable = new NotableCases(undefined);
    const big = 'x'.repeat(IN_FULL_BUDGET / 4);
    for (let run = 1; run <= 10_000; run++) notable.add(runReport(run, 'inconclusive', 1), record({ big }));
    notable.add(runReport(10_001, 'fail'), record({ big, failing: true }));
    const f = notable.fields(null);
    expect(f.notableCases.count).toBe(10_001);
    expect(f.notableCases.listed).toHaveLength(MAX_LISTED);
    expect(f.notableCases.inFull.length).toBeLessThan(6);
    expect((f.notableCases.inFull.at(-1) as { failing?: boolean }).failing).toBe(true);
    expect(JSON.stringify(f).length).toBeLessThan(100_000);
  });
});
