// Every output sample in README.md and docs/ is what the tool prints today (scripts/samples.ts):
// a sample that drifted fails here, and `npm run samples` rewrites it from the real tool.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS, ROOT, findSamples, produce } from '../../scripts/samples.js';

const samples = DOCUMENTS.flatMap((file) => findSamples(file, readFileSync(`${ROOT}${file}`, 'utf8')));

describe('documentation samples', () => {
  it('there are samples to check', () => {
    expect(samples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(samples.map((s) => [`${s.file}:${s.at + 1}`, s] as const))('%s matches the tool', (_, sample) => {
    expect(produce(sample)).toBe(sample.current);
  });
});
