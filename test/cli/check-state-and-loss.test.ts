// `gradcheck check` on a failure that depends on earlier calls (a NumPy worker whose forward cache is
// keyed by shape: mutants/numpy/) and on a loss-only disagreement: what it prints, and a replay line
// that fails again (issue 12, items 4 and 5).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECK_DEFAULTS } from '../../src/cli/check-options.js';
import { outcomeFields, renderOutcome, type CheckOutcome } from '../../src/cli/check-report.js';
import { preludeEnv } from '../../src/cli/replay-command.js';
import { toGithub } from '../../src/cli/reporters/github.js';
import { caseFailureText } from '../../src/cli/reporters/document.js';
import { Network, checkImplementationCase, randomParameters, referenceImplementation, type Implementation, type PropertyResult } from '../../src/index.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { randomMatrix, seededRandom } from '../../src/engine/random-parameters.js';
import { resolveConventions } from '../../src/adapters/conventions.js';
import { clearRunnerEnv, lineOf, PYTHON, ROOT, runCli } from './check-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const validateResult = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'check-result.schema.json'), 'utf8')) as object);

beforeEach(clearRunnerEnv);
afterEach(() => vi.unstubAllEnvs());

const cacheWorker = [PYTHON, 'mutants/numpy/worker.py', '--bug', 'forward-cache-keyed-by-shape'];

describe('gradcheck check on a failure that depends on earlier calls', () => {
  it('says so (the counterexample alone passes on a fresh worker, after its companion it fails), and the replay of its path fails again', async () => {
    const file = join(dir, 'cache.json');
    const run = await runCli(['check', '--seed', '1', '--runs', '200', '--json', file, '--', ...cacheWorker]);
    expect(run.err).toBe('');
    expect(run.code).toBe(1);
    // Caught through the case's companion (case-history.ts), which the replay of its path checks too.
    expect(lineOf(run.out, 'counterexample')).toMatch(/, after the same inputs with other weights$/);
    expect(run.out).toMatch(/^this failure depends on earlier calls: alone on a fresh instance it passes; on a fresh instance after its inputs with other weights it fails\. .*The replay below checks both\.$/m);
    const replay = lineOf(run.out, 'replay')!;
    const m = /^gradcheck check --seed 1 --path ([\d:]+) -- /.exec(replay);
    expect(m, replay).not.toBeNull();
    const [, path] = m!;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { state: { dependsOnEarlierCalls: boolean; fresh: string; companion: string }; path: string; headline: string };
    expect(validateResult(doc), JSON.stringify(validateResult.errors)).toBe(true);
    expect(doc.state).toMatchObject({ dependsOnEarlierCalls: true, fresh: 'fail' });
    expect(doc.state.companion).toMatch(/^its inputs with other weights, checked before /);
    expect(doc.path).toBe(path);
    expect(doc.headline).toBe('gradients disagree with finite differences');
    clearRunnerEnv();
    expect((await runCli(['check', '--seed', '1', '--path', path, '--', ...cacheWorker])).code).toBe(1);
  }, 60_000);
});

describe('preludeEnv', () => {
  it('is the environment variable for a prelude with a path, and empty otherwise', () => {
    expect(preludeEnv({ path: '3:1', state: { prelude: ['3:1', '0'] } })).toBe('GRADCHECK_PRELUDE="3:1,0" ');
    expect(preludeEnv({ path: '3:1', state: {} })).toBe('');
    expect(preludeEnv({ state: { prelude: ['0'] } })).toBe('');
  });
});

describe('renderOutcome on a loss-only disagreement', () => {
  it('headlines the returned loss with its ratio and does not end the report in a bare PASS', async () => {
    const lossTwice: Implementation = {
      name: 'loss twice',
      gradients: (c) => {
        const r = referenceImplementation().gradients(c) as { parameters: { W: number[][]; b?: number[] }[]; loss: number };
        return { ...r, loss: 2 * r.loss };
      },
    };
    const network = new Network({ inputs: 2, layers: [{ outputs: 1, activation: 'identity' }] });
    const random = seededRandom(3);
    const nc = { network, params: randomParameters(network, random), inputs: randomMatrix(2, 2, random), targets: randomMatrix(2, 1, random), reduction: 'sum' as const };
    const report = await checkImplementationCase(lossTwice, nc, { seed: 3, nextId: idCounter() });
    const result: PropertyResult = { verdict: 'fail', runs: 4, seed: 9, path: '0', counterexample: { description: '[2 → identity 1], batch 2, MSE sum, seed 3', report }, replay: 'x', message: 'FAIL' };
    const outcome: CheckOutcome = {
      worker: { name: 'loss twice', command: ['python3', 'w.py'], conventions: resolveConventions() },
      options: { ...CHECK_DEFAULTS },
      seedSource: 'from --seed',
      result,
      summary: [],
      cases: 0,
      missing: 0,
      hints: [],
      replay: 'gradcheck check python3 w.py --seed 9 --path 0',
    };
    const { stdout } = renderOutcome(outcome);
    expect(stdout).toContain('\nFAIL: loss twice: the returned loss disagrees with the reference forward pass (claimed = 2 × reference); the gradients agree with finite differences (found after 4 random cases, then shrunk)\n');
    expect(stdout).not.toContain('gradients disagree');
    expect(stdout).not.toMatch(/^PASS/m);
    expect(stdout).toMatch(/^The gradients pass \(\d+ of \d+ entries agree with finite differences\); what fails is the returned loss value \(above\)\.$/m);
    const fields = outcomeFields(outcome, 1);
    expect(fields.headline).toBe('the returned loss disagrees with the reference forward pass (claimed = 2 × reference); the gradients agree with finite differences');
    expect(fields.state).toBeNull();
  });
});

describe('the GitHub annotation of a loss-only disagreement', () => {
  it('takes its title from the headline', () => {
    const headline = 'the returned loss disagrees with the reference forward pass (claimed = 4 × reference); the gradients agree with finite differences';
    const doc = { verdict: 'fail' as const, exitCode: 1, worker: { name: 'w', command: ['w'] }, runs: 1, cases: [], headline, message: 'FAIL' };
    // Workflow-command escaping: ':' is %3A and ',' is %2C in a property (docs of GitHub Actions).
    expect(toGithub(doc)).toBe('::error title=gradcheck%3A w%3A the returned loss disagrees with the reference forward pass (claimed = 4 × reference); the gradients agree with finite differences::FAIL\n');
  });
});

describe('a reporter case whose only failure is its loss value', () => {
  it('names the returned loss, both values and their ratio', () => {
    const c = { run: 1, case: { id: 3, seed: 5 }, verdict: 'fail', report: { label: 'x', failures: [], failureCount: 0 }, loss: { claimed: 8, reference: 2, agrees: false, tolerance: 1e-6 } };
    const doc = { verdict: 'fail' as const, exitCode: 1, worker: { name: 'w', command: ['w'] }, runs: 1, cases: [], replay: 'gradcheck check w --seed 1 --path 0', message: 'FAIL' };
    expect(caseFailureText(c as never, doc)).toBe('the returned loss disagrees with the reference forward pass: claimed 8, reference 2 (claimed = 4 × reference)\nreplay: gradcheck check w --seed 1 --path 0');
  });
});
