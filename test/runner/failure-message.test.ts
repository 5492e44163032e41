/**
 * The runner's failure message (issue 12, item 4): a loss-only disagreement is headlined as such with
 * its ratio, and the diagnosis of the counterexample is part of the message (unless `diagnose: false`).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import type { GradientCase, GradientResult, Implementation } from '../../src/adapters/implementation.js';
import { formatNumber } from '../../src/check/report/render-report.js';

beforeEach(() => {
  for (const name of ['GRADCHECK_SEED', 'GRADCHECK_PATH', 'GRADCHECK_PRELUDE', 'GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE']) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const reference = referenceImplementation();

/** Right gradients; the returned loss is 2·Σ(ŷ − y)², 4 × the half-sum, whatever the reduction. */
const lossFourTimesHalfSum: Implementation = {
  name: 'loss 4x',
  gradients(c: GradientCase) {
    const r = reference.gradients(c) as GradientResult;
    // The reference returns scale·Σ(ŷ − y)², scale = 1/(N·K), 1 or ½ (docs/protocol.md): undo it.
    const scale = c.reduction === 'mean' ? 1 / (c.targets.length * c.targets[0].length) : c.reduction === 'sum' ? 1 : 0.5;
    return { ...r, loss: (2 * r.loss!) / scale };
  },
};

const negated: Implementation = {
  name: 'negated',
  gradients(c) {
    const r = reference.gradients(c) as GradientResult;
    return { parameters: r.parameters.map((p) => ({ W: p.W.map((row) => row.map((v) => -v)), ...(p.b && { b: p.b.map((v) => -v) }) })) };
  },
};

describe('a loss-only disagreement', () => {
  it('is headlined with the ratio of the returned loss to the reference, and the report does not end in a bare PASS', async () => {
    const result = await runGradientProperty(lossFourTimesHalfSum, { seed: 4, runs: 20, diagnose: false });
    expect(result.verdict).toBe('fail');
    const c = result.counterexample!.report.case;
    // claimed / reference = 2Σ / (scale·Σ) = 2 / scale.
    const ratio = c.reduction === 'mean' ? 2 * c.targets.length * c.targets[0].length : c.reduction === 'sum' ? 2 : 4;
    expect(result.message).toMatch(
      new RegExp(`^FAIL: loss 4x: the returned loss disagrees with the reference forward pass \\(claimed = ${formatNumber(ratio)} × reference\\); the gradients agree with finite differences after \\d+ random cases? \\(shrunk \\d+ times?\\)\\n`),
    );
    expect(result.message).not.toContain('gradients disagree');
    expect(result.message).not.toMatch(/^PASS/m);
    expect(result.message).toMatch(/^The gradients pass \(\d+ of \d+ entries agree with finite differences\); what fails is the returned loss value \(above\)\.$/m);
    expect(result.message).toMatch(/^loss: claimed .*, reference .*, abs err .* > tolerance .*$/m);
  });
});

describe('the diagnosis in the failure message', () => {
  it('follows the report, before the replay line, and is in the result', async () => {
    const result = await runGradientProperty(negated, { seed: 2, runs: 20 });
    expect(result.diagnosis).toBeDefined();
    const lines = result.message.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Diagnosis of negated on '));
    expect(at).toBeGreaterThan(lines.findIndex((l) => l.startsWith('tensor  shape')));
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('replay: ')));
    expect(lines[at + 1]).toBe(`  ${result.diagnosis!.summary}`);
    expect(result.message).toMatch(/^FAIL: negated: gradients disagree with finite differences after/);
  });

  it('is left out with diagnose: false', async () => {
    const result = await runGradientProperty(negated, { seed: 2, runs: 20, diagnose: false });
    expect(result.verdict).toBe('fail');
    expect(result.diagnosis).toBeUndefined();
    expect(result.message).not.toContain('Diagnosis of');
  });

  it('says why when the implementation fails while being diagnosed', async () => {
    let failing = false;
    const flaky: Implementation = {
      name: 'flaky',
      gradients(c) {
        if (failing) throw new Error('worker gone');
        return negated.gradients(c);
      },
    };
    // The runner makes a fresh instance after its own re-checks and before the diagnosis: from then on the
    // first instance fails, so only the diagnosis's calls do.
    const fresh = (): Implementation => {
      failing = true;
      return negated;
    };
    const result = await runGradientProperty(flaky, { seed: 2, runs: 20, fresh });
    expect(result.diagnosisError).toContain('worker gone');
    expect(result.message).toMatch(/^diagnosis: not available \(.*worker gone.*\)$/m);
  });
});
