/**
 * The third catalogue (issue 21, item 6): bugs of a tape-based reverse-mode autodiff (tape.ts: ops
 * record closures, backward runs them in reverse) and of a dense network built from its ops
 * (network.ts). A style unlike the first two: no layer computes its own δ; gradients flow op by op.
 *
 * Each bug records whether the diagnosis's hypothesis space (src/diagnosis/hypotheses.ts) holds a
 * cause that reproduces it exactly on every case (`causes`, one key) or not (`causes` empty). For the
 * bugs outside it, `findingRight` says which findings are true of the planted bug: every finding the
 * diagnosis states must pass it (else it is a wrong finding), and a right diagnosis states at least
 * one that is more specific than the tensor. A stateful bug's right answer is the state (`stateful`).
 */
import type { Finding } from '../../src/diagnosis/findings/finding.js';
import { net, type Mutant, type NotABug, type SmallestCase } from '../catalogue/mutant.js';
import * as bug from './bugs.js';
import { TapeNetwork } from './network.js';
import * as twin from './twins.js';

export interface TapeMutant extends Mutant {
  /** Outside the hypothesis space: which findings are true of the bug (undefined: no finding can be expected). */
  readonly findingRight?: (f: Finding) => boolean;
  /** The bug keeps state between calls: a diagnosis that says so is right about it. */
  readonly stateful?: boolean;
}

const sum1 = (network: SmallestCase['network'], extra: Partial<SmallestCase> = {}): SmallestCase => ({ network, batch: 1, reduction: 'sum', ...extra });
const one = net(1, ['identity', 1]);
const twoLayers = net(1, ['identity', 1], ['identity', 1]);
const kindOf = (f: Finding): string => f.tensor.replace(/\d+$/, '');

type Entry = Omit<TapeMutant, 'id' | 'create'> & { readonly make: new (name: string) => TapeNetwork };

const entries: Readonly<Record<string, Entry>> = {
  // ---- inside the hypothesis space
  'mul-vjp-assigns': {
    title: "mul's VJP assigns instead of adding (fan-out)",
    description: 'The square is written d ⊙ d; mul\'s closure writes x.grad = … and y.grad = …, so the second operand\'s write replaces the first: dL/dd = g·d where 2·g·d belongs.',
    causes: ['missing-factor-2'],
    shows: 'any case',
    smallest: sum1(one),
    make: bug.MulAssigns,
  },
  'bias-sum-wrong-axis': {
    title: "The bias op's broadcast-sum over the units",
    description: "addRow's VJP sums the incoming gradient over axis 1 (the units) instead of axis 0 (the rows), where batch = width lets the shapes fit.",
    causes: ['bias-summed-over-wrong-axis'],
    shows: 'a layer with a bias whose width equals the batch (≥ 2)',
    smallest: { network: net(1, ['identity', 2]), batch: 2, reduction: 'sum' },
    make: bug.BiasSumWrongAxis,
  },
  'mean-vjp-over-rows': {
    title: "The mean op's VJP divides by the rows only",
    description: 'The forward divides Σ by N·K; the closure divides the gradient by N only.',
    causes: ['mean-over-batch-only'],
    shows: 'mean reduction with ≥ 2 outputs',
    smallest: { network: net(1, ['identity', 2]), batch: 1, reduction: 'mean' },
    make: bug.MeanVjpOverRows,
  },
  'sigmoid-vjp-from-input': {
    title: "The sigmoid's VJP from its input",
    description: "s(1 − s) computed with s the op's input z instead of its output σ(z).",
    causes: ['derivative-formula-on-preactivation'],
    shows: 'a sigmoid layer',
    smallest: sum1(net(1, ['sigmoid', 1])),
    make: bug.SigmoidVjpFromInput,
  },
  'zero-grad-skips-output-bias': {
    title: 'zero_grad skips the output bias',
    description: "The model's zero_grad loop leaves the output layer's bias buffer alone: it keeps adding up over calls.",
    causes: ['accumulated-across-calls'],
    shows: 'a second call with the same architecture',
    smallest: sum1(one, { calls: 2 }),
    stateful: true,
    make: bug.ZeroGradSkipsOutputBias,
  },
  'weight-vjp-float32': {
    title: 'The weight VJP accumulated in float32',
    description: 'aᵀ·g summed in a Float32Array scratch (each partial sum rounded to float32); every other op stays float64.',
    causes: ['mixed-precision'],
    shows: 'cases where float32 rounding of a weight gradient exceeds the float64 allowance (cancellation in the sum over the batch)',
    smallest: { network: one, batch: 2, reduction: 'sum', seed: 283 },
    make: bug.WeightVjpFloat32,
  },
  'first-weight-vjp-negated': {
    title: "The weight VJP negated where the matmul reads the input",
    description: 'A special case for the first layer (the matmul whose left operand is x) subtracts aᵀ·g instead of adding it.',
    causes: ['negated'],
    shows: 'any case',
    smallest: sum1(one),
    make: bug.FirstWeightVjpNegated,
  },
  // ---- outside the hypothesis space
  'topological-sort-revisits': {
    title: 'A topological sort that visits a node twice',
    description: 'The backward order comes from a depth-first search without a visited set; with the square written d ⊙ d, everything below d is listed twice and each closure runs twice, at different times: each tensor gets a different multiple of its gradient.',
    causes: [],
    shows: 'any case',
    smallest: sum1(one),
    // Every closure below d runs twice, the second time with its node's gradient already grown: each tensor gets a whole multiple of its gradient.
    findingRight: (f) => f.relation === 'multiplicity',
    make: bug.TopologicalSortRevisits,
  },
  'input-vjp-first-feature': {
    title: 'dL/dx for the first input feature only',
    description: "The input VJP's loop over the features stops at k < 1 where the matmul reads x (a loop bound from a one-feature test).",
    causes: [],
    shows: '≥ 2 input features',
    smallest: sum1(net(2, ['identity', 1])),
    findingRight: (f) => f.tensor === 'x' && f.mask === 'cols-but-first' && f.relation === 'zero',
    make: bug.InputVjpFirstFeature,
  },
  'sub-vjp-drops-last-sample': {
    title: "The subtraction's VJP drops the last sample",
    description: 'The closure of ŷ − y loops over rows − 1 rows: the last sample of the batch adds nothing to any gradient (the loss value is right).',
    causes: [],
    shows: 'any case (with batch 1 every gradient is 0)',
    smallest: sum1(one),
    // The op is between the loss and ŷ: the whole claim is the backward pass of another dL/dŷ (the last sample's row 0).
    findingRight: (f) => (f.relation === 'samples' && f.says.endsWith('every sample but the last')) || (f.tensor === 'x' && f.mask === 'row-last' && f.relation === 'zero') || f.relation === 'output-gradient',
    make: bug.SubVjpDropsLastSample,
  },
  'weight-vjp-skips-last-unit': {
    title: "The weight VJP skips every W's last unit",
    description: 'The unit loop of aᵀ·g stops at j < m − 1: the last unit column of every W stays zero.',
    causes: [],
    shows: 'any case',
    smallest: sum1(one),
    findingRight: (f) => kindOf(f) === 'W' && f.mask === 'col-last' && f.relation === 'zero',
    make: bug.WeightVjpSkipsLastUnit,
  },
  'weight-vjp-clipped': {
    title: 'The weight VJP clipped to ±1',
    description: 'A "safety" clip left in the matmul closure: every W gradient entry clamped to [−1, 1]; the biases and dL/dx are not.',
    causes: [],
    shows: 'a weight gradient entry beyond ±1',
    smallest: sum1(one),
    findingRight: (f) => kindOf(f) === 'W' && f.relation === 'clipped' && f.parameters?.bound === 1,
    make: bug.WeightVjpClipped,
  },
  'global-norm-clipped': {
    title: 'dL/dθ clipped to norm 1',
    description: 'clip_grad_norm(1.0) applied to the gradients before they are returned: every W and b rescaled by one factor when the whole norm exceeds 1.',
    causes: [],
    shows: 'a gradient norm above 1',
    smallest: sum1(one, { seed: 2 }),
    findingRight: (f) => f.relation === 'norm-clipped' && f.says.includes('whole dL/dθ') && Math.abs((f.parameters?.norm ?? 0) - 1) < 1e-9,
    make: bug.GlobalNormClipped,
  },
  'first-two-weight-gradients-swapped': {
    title: "Two layers' weight gradients swapped",
    description: "The first two layers' dW returned in each other's place (a zip over a reversed list), where their shapes agree.",
    causes: [],
    shows: 'two first layers of the same shape',
    smallest: sum1(twoLayers),
    findingRight: (f) => f.relation === 'other-tensor' && ((f.tensor === 'W1' && f.says.startsWith("claimed = W2's")) || (f.tensor === 'W2' && f.says.startsWith("claimed = W1's"))),
    make: bug.FirstTwoWeightGradientsSwapped,
  },
  'gradient-buffer-tied-by-shape': {
    title: 'A weight gradient tied by accident',
    description: "The model keeps its weight-gradient buffers in a map keyed by shape: two layers of one shape share one buffer, and both report dW₁ + dW₂.",
    causes: [],
    shows: 'two layers of the same shape',
    smallest: sum1(twoLayers),
    findingRight: (f) => kindOf(f) === 'W' && f.relation === 'plus-other-tensor',
    make: bug.GradientBufferTiedByShape,
  },
  'matmul-memo-keyed-by-input': {
    title: "The first matmul memoised by the input's values",
    description: 'x·W₁ cached under a key made of x only: a call with the same inputs and new weights reuses the old x·W₁ (the bias is added afresh, so the answer still moves with b: no stale-answer cause describes it).',
    causes: [],
    shows: 'a case whose inputs an earlier call had, with other weights',
    smallest: sum1(one, { calls: 2, shares: 'inputs' }),
    stateful: true,
    make: bug.InputKeyedMemo,
  },
  'stale-tape-reused': {
    title: 'A stale tape reused across calls',
    description: 'The tape is a field that is never cleared: each backward also replays the earlier calls\' nodes, whose gradients were never reset, into the shared buffers.',
    causes: [],
    shows: 'a second call with the same architecture',
    smallest: sum1(one, { calls: 2 }),
    stateful: true,
    make: bug.StaleTapeReused,
  },
  'square-vjp-from-output': {
    title: "The square's VJP from its output",
    description: "d(d²)/dd taken as 2·d² (the op's output) instead of 2·d (its input).",
    causes: [],
    shows: 'any case',
    smallest: sum1(one),
    // The op is the loss's square: every layer's backward pass is right, fed dL/dŷ = 2c·(ŷ − y)².
    findingRight: (f) => f.relation === 'output-gradient',
    make: bug.SquareVjpFromOutput,
  },
};

export const tapeMutants: readonly TapeMutant[] = Object.entries(entries).map(([id, { make, ...e }]) => ({ id, ...e, create: () => new make(`tape ${id}`) }));

const twinEntries: Readonly<Record<string, Omit<NotABug, 'id' | 'create'> & { readonly make: new (name: string) => TapeNetwork }>> = {
  'tape-correct': { title: 'The correct tape autodiff', description: 'network.ts as written.', make: TapeNetwork },
  'twin-topological-order': { title: 'Topological order', description: 'The backward order from a depth-first sort with a visited set instead of the tape reversed.', make: twin.TopologicalOrder },
  'twin-square-as-product': { title: 'Square as d ⊙ d', description: "The square written as mul(d, d): a fan-out whose two closures add into d.", make: bug.SquareAsProduct },
  'twin-fused-linear': { title: 'Fused linear op', description: 'a·W + b as one op with one closure for dL/da, dL/dW and dL/db.', make: twin.FusedLinear },
  'twin-relu-prime-one-at-zero': { title: "ReLU′(0) = 1", description: 'The other subgradient convention at z = 0.', make: twin.ReluPrimeOneAtZero },
  'twin-relu-mask-from-output': { title: 'ReLU mask from the output', description: 'y > 0 instead of z > 0: the same mask.', make: twin.ReluMaskFromOutput },
  'twin-fresh-buffers': { title: 'Fresh buffers per call', description: 'The gradient buffers allocated on every call instead of kept and zeroed.', make: twin.FreshBuffers },
};

export const tapeTwins: readonly NotABug[] = Object.entries(twinEntries).map(([id, { make, ...e }]) => ({ id, ...e, create: () => new make(`tape ${id}`) }));
