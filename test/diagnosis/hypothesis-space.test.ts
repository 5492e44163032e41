/**
 * The diagnosis on bugs written in another style (layered-net.ts: a class per layer, weights out × in,
 * dL/dx returned) than the catalogue it grew next to: each planted bug is named, probes refute the
 * causes and hints that only fit the counterexample, and what is unknown is said with what is known.
 * The expected causes are the planted ones; the messages are the diagnosis's own wording.
 */
import { describe, expect, it } from 'vitest';
import { conventionHints } from '../../src/adapters/convention-hints.js';
import type { GradientResult, Implementation } from '../../src/adapters/implementation.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import { diagnoseImplementation } from '../../src/diagnosis/diagnose-implementation.js';
import { renderDiagnosis } from '../../src/diagnosis/render-diagnosis.js';
import { proveHints } from '../../src/diagnosis/prove-hints.js';
import { probeCases } from '../../src/diagnosis/probe-cases.js';
import { mutants } from '../../mutants/catalogue/index.js';
import type { NetworkSpec } from '../../src/engine/dense-layer.js';
import type { Reduction } from '../../src/engine/loss.js';
import { checkOnCase } from '../../mutants/demonstration-case.js';
import { LayeredNet, type Bugs } from './layered-net.js';

const spec = (inputs: number, ...layers: [NetworkSpec['layers'][number]['activation'], number][]): NetworkSpec => ({ inputs, layers: layers.map(([activation, outputs]) => ({ activation, outputs })) });
const sigmoid1 = spec(1, ['sigmoid', 1]);

async function diagnose(impl: Implementation, network: NetworkSpec, reduction: Reduction, batch = 1, seed = 1, calls = 1) {
  const { nc, report } = await checkOnCase(impl, { network, batch, reduction, calls }, seed);
  expect(report.verdict, `${impl.name} must fail on its case`).toBe('fail');
  return { report, nc, d: await diagnoseImplementation(impl, report, { case: nc }) };
}

const sig = (z: number) => 1 / (1 + Math.exp(-z));
const true_ = (name: string, z: number, a: number) => (name === 'sigmoid' ? a * (1 - a) : name === 'relu' ? (z > 0 ? 1 : 0) : 1);

describe('named causes, each tested on probes that vary what it depends on', () => {
  it('a doubled sigmoid derivative on [1 → sigmoid 1], MSE sum, is not a forgotten ½ (the issue’s confident wrong cause)', async () => {
    const { d } = await diagnose(new LayeredNet('doubled σ\'', { derivative: (n, z, a) => (n === 'sigmoid' ? 2 * a * (1 - a) : true_(n, z, a)) }), sigmoid1, 'sum');
    expect(d.cause).toBe('activation-derivative-doubled');
    expect(d.candidates.map((c) => c.key)).toEqual(['activation-derivative-doubled']);
    expect(d.confidence).toMatch(/^the counterexample and \d of 9 probe cases \(varying the batch, widths, reduction, activations, depth, bias, values\)/);
    expect(d.probes.flatMap((p) => p.refuted)).toContain('gradient-scaled-by-constant');
    expect(d.summary).toContain("Most likely cause: the activation derivative twice too large (2·σ'(z)) — ");
    expect(d.match!.detail).toContain('every sigmoid layer');
    expect(d.conventions).toEqual([]);
  });

  it('the cross-entropy error a − y under an MSE check', async () => {
    const impl = new LayeredNet('logistic', { derivative: (n, z, a, l, depth) => (l === depth ? 1 : true_(n, z, a)), lossGradient: (diff) => diff });
    const { d } = await diagnose(impl, spec(2, ['sigmoid', 3], ['sigmoid', 1]), 'sum', 2);
    expect(d.cause).toBe('cross-entropy-gradient');
    expect(d.match!.detail).toMatch(/^δ = 1·\(a − y\)/);
  });

  it.each([
    ['relu-derivative-negated', (z: number) => (z > 0 ? -1 : 0)],
    ['relu-mask-inverted', (z: number) => (z > 0 ? 0 : 1)],
    ['leaky-slope-left-in', (z: number) => (z > 0 ? 1 : 0.01)],
  ] as const)('ReLU derivative variants: %s', async (cause, relu) => {
    const impl = new LayeredNet(cause, { derivative: (n, z, a) => (n === 'relu' ? relu(z) : true_(n, z, a)) });
    const { d } = await diagnose(impl, spec(2, ['relu', 3], ['identity', 2]), 'sum', 3);
    expect(d.cause).toBe(cause);
    if (cause === 'leaky-slope-left-in') expect(d.match!.parameters!.slope).toBeCloseTo(0.01, 10);
  });

  it('a layout guessed from the shape: square weights read transposed, the loss off too; the layout hint is refuted by a non-square probe', async () => {
    const impl = new LayeredNet('guessed layout', { guessLayout: true });
    const { report, nc, d } = await diagnose(impl, spec(2, ['sigmoid', 2], ['identity', 2]), 'sum', 2);
    expect(d.cause).toBe('weights-read-transposed');
    expect(d.evidence.loss!.agrees).toBe(false);
    // On the counterexample alone, declaring the other layout fits; the widths probe refutes it.
    expect(conventionHints(report).map((h) => h.declare)).toContainEqual({ weightLayout: 'in-out' });
    expect(await proveHints(impl, report, conventionHints(report), nc, probeCases(nc, 1).map((p) => p.nc))).toEqual([]);
    expect(d.conventions).toEqual([]);
    expect(renderDiagnosis(d)).not.toContain('Convention:');
  });

  it('a mean over N × inputs gets no "declare reduction" hint: the hint fits the counterexample only', async () => {
    const impl = new LayeredNet('mean over inputs', { withoutLoss: true, lossGradient: (diff, c, scale) => (c.reduction === 'mean' ? (2 * diff) / (c.inputs.length * c.network.inputs) : scale * diff) });
    const { report, nc, d } = await diagnose(impl, spec(2, ['identity', 1]), 'mean');
    expect(conventionHints(report).map((h) => h.declare)).toContainEqual({ reduction: 'half-sum' });
    // Asked each probe with its own reduction, the code does not compute the half-sum's gradient: refuted.
    expect(await proveHints(impl, report, conventionHints(report), nc, probeCases(nc, 1).map((p) => p.nc))).toEqual([]);
    expect(d.cause).toBe('mean-over-wrong-count');
    expect(d.match!.detail).toBe('divided by N × the inputs');
    expect(d.conventions).toEqual([]);
  });

  it('float32 arithmetic, undeclared: float32 rounding, with a proven precision hint and no learning-rate hint', async () => {
    const impl = new LayeredNet('float32', { round: Math.fround });
    let found = false;
    for (let seed = 1; seed <= 40 && !found; seed++) {
      const { report } = await checkOnCase(impl, { network: spec(3, ['sigmoid', 4], ['identity', 2]), batch: 3, reduction: 'mean' }, seed);
      if (report.verdict !== 'fail') continue;
      found = true;
      const d = await diagnoseImplementation(impl, report);
      expect(d.cause).toBe('float32-rounding');
      expect(d.conventions.map((h) => h.text)).toEqual(["these match if computed in float32 arithmetic — declare precision: 'float32'"]);
    }
    expect(found, 'some seed shows float32 rounding beyond the float64 allowance').toBe(true);
  });

  it('an accumulator never zeroed while dL/dx is recomputed fresh', async () => {
    const { d } = await diagnose(new LayeredNet('accumulator', { accumulate: true }), spec(2, ['sigmoid', 2], ['identity', 1]), 'sum', 2, 1, 2);
    expect(d.cause).toBe('accumulated-across-calls');
    expect(d.match!.detail).toBe('each further call with the same case returned the previous answer plus the correct gradient (in W1, b1, W2, b2; x recomputed fresh)');
  });

  it('a forward cache keyed by shape', async () => {
    const { d } = await diagnose(new LayeredNet('cache by shape', { cacheByShape: true }), spec(2, ['sigmoid', 2], ['identity', 1]), 'sum', 2, 1, 2);
    expect(d.cause).toBe('stale-forward-cache');
    expect(d.summary).toContain('stale values: the answer does not change when the inputs or the weights do');
    expect(d.summary).toContain('asked again with other inputs of the same shape: the answer stayed the same');
  });

  it('a forward cache keyed by shape, diagnosed on an instance whose cache holds another case (the runner shrinks a stateful failure on new instances)', async () => {
    // numpy catalogue, forward-cache-keyed-by-shape, fast-check seed 3: the counterexample came from one
    // instance; the instance diagnosed had cached a different case of the same shape, so asking the
    // counterexample again gave another answer, twice the same. The planted cause is the cache.
    const shape = { network: spec(1, ['identity', 1]), batch: 1, reduction: 'sum' as const };
    const { nc, report } = await checkOnCase(new LayeredNet('cache by shape', { cacheByShape: true }), { ...shape, calls: 2 }, 1);
    expect(report.verdict).toBe('fail');
    const other = new LayeredNet('cache by shape', { cacheByShape: true });
    await checkOnCase(other, shape, 7);
    const d = await diagnoseImplementation(other, report, { case: nc });
    expect(d.cause).toBe('stale-forward-cache');
    expect(d.summary).toContain("asked again, the counterexample was answered from an earlier call's values");
  });

  it('a result cache keyed by the weights', async () => {
    const cache = new Map<string, GradientResult>();
    const impl: Implementation = {
      name: 'cache by weights',
      gradients(c) {
        const key = JSON.stringify(c.parameters);
        if (!cache.has(key)) cache.set(key, referenceImplementation().gradients(c) as GradientResult);
        return cache.get(key)!;
      },
    };
    // Tripped by an earlier call with the same weights and other inputs.
    const { nc, report } = await checkOnCase(impl, { network: spec(2, ['sigmoid', 2], ['identity', 1]), batch: 2, reduction: 'sum', calls: 2, shares: 'weights' }, 1);
    expect(report.verdict).toBe('fail');
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.cause).toBe('stale-forward-cache');
    expect(d.summary).toContain('asked again with other inputs of the same shape');
  });

  it('an answer cache keyed by the inputs', async () => {
    const cache = new Map<string, GradientResult>();
    const impl: Implementation = {
      name: 'cache by inputs',
      gradients(c) {
        const key = JSON.stringify(c.inputs);
        if (!cache.has(key)) cache.set(key, referenceImplementation().gradients(c) as GradientResult);
        return cache.get(key)!;
      },
    };
    const { nc, report } = await checkOnCase(impl, { network: spec(2, ['identity', 1]), batch: 2, reduction: 'sum', calls: 2, shares: 'inputs' }, 1);
    expect(report.verdict).toBe('fail');
    const d = await diagnoseImplementation(impl, report, { case: nc });
    expect(d.cause).toBe('stale-forward-cache');
    expect(d.summary).toContain('asked again with other weights of the same shape');
  });
});

describe('hints proven on probes', () => {
  it('keeps a hint that holds everywhere: updates −0.1·gradient, declared as such, pass every probe', async () => {
    const impl = mutants.find((m) => m.id === 'returns-update')!.create();
    const { nc, report } = await checkOnCase(impl, { network: spec(2, ['sigmoid', 3], ['identity', 2]), batch: 3, reduction: 'mean' }, 1);
    const proven = await proveHints(impl, report, conventionHints(report), nc, probeCases(nc, 1).map((p) => p.nc));
    expect(proven.map((h) => h.text)).toEqual(["these match if read as updates −0.1·gradient — declare returns: 'update', learningRate: 0.1"]);
    // An update is a convention a declaration describes exactly: the diagnosis names it and offers the proven declaration.
    expect((await diagnoseImplementation(impl, report, { case: nc })).conventions.map((h) => h.declare)).toEqual([{ returns: 'update', learningRate: 0.1 }]);
  });

  it('refutes a learning-rate hint fitted on a one-unit chain to a scaled sigmoid derivative', async () => {
    // −0.3·σ' on the only unit makes every entry −0.3 × correct: an "update with rate 0.3" on this case alone.
    const impl = new LayeredNet('−0.3 σ\'', { derivative: (n, z, a) => (n === 'sigmoid' ? -0.3 * a * (1 - a) : true_(n, z, a)), withoutLoss: true });
    const { nc, report } = await checkOnCase(impl, { network: sigmoid1, batch: 1, reduction: 'sum' }, 1);
    const hints = conventionHints(report);
    expect(hints.map((h) => h.declare)).toEqual([{ returns: 'update', learningRate: 0.3 }]);
    expect(await proveHints(impl, report, hints, nc, probeCases(nc, 1).map((p) => p.nc))).toEqual([]);
  });
});

describe('loss-only disagreements', () => {
  it('headlines the ratio: the returned loss is 4× the reference half-sum, whatever the reduction', async () => {
    const impl = new LayeredNet('loss ×4', { loss: (ss) => 2 * ss });
    const { d } = await diagnose(impl, spec(2, ['sigmoid', 2], ['identity', 1]), 'half-sum', 2);
    expect(d.lossOnly).toBe(true);
    expect(d.summary).toMatch(/^Loss-only disagreement: the claimed gradients equal the correct ones, but the returned loss is 4× the reference 'half-sum' loss \(\S+ against \S+\) \(look at the forward pass or the loss value\)\. Most likely cause: the returned loss value scaled by a constant/);
    expect(d.cause).toBe('loss-value-scaled');
    expect(d.match!.detail).toBe("4 × the 'half-sum' loss, whatever the reduction");
    expect(renderDiagnosis(d)).toContain('Every tensor is right.');
  });

  it('stays a headline without a cause when the loss error has no constant ratio', async () => {
    const impl = new LayeredNet('loss +1', { loss: (ss, c) => 0.5 * ss + 1 + c.inputs.length });
    const { d } = await diagnose(impl, spec(1, ['identity', 1]), 'half-sum');
    expect(d.lossOnly).toBe(true);
    expect(d.cause).toBeUndefined();
    expect(d.summary).toMatch(/^Loss-only disagreement: the claimed gradients equal the correct ones, but the returned loss is \S+× the reference 'half-sum' loss/);
  });
});

describe('unknown causes, with what is known', () => {
  it('names the first wrong layer from the output, the wrong tensors and that the loss agrees', async () => {
    const impl = new LayeredNet('wobbly σ\'', { derivative: (n, z, a, l, depth) => (l < depth ? a * (1 - a) * (1 + 0.3 * Math.sin(3 * z)) : true_(n, z, a)) });
    const { d } = await diagnose(impl, spec(2, ['sigmoid', 3], ['identity', 2]), 'sum', 2);
    expect(d.verdict).toBe('unknown');
    expect(d.summary).toBe('Cause unknown: no known mistake, recomputed, reproduces the claimed gradients. Known: counting from the output, the first wrong layer is layer 1 (2nd from the output); wrong: W1, b1, x; the loss value agrees.');
    const text = renderDiagnosis(d);
    expect(text).toContain('Right: layer 2; wrong: layer 1; counting from the output, the first wrong layer is layer 1.');
    expect(text).toContain('Loss value: agrees with the reference.');
  });

  it('says when only dL/dx is wrong, not "every layer is right"', async () => {
    const impl = new LayeredNet('dx off', { inputGradient: (g) => g.map((r) => r.map((v, q) => (q === 0 ? 1.5 * v + 0.1 : v))) });
    const { d } = await diagnose(impl, spec(2, ['sigmoid', 2], ['identity', 1]), 'sum', 2);
    expect(d.verdict).toBe('unknown');
    expect(d.summary).toContain("Known: every layer’s W and b are right; wrong: x; the loss value agrees.");
    expect(renderDiagnosis(d)).toContain('Every layer’s W and b are right; only dL/dx is wrong.');
  });
});

describe('no false alarm on the correct twins of this style', () => {
  it.each([
    ['correct', new LayeredNet('correct')],
    ['float32, declared', new LayeredNet('float32 declared', { round: Math.fround }, 'float32')],
    ['σ\' from z', new LayeredNet('σ\' from z', { derivative: (n, z, a) => (n === 'sigmoid' ? sig(z) * (1 - sig(z)) : true_(n, z, a)) })],
  ])('%s passes', async (_name, impl) => {
    for (let seed = 1; seed <= 5; seed++) {
      const { report } = await checkOnCase(impl, { network: spec(2, ['sigmoid', 3], ['relu', 2], ['identity', 2]), batch: 3, reduction: 'mean' }, seed);
      expect(report.verdict).toBe('pass');
    }
  });
});
