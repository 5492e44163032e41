/**
 * The second catalogue (issue 12): bugs in another style and language than `mutants/catalogue/`. Each is
 * a small subclass of the NumPy multilayer perceptron of `network.py` (a class per layer caching x, z
 * and a; weights outputs × inputs; dL/dx and the loss returned), served by `worker.py --bug ID` over the
 * worker protocol. The correct twins (`twin-*`, and `correct`) must pass.
 *
 * Each bug records the cause a diagnosis should name (`causes`, a key of src/diagnosis/causes.ts) and the
 * smallest case that can show it in the generators' shrink order (see `SmallestCase`).
 */
import { fileURLToPath } from 'node:url';
import { spawnWorker, type WorkerImplementation } from '../../src/adapters/subprocess/spawn-worker.js';
import type { NetworkSpec } from '../../src/engine/dense-layer.js';
import type { Mutant, NotABug, SmallestCase } from '../catalogue/mutant.js';
import { net } from '../catalogue/mutant.js';

/** The worker that serves every model of bugs.py. */
export const NUMPY_WORKER = fileURLToPath(new URL('./worker.py', import.meta.url));

/** The Python interpreter: GRADCHECK_PYTHON, else `python3`. */
export const PYTHON = process.env.GRADCHECK_PYTHON ?? 'python3';

/** A NumPy bug: the first catalogue's fields and a worker process per instance. */
export interface WorkerMutant extends Omit<Mutant, 'create'> {
  /** Only the returned loss value is wrong (the diagnosis should say so, with the ratio). */
  readonly lossOnly?: boolean;
  /** A fresh worker process (stateful bugs must not share state between runs); close it when done. */
  create(): Promise<WorkerImplementation>;
}

/** A correct twin served by the same worker. */
export interface WorkerTwin extends Omit<NotABug, 'create'> {
  create(): Promise<WorkerImplementation>;
}

/** Starts `worker.py --bug id`. */
export function numpyWorker(id: string): Promise<WorkerImplementation> {
  return spawnWorker([PYTHON, NUMPY_WORKER, '--bug', id], { name: `numpy ${id}` });
}

const one = (activation: NetworkSpec['layers'][number]['activation']): NetworkSpec => net(1, [activation, 1]);
const noBias = (spec: NetworkSpec): NetworkSpec => ({ ...spec, layers: spec.layers.map((l) => ({ ...l, bias: false })) });
const sum1 = (network: NetworkSpec, extra: Partial<SmallestCase> = {}): SmallestCase => ({ network, batch: 1, reduction: 'sum', ...extra });

type Entry = Omit<WorkerMutant, 'id' | 'create'>;

const entries: Readonly<Record<string, Entry>> = {
  'ce-gradient-logistic-output': {
    title: 'Cross-entropy gradient under MSE',
    description: "A one-unit sigmoid output is treated as a logistic classifier: δ_L = a − y, the cross-entropy's error, with no σ'(z) and no factor of the reduction.",
    causes: ['cross-entropy-gradient'],
    shows: 'a sigmoid output layer of width 1',
    smallest: sum1(one('sigmoid')),
  },
  'relu-derivative-sign-flipped': {
    title: 'ReLU derivative with its sign flipped',
    description: "relu'(z) = −1 where z > 0: the minus sign of an earlier edit left in.",
    causes: ['relu-derivative-negated'],
    shows: 'a ReLU unit with z > 0',
    smallest: sum1(one('relu'), { seed: 2 }),
  },
  'relu-mask-inverted': {
    title: 'ReLU mask inverted',
    description: "relu'(z) = 1 where z ≤ 0 and 0 where z > 0: the mask of the units that are off.",
    causes: ['relu-mask-inverted'],
    shows: 'a ReLU layer',
    smallest: sum1(one('relu')),
  },
  'leaky-slope-left-in': {
    title: "A leaky ReLU's slope left in",
    description: 'The derivative is 0.01 where z ≤ 0, copied from a leaky ReLU, while the forward pass is a plain ReLU.',
    causes: ['leaky-slope-left-in'],
    shows: 'a ReLU unit with z < 0',
    smallest: sum1(one('relu')),
  },
  'sigmoid-derivative-doubled': {
    title: "Sigmoid derivative twice too large",
    description: "σ'(z) written 2σ(z)(1 − σ(z)). On a one-layer MSE case it looks like a loss scale of 2; only other activations tell them apart.",
    causes: ['activation-derivative-doubled'],
    shows: 'a sigmoid layer',
    smallest: sum1(one('sigmoid')),
  },
  'identity-derivative-is-z': {
    title: 'Identity derivative written as z',
    description: "d/dz z is returned as z instead of 1: the activation where its derivative belongs, for identity layers only.",
    causes: ['activation-instead-of-derivative'],
    shows: 'an identity layer',
    smallest: sum1(one('identity')),
  },
  'tanh-derivative-for-sigmoid': {
    title: "tanh's derivative for a sigmoid",
    description: "σ'(z) computed as 1 − a², the derivative of tanh, left over from a tanh network.",
    causes: ['wrong-activation-derivative'],
    shows: 'a sigmoid layer',
    smallest: sum1(one('sigmoid')),
  },
  'bias-summed-without-axis': {
    title: 'Bias gradient summed without an axis',
    description: 'db = δ.sum() summed over the samples and the units, then broadcast to every unit: right for width 1.',
    causes: ['bias-summed-without-axis'],
    shows: 'a layer with a bias and ≥ 2 units',
    smallest: sum1(net(1, ['identity', 2])),
  },
  'bias-last-sample': {
    title: "Bias gradient of the last sample",
    description: "db = δ[-1]: the last row of the batch, a leftover of a per-sample loop.",
    causes: ['bias-last-sample'],
    shows: 'batch > 1',
    smallest: { network: one('identity'), batch: 2, reduction: 'sum' },
  },
  'weights-averaged-bias-summed': {
    title: 'Weights averaged over the batch, bias summed',
    description: "dW = δᵀx / N while db = Σ δ: the weights follow a per-sample average, the bias the batch sum.",
    causes: ['weights-averaged'],
    shows: 'batch > 1',
    smallest: { network: one('identity'), batch: 2, reduction: 'sum' },
  },
  'no-bias-layer-linear': {
    title: 'A layer without bias treated as linear',
    description: "\"A layer without a bias is a linear projection\": f'(z) forgotten in such layers' backward pass.",
    causes: ['missing-activation-derivative'],
    shows: 'a non-identity layer without a bias',
    smallest: sum1(noBias(one('sigmoid'))),
  },
  'input-gradient-before-derivative': {
    title: "dL/dx from dL/da, not dL/dz",
    description: "The returned dL/dx is grad·W, without f'(z) of the first layer; the parameter gradients are right.",
    causes: ['propagated-before-derivative'],
    shows: 'a non-identity first layer (in dL/dx only)',
    smallest: sum1(one('sigmoid')),
  },
  'weight-decay-in-gradient': {
    title: 'Weight decay folded into the gradient',
    description: 'dW = δᵀx + 0.01·W: an L2 penalty the loss does not have.',
    causes: ['weight-decay-in-gradient'],
    shows: 'any case',
    smallest: sum1(one('identity')),
  },
  'square-layout-guessed': {
    title: 'Layout guessed from the shape',
    description: 'W is read outputs × inputs unless its shape fits inputs × outputs: a square W is read in the other layout, forward and backward.',
    causes: ['weights-read-transposed'],
    shows: 'a square layer of width ≥ 2',
    smallest: sum1(net(2, ['identity', 2])),
  },
  'mean-over-inputs': {
    title: 'Mean over N·inputs',
    description: "The mean's gradient is divided by N times the number of inputs instead of N times the number of outputs.",
    causes: ['mean-over-wrong-count'],
    shows: 'MSE mean, inputs ≠ outputs',
    smallest: { network: net(2, ['identity', 1]), batch: 1, reduction: 'mean' },
    alsoSmallest: [{ network: net(1, ['identity', 2]), batch: 1, reduction: 'mean' }],
  },
  'always-mean-gradient': {
    title: "The mean's gradient whatever the reduction",
    description: "dL/dŷ = 2(ŷ − y)/(N·K) for every case, while the loss value follows the case's reduction.",
    causes: ['fixed-reduction'],
    shows: 'MSE half-sum, or N·K > 1',
    smallest: { network: one('identity'), batch: 1, reduction: 'half-sum' },
    alsoSmallest: [{ network: one('identity'), batch: 2, reduction: 'sum' }, { network: net(1, ['identity', 2]), batch: 1, reduction: 'sum' }],
  },
  'middle-layers-derivative-missing': {
    title: "f' missing in the middle layers",
    description: "The backward pass applies f'(z) at the first and the last layer only; the layers between pass dL/da down as dL/dz.",
    causes: ['missing-activation-derivative'],
    shows: 'depth ≥ 3 with a non-identity middle layer',
    smallest: sum1(net(1, ['identity', 1], ['sigmoid', 1], ['identity', 1])),
  },
  'loss-four-times-half-sum': {
    title: 'Returned loss 4× the half-sum',
    description: 'The gradients are right; the returned loss is 2·Σ(ŷ − y)², four times the half-sum whatever the reduction.',
    causes: ['loss-value-scaled'],
    lossOnly: true,
    shows: 'any case (the loss value only)',
    smallest: sum1(one('identity')),
  },
  'accumulator-never-zeroed': {
    title: 'Gradient buffers never zeroed; dL/dx fresh',
    description: 'dW and db are added to buffers kept per architecture and never zeroed, while dL/dx is recomputed on each call.',
    causes: ['accumulated-across-calls'],
    shows: 'a second call with the same architecture',
    smallest: sum1(one('identity'), { calls: 2 }),
  },
  'forward-cache-keyed-by-shape': {
    title: 'Forward cache keyed by shape',
    description: "The forward pass is memoised by input shape and architecture: a new case of the same shape gets the old case's x, z and a.",
    causes: ['stale-forward-cache'],
    shows: 'a second call with the same shapes',
    smallest: sum1(one('identity'), { calls: 2 }),
  },
  'forward-memo-keyed-by-batch': {
    title: 'Forward cache keyed by the inputs',
    description: 'The forward pass is memoised by the input values: the same batch under new weights gets the old x, z and a.',
    causes: ['stale-forward-cache'],
    shows: 'the same inputs after other weights',
    smallest: sum1(one('identity'), { calls: 2, shares: 'inputs' }),
  },
  'float32-undeclared': {
    title: 'float32 arithmetic, not declared',
    description: "Every array is cast to float32 and every operation stays there, but the worker does not declare precision 'float32'.",
    causes: ['float32-rounding'],
    shows: 'cases where float32 rounding exceeds the float64 allowance (some seeds only)',
    smallest: sum1(one('identity'), { seed: 3 }),
  },
};

const twinEntries: Readonly<Record<string, Omit<WorkerTwin, 'id' | 'create'>>> = {
  correct: { title: 'The correct implementation', description: 'network.py as written.' },
  'twin-float32-declared': { title: 'float32, declared', description: "The float32 model, declaring precision 'float32': its rounding is allowed for." },
  'twin-sigmoid-from-z': { title: "σ' recomputed from z", description: "e^{−z}/(1 + e^{−z})² instead of the cached a(1 − a): the same derivative." },
  'twin-relu-mask-from-activation': { title: 'ReLU mask from a', description: 'a > 0 instead of z > 0: the same mask.' },
  'twin-per-sample-loop': { title: 'Per-sample loop', description: 'dW and db accumulated sample by sample with outer products.' },
  'twin-einsum': { title: 'einsum', description: 'dW and dL/dx with np.einsum.' },
  'twin-zeroed-accumulator': { title: 'Accumulator zeroed per call', description: 'The stateful buffers of accumulator-never-zeroed, zeroed at the start of every call.' },
  'twin-cache-keyed-by-content': { title: 'Forward cache keyed by content', description: 'The memo of forward-cache-keyed-by-shape, keyed by every value of the case.' },
};

/** The bugs, in catalogue order. */
export const numpyMutants: readonly WorkerMutant[] = Object.entries(entries).map(([id, e]) => ({ id, ...e, create: () => numpyWorker(id) }));

/** The correct implementation and its twins: each must pass. */
export const numpyTwins: readonly WorkerTwin[] = Object.entries(twinEntries).map(([id, e]) => ({ id, ...e, create: () => numpyWorker(id) }));
