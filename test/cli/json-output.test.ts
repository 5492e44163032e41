// The streamed --json document: always one valid JSON object (no case, many cases, header fields
// first), moved over FILE only when finished, and no temporary file left behind.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonOutput } from '../../src/cli/json-output.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-json-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JsonOutput', () => {
  it.each([0, 1, 3])('with %i cases: one valid document, header fields first, cases in order', (n) => {
    const file = join(dir, `doc-${n}.json`);
    const out = new JsonOutput(file, { format: 'gradcheck-check/1' });
    for (let k = 0; k < n; k++) out.addCase({ run: k + 1, values: new Float64Array([k, 0.1]) });
    expect(existsSync(file)).toBe(false); // not before it is finished
    out.finish({ verdict: 'pass', runs: n });
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['format', 'cases', 'verdict', 'runs']);
    expect(doc.cases).toEqual(Array.from({ length: n }, (_, k) => ({ run: k + 1, values: [k, 0.1] })));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('removes an older file at once, and leaves none when abandoned', () => {
    const file = join(dir, 'old.json');
    writeFileSync(file, '{"verdict": "pass"}');
    const out = new JsonOutput(file);
    expect(existsSync(file)).toBe(false);
    out.addCase({ run: 1 });
    out.abandon();
    out.abandon(); // idempotent
    expect(readdirSync(dir).filter((f) => f.startsWith('.old.json'))).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });
});
