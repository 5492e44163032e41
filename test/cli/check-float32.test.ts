// A float32 NumPy worker (examples/python/numpy_float32.py) through the CLI: declared float32 it is
// never failed, in reference and self mode; a bias gradient 1% off is still caught; and declared
// float64 (--precision), its float32 rounding is too large for float64 tolerances.
import { beforeEach, describe, expect, it } from 'vitest';
import { PYTHON, clearRunnerEnv, lineOf, runCli } from './check-harness.js';

const float32Worker = [PYTHON, 'examples/python/numpy_float32.py'];

beforeEach(clearRunnerEnv);

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
    const { code, out } = await runCli(['check', ...float32Worker, '--runs', '100', '--seed', '5', '--precision', 'float64']);
    expect(code).toBe(1);
    expect(out).toContain('precision float64 (--precision)');
  });
});
