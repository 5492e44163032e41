// `npm run test:fast` leaves out the slow test files vitest.config.ts lists; an entry that names no
// file (a file renamed or removed) would silently bring that file back into the fast loop, or mean
// nothing at all, so each must name a test file that exists.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOW_TESTS } from '../../vitest.config.js';

const REPO = resolve(import.meta.dirname, '../..');

describe("test:fast's list of slow test files", () => {
  it.each(SLOW_TESTS)('%s names test files that exist', (entry) => {
    if (entry.endsWith('/**')) {
      const folder = join(REPO, entry.slice(0, -3));
      expect(readdirSync(folder).filter((name) => name.endsWith('.test.ts')).length).toBeGreaterThan(0);
    } else {
      expect(entry).toMatch(/\.test\.ts$/);
      expect(existsSync(join(REPO, entry))).toBe(true);
    }
  });

  it('is what `npm run test:fast` runs vitest with (mode fast), while `npm test` runs everything', () => {
    const { scripts } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['test:fast']).toBe('vitest run --mode fast');
    expect(scripts.test).toBe('vitest run');
  });
});
