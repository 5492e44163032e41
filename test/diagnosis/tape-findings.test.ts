/**
 * Findings and causes the third catalogue (mutants/tape/) revealed missing or wrong, each tested on a
 * bug written by hand there: a tied gradient buffer (the sum of two tensors' gradients), a gradient
 * clipped to a global norm (not a stale cache), float32 in one op for every layer's W (mixed precision
 * by kind), and a stale tape (state between calls, said by the runner).
 */
import { describe, expect, it } from 'vitest';
import { diagnoseImplementation } from '../../src/diagnosis/diagnose-implementation.js';
import { renderDiagnosis } from '../../src/diagnosis/render-diagnosis.js';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';
import { checkOnCase, type CaseShape } from '../../mutants/demonstration-case.js';
import { GlobalNormClipped, GradientBufferTiedByShape, WeightVjpFloat32 } from '../../mutants/tape/bugs.js';
import type { TapeNetwork } from '../../mutants/tape/network.js';

async function diagnosed(impl: TapeNetwork, shape: CaseShape, seed = 1) {
  const { nc, report } = await checkOnCase(impl, shape, seed);
  expect(report.verdict).toBe('fail');
  return diagnoseImplementation(impl, report, { case: nc });
}

const chain = (widths: number[]): CaseShape['network'] => ({ inputs: widths[0], layers: widths.slice(1).map((outputs) => ({ outputs, activation: 'identity' as const })) });

describe('a weight-gradient buffer shared by two layers of one shape', () => {
  it('is found as each W claiming its own gradient plus the other’s', async () => {
    // 2 → 2 → 2: W1 and W2 are both 2 × 2, so the model's map keyed by shape gives them one buffer.
    const d = await diagnosed(new GradientBufferTiedByShape('tied'), { network: chain([2, 2, 2]), batch: 2, reduction: 'sum' });
    expect(d.verdict).toBe('unknown');
    expect(d.findings.map((f) => [f.tensor, f.mask, f.relation])).toEqual([
      ['W1', 'all', 'plus-other-tensor'],
      ['W2', 'all', 'plus-other-tensor'],
    ]);
    expect(d.findings.every((f) => f.specific)).toBe(true);
    expect(d.findings[0].text).toBe("W1 (W of the first layer): on every entry, claimed = its correct gradient + W2's (W of the output layer): the two summed, as if one buffer held both");
    expect(renderDiagnosis(d)).toContain("Finding: W2 (W of the output layer): on every entry, claimed = its correct gradient + W1's (W of the first layer): the two summed, as if one buffer held both");
  });
});

describe('the whole gradient clipped to norm 1', () => {
  it('is not named a stale cache, though on 1 → 1 with one sample new weights can leave its direction (and so the answer) unchanged', async () => {
    // Seed 2: ‖dL/dθ‖ > 1 on [1 → identity 1], batch 1 (mutants/tape/catalogue.ts, global-norm-clipped).
    const d = await diagnosed(new GlobalNormClipped('norm'), { network: chain([1, 1]), batch: 1, reduction: 'sum' }, 2);
    expect(d.cause).toBeUndefined();
    expect(d.findings.map((f) => [f.tensor, f.relation])).toEqual([
      ['W1', 'norm-clipped'],
      ['b1', 'norm-clipped'],
    ]);
    for (const f of d.findings) expect(f.parameters?.norm).toBeCloseTo(1, 12);
    expect(d.findings[0].says).toBe("claimed = correct with the whole dL/dθ rescaled to norm 1.00000 (the gradient's global norm clipped)");
  });
});

describe('float32 in one op, for every layer', () => {
  it('names mixed precision in every weight gradient W, which the depth probe keeps', async () => {
    // The weight VJP sums in a Float32Array: every W carries float32 rounding, b and dL/dx are exact.
    // float32 rounding shows beyond rtol 1e-6 only on some cases: a property run finds one.
    const r = await runGradientProperty(new WeightVjpFloat32('f32'), { runs: 300, seed: 1 });
    const d = r.diagnosis!;
    expect(d.cause).toBe('mixed-precision');
    expect(d.match?.detail).toMatch(/^float32 rounding in W1(, W\d)* \(every weight gradient W, in every layer\); exact to float64 in (b\d, )*x$/);
    expect(d.conventions).toEqual([]);
  });
});
