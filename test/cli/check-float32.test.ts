// A float32 NumPy worker (examples/python/numpy_float32.py) through the CLI: declared float32 it is
// never failed, in reference and self mode; a bias gradient 1% off is still caught; and declared
// float64 (--precision), its float32 rounding is too large for float64 tolerances, and the text and
// --json say it looks like float32 arithmetic, with the flag that declares it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PYTHON, clearRunnerEnv, lineOf, runCli } from './check-harness.js';

const float32Worker = [PYTHON, 'examples/python/numpy_float32.py'];

beforeEach(clearRunnerEnv);
const dir = mkdtempSync(join(tmpdir(), 'gradcheck-float32-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gradcheck check on a float32 NumPy worker', () => {
  it.each(['reference', 'self'])('passes its correct gradients in %s mode (the handshake declares float32)', async (mode) => {
    const { code, out } = await runCli(['check', ...float32Worker, '--mode', mode, '--runs', '150', '--seed', '5']);
    expect(out.split('\n')[1]).toContain('precision float32');
    expect(lineOf(out, 'PASS')).toMatch(/^numpy-float32: 150 random cases agree with finite differences/);
    expect(code).toBe(0);
  });

  it('catches a bias gradient 1% off, naming the entry', async () => {
    const { code, out } = await runCli(['check', '--runs', '100', '--seed', '5', '--', ...float32Worker, '--bias-error', '0.01']);
    expect(code).toBe(1);
    expect(lineOf(out, 'mismatch')).toMatch(/^layer 1 b\[0,0\] \(b1\): claimed .* rel err 9\.9e-3/);
  });

  it('declared float64 with --precision, its rounding fails float64 tolerances (the declaration is what makes it pass)', async () => {
    const json = join(dir, 'float64.json');
    const { code, out } = await runCli(['check', ...float32Worker, '--runs', '100', '--seed', '5', '--precision', 'float64', '--json', json]);
    expect(code).toBe(1);
    expect(out).toContain('precision float64 (--precision)');
    // Every surface says it looks like float32 arithmetic and how to declare it, the flag included.
    const hint = "looks like float32 arithmetic, not a bug — declare precision: 'float32' (the handshake's conventions.precision, or --precision float32)";
    expect(out).toContain("Most likely cause: float32 arithmetic, not a bug: the gradients equal the reference within float32 rounding (declare precision: 'float32')");
    expect(out).toContain(`\nhint: ${hint}\n\nreplay: `);
    const result = JSON.parse(readFileSync(json, 'utf8')) as { precisionHint: string; diagnosis: { cause: string; summary: string } };
    expect(result.precisionHint).toBe(hint);
    expect(result.diagnosis.cause).toBe('float32-rounding');
  });

  it('a real error declared float32 gets no precision hint', async () => {
    const json = join(dir, 'bias.json');
    const { out } = await runCli(['check', '--runs', '100', '--seed', '5', '--json', json, '--', ...float32Worker, '--bias-error', '0.01']);
    expect(out).not.toContain('looks like float32 arithmetic');
    expect((JSON.parse(readFileSync(json, 'utf8')) as { precisionHint: unknown }).precisionHint).toBeNull();
  });
});
