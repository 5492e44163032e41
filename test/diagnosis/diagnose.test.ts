/**
 * Verdicts, evidence and messages of the diagnosis on implementations built for each situation.
 */
import { describe, expect, it } from 'vitest';
import { GradcheckError } from '../../src/errors.js';
import type { GradientCase, GradientResult, Implementation } from '../../src/adapters/implementation.js';
import { diagnoseImplementation } from '../../src/diagnosis/diagnose-implementation.js';
import { diagnoseReport } from '../../src/diagnosis/diagnose-report.js';
import { diagnosisCase } from '../../src/diagnosis/diagnosis-case.js';
import { ratioMeaning } from '../../src/diagnosis/evidence.js';
import { renderDiagnosis } from '../../src/diagnosis/render-diagnosis.js';
import { mutants } from '../../mutants/catalogue/index.js';
import { checkOnCase, demonstrationCase, type CaseShape } from '../../mutants/demonstration-case.js';
import { ReferenceBackprop, type Forward, type LayerGradient } from '../../mutants/reference-backprop.js';

const mutant = (id: string) => mutants.find((m) => m.id === id)!;
const twoLayers: CaseShape = { network: { inputs: 2, layers: [{ outputs: 3, activation: 'sigmoid' }, { outputs: 2, activation: 'identity' }] }, batch: 3, reduction: 'mean' };

/** Correct except W1[0,0], which is 1% too large: no known mistake does that. */
class OneEntryOff extends ReferenceBackprop {
  protected override result(g: LayerGradient[], forward: Forward, c: GradientCase): GradientResult {
    g[0].W[0][0] *= 1.01;
    return super.result(g, forward, c);
  }
}

/** A little more wrong on every call: state, but not accumulation. */
class Drifting extends ReferenceBackprop {
  private calls = 0;
  protected override result(g: LayerGradient[], forward: Forward, c: GradientCase): GradientResult {
    const f = 1 + 0.01 * ++this.calls;
    return super.result(g.map(({ W, b }) => ({ W: W.map((r) => r.map((v) => f * v)), ...(b ? { b: b.map((v) => f * v) } : {}) })), forward, c);
  }
}

/** Right gradients, wrong loss value. */
class LossOff extends ReferenceBackprop {
  protected override result(g: LayerGradient[], forward: Forward, c: GradientCase): GradientResult {
    return { ...super.result(g, forward, c), loss: this.lossValue(forward, c) + 1 };
  }
}

describe('evidence', () => {
  it('gives each tensor its ratio claimed/correct: 2 everywhere for a missing ½', async () => {
    const { nc, report } = await checkOnCase(mutant('half-forgotten').create(), { ...twoLayers, reduction: 'half-sum' }, 1);
    const d = diagnoseReport(report, nc);
    expect(d.evidence.uniformRatio).toBeCloseTo(2, 12);
    for (const t of d.evidence.tensors) {
      expect(t.ratio).toBeCloseTo(2, 12);
      expect(t.ratioFits).toBe(true);
    }
    // With K = 2 outputs, the ratio 2 is also K: the evidence says so.
    expect(renderDiagnosis(d)).toContain('One ratio explains every entry: claimed = 2 (K with N = 3, K = 2) × correct.');
  });

  it('names what a ratio is in the case’s terms (N = 2, K = 3: 6 is N·K)', () => {
    expect(ratioMeaning(6, 2, 3)).toBe('N·K with N = 2, K = 3');
    expect(ratioMeaning(2, 2, 1)).toBe('N with N = 2, K = 1');
    expect(ratioMeaning(0.37, 2, 3)).toBeUndefined();
  });

  it('recognises a square weight gradient that is the transpose of the correct one', async () => {
    const { nc, report } = await checkOnCase(mutant('weight-gradient-transposed').create(), mutant('weight-gradient-transposed').smallest, 1);
    const d = diagnoseReport(report, nc);
    expect(d.evidence.tensors.find((t) => t.name === 'W1')!.transposed).toBe(true);
    expect(d.evidence.tensors.find((t) => t.name === 'b1')!.agrees).toBe(true);
    expect(renderDiagnosis(d)).toContain('equals the transpose of the correct gradient');
  });

  it('says which layers are right and the first wrong one counting from the output', async () => {
    const { nc, report } = await checkOnCase(new OneEntryOff(), twoLayers, 1);
    const d = diagnoseReport(report, nc);
    expect(d.evidence.rightLayers).toEqual([2]);
    expect(d.evidence.firstWrongFromOutput).toBe(1);
    expect(renderDiagnosis(d)).toContain('Right: layer 2; wrong: layer 1; counting from the output, the first wrong layer is layer 1.');
  });
});

describe('verdicts and their messages', () => {
  it('names a cause with the numbers behind it (fitted rate, deviation, probes)', async () => {
    const impl = mutant('returns-update').create();
    const { nc, report } = await checkOnCase(impl, twoLayers, 1);
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.verdict).toBe('named');
    expect(d.cause).toBe('returns-update');
    expect(d.match!.parameters!.learningRate).toBeCloseTo(0.1, 12);
    // Every probe answered reproduces it: the batch, widths, two reductions, two activation rotations, depth, bias, values.
    expect(d.match!.confirmedOn).toBe(9);
    const text = renderDiagnosis(d);
    expect(text).toMatch(/^Diagnosis of mutant returns-update on \[2 → sigmoid 3 → identity 2\], batch 3, MSE mean:/);
    expect(text).toContain('Most likely cause: an update −rate·gradient returned where the gradient is expected — rate 0.1. Recomputing the gradients with this mistake reproduces every claimed entry on the counterexample and 9 of 9 probe cases (varying the batch, widths, reduction, activations, depth, bias, values); no other known mistake does (largest deviation on the counterexample');
    expect(text).toContain('Fitted: learningRate = 0.1.');
    // The summary states the probes it was confirmed on; no second line repeats it.
    expect(text).not.toContain('Confirmed on');
    // An update returned is a convention, not only a mistake: the declaration that describes it is offered, proven on every probe.
    expect(d.conventions.map((h) => h.declare)).toEqual([{ returns: 'update', learningRate: 0.1 }]);
  });

  it('is ambiguous from the evidence alone when causes coincide (ratio 2 = N·K = 2·(N·K − 1)), and probes settle it', async () => {
    const impl = mutant('mean-not-divided').create();
    const { nc, report } = await checkOnCase(impl, mutant('mean-not-divided').smallest, 1);
    const alone = diagnoseReport(report, nc);
    expect(alone.verdict).toBe('ambiguous');
    expect(alone.cause).toBeUndefined();
    expect(alone.candidates.map((c) => c.key).sort()).toEqual(['fixed-reduction', 'mean-not-divided', 'mean-over-wrong-count']);
    expect(alone.summary).toBe(
      "Cause not determined: 3 known mistakes each reproduce the claimed gradients on this case: the mean loss not divided by the element count N·K (the gradient of the sum); or the loss gradient of one fixed reduction, whatever the case's reduction — always the 'sum' reduction's; or the mean loss divided by the wrong count (not the N·K elements of the output) — divided by the K outputs only (or divided by the inputs, or divided by N·K − 1).",
    );
    const probed = await diagnoseImplementation(impl, report, { case: nc });
    expect(probed.cause).toBe('mean-not-divided');
    // Other batch sizes and widths refute N·K − 1; the half-sum probe refutes a fixed 'sum' reduction.
    expect(probed.probes.flatMap((p) => p.refuted)).toContain('mean-over-wrong-count');
    expect(probed.probes.find((p) => p.description.includes('half-sum'))!.refuted).toContain('fixed-reduction');
  });

  it('says the cause is unknown when no known mistake reproduces the claim', async () => {
    const impl = new OneEntryOff();
    const { nc, report } = await checkOnCase(impl, twoLayers, 1);
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.verdict).toBe('unknown');
    expect(d.cause).toBeUndefined();
    // OneEntryOff multiplies W1[0,0] by 1.01: the finding says exactly that, verified on the probes.
    expect(d.summary).toBe(
      'Cause unknown: no known mistake, recomputed, reproduces the claimed gradients on the counterexample and every probe case. Known: counting from the output, the first wrong layer is layer 1 (2nd from the output); wrong: W1; the loss value agrees. Found (each recomputed on the counterexample and every probe case): W1 (W of the first layer): on the first entry [0,0] alone, claimed = 1.01 × correct; its other entries are right.',
    );
    expect(d.findings.map((f) => [f.tensor, f.mask, f.relation, f.parameters?.factor])).toEqual([['W1', 'entry-first', 'scaled', 1.01]]);
  });

  it('names accumulation across calls from repeated calls with the same case', async () => {
    const impl = mutant('accumulates-across-calls').create();
    const { nc, report } = await checkOnCase(impl, { ...twoLayers, calls: 2 }, 1);
    expect(diagnoseReport(report, nc).cause).toBeUndefined();
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.cause).toBe('accumulated-across-calls');
    expect(d.stateful!.calls).toBe(3);
  });

  it('reports state between calls without naming a cause when the answers drift in an unknown way', async () => {
    const impl = new Drifting();
    const { nc, report } = await checkOnCase(impl, twoLayers, 1);
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.verdict).toBe('unknown');
    expect(d.stateful).toBeDefined();
    expect(d.summary).toBe(
      'Cause unknown: the implementation returned different gradients for the same case on repeated calls (state kept between calls), and no known mistake explains the difference. Known: counting from the output, the first wrong layer is layer 2 (the output layer); wrong: W1, b1, W2, b2; the loss value agrees.',
    );
    expect(renderDiagnosis(d)).toContain('Repeated calls with the same case differed by up to');
  });

  it('says when only the loss value is wrong', async () => {
    const impl = new LossOff();
    const { nc, report } = await checkOnCase(impl, twoLayers, 1);
    expect(report.verdict).toBe('fail');
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.lossOnly).toBe(true);
    // The loss is off by 1, not by a factor: the ratio on the counterexample is printed, and no probe confirms a constant one.
    expect(d.summary).toMatch(/^Loss-only disagreement: the claimed gradients equal the correct ones, but the returned loss is [\d.]+× the reference 'mean' loss \([\d.]+ against [\d.]+\) \(look at the forward pass or the loss value\)\.$/);
    expect(d.cause).toBeUndefined();
  });

  it('has nothing to diagnose when the check passed', async () => {
    const impl = new ReferenceBackprop();
    const { nc, report } = await checkOnCase(impl, twoLayers, 1);
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.verdict).toBe('passed');
    expect(renderDiagnosis(d)).toBe(`Diagnosis of reference backprop on [2 → sigmoid 3 → identity 2], batch 3, MSE mean:\n  The check passed: nothing to diagnose.`);
  });

  it('retries a probe at the counterexample’s output width when the implementation fails at another, and says so', async () => {
    const inner = mutant('mean-not-divided').create();
    const impl: Implementation = {
      name: 'one-output',
      gradients(c) {
        if (c.network.layers[c.network.layers.length - 1].outputs !== 1) throw new Error('this model has one output');
        return inner.gradients(c);
      },
    };
    const { nc, report } = await checkOnCase(impl, mutant('mean-not-divided').smallest, 1);
    const d = await diagnoseImplementation(impl, report, { case: nc });
    // With one output, K = 1 on every case it answers: a mean not divided (× N·K) and a mean over the K outputs only (× N) coincide.
    expect(d.verdict).toBe('ambiguous');
    expect(d.candidates.map((c) => c.key)).toEqual(['mean-not-divided', 'mean-over-wrong-count']);
    expect(d.candidates[1].detail).toBe('divided by the K outputs only');
    expect(d.probes[1].description).toContain("(varies the widths, at the counterexample's widths: the implementation failed at others)");
  });

  it('ignores a probe the implementation fails on, and says so', async () => {
    const inner = mutant('sign-flipped').create();
    const impl: Implementation = {
      name: 'no-depth',
      gradients(c) {
        if (c.network.layers.length > 2) throw new Error('at most two layers');
        return inner.gradients(c);
      },
    };
    const { nc, report } = await checkOnCase(impl, twoLayers, 1);
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.cause).toBe('negated');
    const depth = d.probes.find((p) => p.varies === 'depth')!;
    expect(depth.error).toContain('at most two layers');
    expect(renderDiagnosis(d)).toContain('varies the depth): the implementation failed (');
    expect(d.confidence).toContain('the implementation failed on 1');
  });

  it('asks an implementation that declares its one reduction no other', async () => {
    const inner = mutant('sign-flipped').create();
    const impl: Implementation = { name: 'sum only', conventions: { reduction: 'sum' }, gradients: (c) => inner.gradients(c) };
    const { nc, report } = await checkOnCase(impl, { ...twoLayers, reduction: 'sum' }, 1);
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.probes.map((p) => p.varies)).not.toContain('reduction');
    expect(d.cause).toBe('negated');
  });

  it('validates its options', async () => {
    const impl = mutant('sign-flipped').create();
    const { report } = await checkOnCase(impl, twoLayers, 1);
    await expect(diagnoseImplementation(impl, report, { probes: 'yes' as unknown as boolean })).rejects.toThrow('diagnoseImplementation: options.probes is "yes"; expected true or false');
    await expect(diagnoseImplementation(impl, report, { probe: true } as never)).rejects.toThrow(GradcheckError);
    await expect(diagnoseImplementation(impl, report, { probe: true } as never)).rejects.toThrow('diagnoseImplementation: options.probe is not an option of diagnoseImplementation; expected one of case, probes');
    const d = await diagnoseImplementation(impl, report, { probes: false });
    expect(d.probes).toEqual([]);
    expect(d.cause).toBe('negated');
  });

  it('rejects a case that is not the report’s', async () => {
    const { report } = await checkOnCase(mutant('sign-flipped').create(), twoLayers, 1);
    const other = demonstrationCase(mutant('sign-flipped').smallest, 1);
    expect(() => diagnosisCase(report, other)).toThrow(GradcheckError);
    expect(() => diagnosisCase(report, other)).toThrow(
      "diagnose: report.claimed.parameters has 17 entries but the case's network has 2; expected the case the report was made for",
    );
  });
});
