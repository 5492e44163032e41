// What `gradcheck check` prints in the rarer outcomes, rendered from a made-up outcome: convention hints
// when no diagnosis could be made, cases missing from the summary, and a --json file that cannot be written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECK_DEFAULTS } from '../../src/cli/check-options.js';
import { exitCodeOf, renderOutcome, type CheckOutcome } from '../../src/cli/check-report.js';
import { inconclusiveMessage } from '../../src/runner/property-message.js';
import { Network, checkImplementationCase, randomParameters, referenceImplementation, type Implementation, type PropertyResult } from '../../src/index.js';
import { conventionHints } from '../../src/adapters/convention-hints.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { randomMatrix, seededRandom } from '../../src/engine/random-parameters.js';
import { resolveConventions } from '../../src/adapters/conventions.js';
import { clearRunnerEnv, mlpWorker, runCli } from './check-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

const worker = { name: 'negated', command: ['python3', 'w.py'], conventions: resolveConventions() };

/** The reference engine's gradients, negated, declared as plain gradients. */
const negated: Implementation = {
  name: 'negated',
  gradients: (c) => {
    const r = referenceImplementation({ inputs: false, loss: false }).gradients(c) as { parameters: { W: number[][]; b?: number[] }[] };
    return { parameters: r.parameters.map((p) => ({ W: p.W.map((row) => row.map((v) => -v)), ...(p.b && { b: p.b.map((v) => -v) }) })) };
  },
};

describe('renderOutcome', () => {
  it('prints the convention hints and why there is no diagnosis when the diagnosis could not be made', async () => {
    const network = new Network({ inputs: 2, layers: [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }] });
    const random = seededRandom(3);
    const nc = { network, params: randomParameters(network, random), inputs: randomMatrix(2, 2, random), targets: randomMatrix(2, 1, random), reduction: 'sum' as const };
    const report = await checkImplementationCase(negated, nc, { seed: 3, nextId: idCounter() });
    const result: PropertyResult = { verdict: 'fail', runs: 1, seed: 9, path: '0', counterexample: { description: '[2 → sigmoid 2 → identity 1], batch 2, MSE sum, seed 3', report }, replay: 'x', message: 'FAIL' };
    const outcome: CheckOutcome = {
      worker,
      options: { ...CHECK_DEFAULTS },
      seedSource: 'from --seed',
      result,
      summary: [],
      cases: 0,
      missing: 0,
      hints: conventionHints(report),
      diagnosisError: 'the worker `python3 w.py` exited with code 1',
      replay: 'gradcheck check python3 w.py --seed 9 --path 0',
    };
    const { stdout, stderr } = renderOutcome(outcome);
    expect(stderr).toBe('');
    expect(stdout).toContain("\nhint: these match if negated — declare returns: 'negative-gradient'\n");
    expect(stdout).toContain('\ndiagnosis: not available (the worker `python3 w.py` exited with code 1)\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('replay: gradcheck check python3 w.py --seed 9 --path 0');
  });

  it('says when checked cases are missing from the summary', () => {
    const result: PropertyResult = { verdict: 'pass', runs: 3, seed: 1, message: 'PASS' };
    const outcome: CheckOutcome = { worker, options: { ...CHECK_DEFAULTS }, seedSource: 'random', result, summary: [], cases: 0, missing: 1, hints: [] };
    expect(renderOutcome(outcome).stdout).toContain('note: 1 checked case could not be replayed for this summary; the verdict below covers it\n');
    expect(renderOutcome(outcome).stdout).toContain('PASS: negated: 3 random cases agree with finite differences; fast-check seed 1 (random)');
  });
});

describe('--json FILE that cannot be written', () => {
  it('exits 2 with the reason before the run', async () => {
    // The path is a directory: its parent is writable, so only the file itself cannot be replaced.
    const { code, out, err } = await runCli(['check', ...mlpWorker, '--runs', '2', '--seed', '1', '--json', dir]);
    expect(out).toBe('');
    expect(err).toMatch(new RegExp(`^gradcheck: --json ${dir}: cannot be written: .*(EISDIR|directory)`));
    expect(code).toBe(2);
  });

  it('an inconclusive run says that nothing failed and nothing could be settled, and exits 3', () => {
    const result: PropertyResult = { verdict: 'inconclusive', inconclusive: 4, runs: 4, seed: 2, message: 'INCONCLUSIVE' };
    const outcome: CheckOutcome = { worker, options: { ...CHECK_DEFAULTS }, seedSource: 'from --seed', result, summary: [], cases: 0, missing: 0, hints: [] };
    expect(renderOutcome(outcome).stdout.trimEnd().split('\n').at(-1)).toBe(
      'INCONCLUSIVE: negated: none of 4 random cases failed, but none could be settled by finite differences; fast-check seed 2 (from --seed)',
    );
    expect(exitCodeOf(result)).toBe(3);
  });

  it('a pass counts the cases with unsettled entries in its last line', () => {
    const result: PropertyResult = { verdict: 'pass', inconclusive: 2, runs: 50, seed: 1, message: 'PASS' };
    const outcome: CheckOutcome = { worker, options: { ...CHECK_DEFAULTS }, seedSource: 'from --seed', result, summary: [], cases: 0, missing: 0, hints: [] };
    expect(renderOutcome(outcome).stdout.trimEnd().split('\n').at(-1)).toBe(
      'PASS: negated: 50 random cases agree with finite differences, 2 of them with entries finite differences could not settle (inconclusive); fast-check seed 1 (from --seed)',
    );
    expect(exitCodeOf(result)).toBe(0);
  });
});

describe('the property runner\'s inconclusive message', () => {
  it('names the implementation, the count and the seed', () => {
    expect(inconclusiveMessage({ implementation: 'x', seed: 7, seedSource: 'option', runs: 3 })).toBe(
      'INCONCLUSIVE: x: none of 3 random cases failed, but none could be settled by finite differences (each had unresolved or only skipped entries: see docs/verdicts.md); fast-check seed 7 (from options.seed)',
    );
  });
});
