// `gradcheck python-path` prints the shipped wheel's absolute path (for pip install "$(npx gradcheck
// python-path)"), and says how to build it when a checkout has none.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'gradcheck-pypath-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
vi.mock('../../src/cli/package-root.js', () => ({ bundled: (...parts: string[]) => join(root, ...parts) }));
const { runCli } = await import('../cli/check-harness.js');

describe('gradcheck python-path', () => {
  it('without a built wheel exits 2 saying how to build one', async () => {
    const { code, out, err } = await runCli(['python-path']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`gradcheck: python-path: no wheel of gradcheck's Python package in ${join(root, 'dist', 'python')}; build it with npm run build (or node scripts/build-wheel.mjs)\n`);
  });

  it("prints the wheel's absolute path", async () => {
    mkdirSync(join(root, 'dist', 'python'), { recursive: true });
    writeFileSync(join(root, 'dist', 'python', 'gradcheck-0.1.0-py3-none-any.whl'), '');
    const { code, out, err } = await runCli(['python-path']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(`${join(root, 'dist', 'python', 'gradcheck-0.1.0-py3-none-any.whl')}\n`);
  });
});
