// Random networks at real sizes (issue 22): a 784-100-10 network, MNIST's shape, is accepted from
// the command line and checked with the bundled NumPy worker; the cap is MAX_WIDTH, named by its flag.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { architectureBounds, MAX_WIDTH } from '../../src/arbitraries/architecture.js';
import { clearRunnerEnv, mlpWorker, PYTHON, runCli } from './check-harness.js';

const MNIST = ['--min-inputs', '784', '--max-inputs', '784', '--min-width', '100', '--max-width', '100', '--min-outputs', '10', '--max-outputs', '10', '--min-depth', '2', '--max-depth', '2'];

describe('real sizes', () => {
  beforeEach(clearRunnerEnv);

  it('widths, inputs and outputs up to 1024 are accepted (784 inputs fit); 1025 is not', () => {
    expect(MAX_WIDTH).toBe(1024);
    expect(architectureBounds({ minInputs: 784, maxInputs: 784, minWidth: 100, maxWidth: 300 }).maxInputs).toBe(784);
    expect(() => architectureBounds({ maxWidth: 1025 })).toThrow('architecture: constraints.maxWidth is 1025; expected an integer in [1, 1024]');
  });

  it('a 784-100-10 network is checked from the CLI with the NumPy worker', async () => {
    const { code, out } = await runCli(['check', ...mlpWorker, ...MNIST, '--runs', '1', '--seed', '1']);
    expect(out).toMatch(/^W1 +1 +78400 /m);
    expect(out).toMatch(/^W2 +1 +1000 /m);
    expect(out).toContain('PASS: numpy-mlp: 1 random case agrees with finite differences');
    expect(code).toBe(0);
  }, 60_000);

  it('a bound past the largest gradcheck draws is refused in the flag the user typed, before the worker starts (exit 2)', async () => {
    for (const [flag, value, cap] of [['--max-width', '2000', 1024], ['--min-inputs', '1025', 1024], ['--max-depth', '100', 64], ['--max-batch', '1000', 256], ['--min-width', '0', 1024]] as const) {
      const { code, out, err } = await runCli(['check', ...mlpWorker, flag, value]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.split('\n')[0]).toBe(`gradcheck: option '${flag} <n>' argument '${value}' is invalid. expected an integer in [1, ${cap}].`);
      expect(err).not.toContain('constraints.');
    }
  });

  it('a --config bound past it names the file and its field, not the API', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gradcheck-real-sizes-')), 'gradcheck.config.json');
    writeFileSync(file, JSON.stringify({ supports: { maxWidth: 2000 } }));
    const { code, err } = await runCli(['check', ...mlpWorker, '--config', file]);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(`gradcheck: --config ${file}: supports.maxWidth is 2000; expected an integer in [1, 1024] (the largest gradcheck draws)`);
  });

  it("a worker that declares MNIST's shape gets such cases without a flag; a flag past what it declares is refused naming both", async () => {
    const mnist = [PYTHON, 'test/workers/supports_worker.py', 'mnist'];
    const run = await runCli(['check', ...mnist, '--runs', '1', '--seed', '1']);
    expect(run.err).toBe('');
    expect(run.out).toContain('cases: --min-depth 2 --max-depth 2 --max-width 100 --min-inputs 784 --max-inputs 784 --min-outputs 10 --max-outputs 10');
    // W1 holds 784 × width entries: widths drawn past the default 4, up to the declared 100 (the worker errors past it).
    const w1 = Number(/^W1 +1 +(\d+) /m.exec(run.out)?.[1]);
    expect(w1 % 784).toBe(0);
    expect(w1 / 784).toBeGreaterThan(4);
    expect(run.out).toContain('PASS: supports-mnist: 1 random case agrees with finite differences');
    expect(run.code).toBe(0);
    for (const [flags, message] of [
      [['--min-width', '200'], "no case satisfies both --min-width 200 and the worker's supports.maxWidth 100"],
      [['--max-inputs', '100'], "no case satisfies both the worker's supports.minInputs 784 and --max-inputs 100"],
    ] as const) {
      const refused = await runCli(['check', ...flags, '--', ...mnist]);
      expect(refused.code).toBe(2);
      expect(refused.err).toBe(`gradcheck: the cases for supports-mnist: ${message}\n`);
    }
  }, 60_000);

  it("a worker that supports more than gradcheck draws is asked at most the largest it draws", async () => {
    const { code, out } = await runCli(['check', PYTHON, 'test/workers/supports_worker.py', 'huge-batches', '--runs', '2', '--seed', '1']);
    expect(out).toContain('cases: --max-batch 256');
    expect(out).toContain('PASS: supports-huge-batches: 2 random cases agree with finite differences');
    expect(code).toBe(0);
  }, 30_000);
});
