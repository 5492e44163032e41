// A forgotten `await` on toHaveCorrectGradients: vitest does not wait for a custom matcher's promise,
// so such a test passed and a wrong gradient surfaced later as an unhandled rejection. Under
// gradcheck/vitest the test fails, naming the call and the fix, and awaited uses are unaffected.
// The fixture file is run by vitest in a child process, as a user's project runs its tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const FIXTURES = join(import.meta.dirname, 'fixtures/unawaited');

interface TestOutcome {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

let outcomes: Map<string, TestOutcome>;
let output: string;

beforeAll(() => {
  const results = join(mkdtempSync(join(tmpdir(), 'gradcheck-unawaited-')), 'results.json');
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(VITEST|GRADCHECK_)|^NODE_OPTIONS$/.test(name)) delete env[name];
  const vitest = join(REPO, 'node_modules/vitest/vitest.mjs');
  const args = [vitest, 'run', '--config', join(FIXTURES, 'vitest.config.ts'), '--reporter=default', '--reporter=json', `--outputFile.json=${results}`];
  const run = spawnSync(process.execPath, args, { cwd: REPO, env, encoding: 'utf8', timeout: 120_000 });
  output = run.stdout + run.stderr;
  const report = JSON.parse(readFileSync(results, 'utf8')) as { testResults: Array<{ assertionResults: TestOutcome[] }> };
  outcomes = new Map(report.testResults.flatMap((file) => file.assertionResults).map((test) => [test.fullName, test]));
}, 150_000);

/** The outcome of the fixture's test `name` (its describe block's name, a space, its own). */
function outcome(name: string): TestOutcome {
  const found = outcomes.get(name);
  if (!found) throw new Error(`no test "${name}" in the fixture's results; the run printed:\n${output}`);
  return found;
}

describe('a toHaveCorrectGradients whose await was forgotten', () => {
  it('fails its test on a correct implementation, naming the call, the implementation and the fix', () => {
    const { status, failureMessages } = outcome('forgotten correct, not awaited');
    expect(status).toBe('failed');
    expect(failureMessages).toHaveLength(1);
    expect(failureMessages[0]).toMatch(
      /^Error: expect\(…\)\.toHaveCorrectGradients\(\) on hand-written-backprop was not awaited: the test ended before the check finished, so its verdict could not fail the test \(the check was stopped\)\. Write `await expect\(…\)\.toHaveCorrectGradients\(…\)`, or return it from the test\. A lint rule catches this: @typescript-eslint\/no-floating-promises, or vitest\/valid-expect with asyncMatchers: \["toHaveCorrectGradients"\] \(docs\/vitest\.md\)\.\n/,
    );
  });

  it('points its stack at the line that forgot the await', () => {
    const [message] = outcome('forgotten correct, not awaited').failureMessages;
    const frames = message.split('\n').filter((line) => line.trimStart().startsWith('at '));
    // vitest's own frames (which its reporter leaves out) come first; none of gradcheck's.
    expect(frames.find((frame) => !frame.includes('/node_modules/'))).toMatch(/matchers\.fixture\.ts:25:\d+\)?$/);
    expect(frames.filter((frame) => frame.includes('src/vitest/'))).toEqual([]);
  });

  it('fails its test on a wrong implementation the same way, and leaves no unhandled rejection behind', () => {
    const { status, failureMessages } = outcome('forgotten buggy, not awaited');
    expect(status).toBe('failed');
    expect(failureMessages[0]).toMatch(/^Error: expect\(…\)\.toHaveCorrectGradients\(\) on buggy-hand-written-backprop was not awaited: /);
    expect(output).not.toMatch(/Unhandled/i);
    expect(output).not.toMatch(/to have correct gradients, but they do not/);
  });

  it('says .not for a .not call, and counts the other unawaited calls of the test', () => {
    const { failureMessages } = outcome('forgotten buggy, .not not awaited, twice');
    expect(failureMessages[0]).toMatch(
      /^Error: expect\(…\)\.not\.toHaveCorrectGradients\(\) on buggy-hand-written-backprop was not awaited \(and 1 more unawaited call in this test\): .* Write `await expect\(…\)\.not\.toHaveCorrectGradients\(…\)`/,
    );
  });

  it('is found even when the check is one case long', () => {
    expect(outcome('one case, not awaited')).toMatchObject({ status: 'failed', failureMessages: [expect.stringMatching(/was not awaited/)] });
  });

  it("adds nothing to a test that already failed: that test's own error is its only one", () => {
    const { status, failureMessages } = outcome('forgotten not awaited in a test that fails first');
    expect(status).toBe('failed');
    expect(failureMessages).toHaveLength(1);
    expect(failureMessages[0]).toMatch(/^AssertionError: expected 1 to be 2/);
  });
});

describe('an awaited toHaveCorrectGradients', () => {
  for (const name of ['correct, awaited', 'buggy, .not awaited', 'correct, returned', 'buggy, awaited later']) {
    it(`is unaffected: "${name}" passes`, () => {
      expect(outcome(`awaited ${name}`)).toMatchObject({ status: 'passed', failureMessages: [] });
    });
  }
});
