/**
 * Fingerprints: for each known cause, a way to recompute what an implementation with that mistake
 * would claim. Constants a mistake carries (a learning rate, a saturation cut-off, one scale factor)
 * are fitted on the observed case and then held fixed, so a hypothesis predicts any other case too.
 */
import type { NetworkCase } from '../check/objective/network-objective.js';
import type { CauseKey } from './causes.js';
import { variantGradients, type BackwardVariant, type DerivativeMistake } from './backward-variant.js';
import { correctGradient, type DiagnosisCase } from './diagnosis-case.js';

export interface Hypothesis {
  readonly key: CauseKey;
  /** Where and how, in words: `layer 2 (output)`, `rate 0.1`. Empty when the title says it all. */
  readonly detail: string;
  /** Constants fitted on the observed case. */
  readonly parameters?: Readonly<Record<string, number>>;
  /** The gradient (dL/dθ, then dL/dx when asked) this mistake would claim, or undefined when it cannot say. */
  predict(nc: NetworkCase, withInputs: boolean): Float64Array | undefined;
}

/** Every hypothesis worth testing on this case. */
export function hypothesesFor(d: DiagnosisCase): Hypothesis[] {
  return [...scaleHypotheses(d), ...derivativeHypotheses(d), ...structuralHypotheses(), ...fittedHypotheses(d)];
}

function variant(key: CauseKey, detail: string, v: BackwardVariant, parameters?: Record<string, number>): Hypothesis {
  return {
    key,
    detail,
    parameters,
    predict(nc, withInputs) {
      const g = variantGradients(nc, v);
      if (!withInputs) return g.parameters;
      const out = new Float64Array(g.parameters.length + g.inputs.length);
      out.set(g.parameters);
      out.set(g.inputs, g.parameters.length);
      return out;
    },
  };
}

function scaled(key: CauseKey, detail: string, factor: (nc: NetworkCase) => number | undefined, parameters?: Record<string, number>): Hypothesis {
  return {
    key,
    detail,
    parameters,
    predict(nc, withInputs) {
      const f = factor(nc);
      return f === undefined ? undefined : correctGradient(nc, withInputs).map((g) => f * g);
    },
  };
}

const batchOf = (nc: NetworkCase): number => nc.inputs.rows;
const outputsOf = (nc: NetworkCase): number => nc.network.outputCount;

/** The whole gradient times one number: named constants first, then a fitted rate. */
function scaleHypotheses(d: DiagnosisCase): Hypothesis[] {
  const out: Hypothesis[] = [
    scaled('negated', '', () => -1),
    scaled('extra-factor-2', '', () => 2),
    scaled('missing-factor-2', '', () => 0.5),
    scaled('mean-not-divided', '', (nc) => (nc.reduction === 'mean' ? batchOf(nc) * outputsOf(nc) : undefined)),
    scaled('mean-over-batch-only', '', (nc) => (nc.reduction === 'mean' ? outputsOf(nc) : undefined)),
    scaled('divided-by-batch', '', (nc) => (nc.reduction !== 'mean' ? 1 / batchOf(nc) : undefined)),
  ];
  const r = leastSquaresRatio(d.claimed, d.correct);
  // A learning rate is in (0, 1); the named factors above are not rates.
  if (r !== undefined && Math.abs(r) < 1 && r !== 0 && !namedFactor(d.nc, r)) {
    const rate = Math.abs(r);
    const key: CauseKey = r > 0 ? 'scaled-by-learning-rate' : 'returns-update';
    out.push(scaled(key, `rate ${formatRate(rate)}`, () => r, { learningRate: rate }));
  }
  return out;
}

function namedFactor(nc: NetworkCase, r: number): boolean {
  const n = batchOf(nc);
  const k = outputsOf(nc);
  return [-1, 2, 0.5, 1, n, 1 / n, k, n * k].some((f) => Math.abs(r - f) <= 1e-9 * Math.abs(f));
}

/** Each derivative mistake, in the output layer, the hidden layers, all layers, or one layer. */
function derivativeHypotheses(d: DiagnosisCase): Hypothesis[] {
  const depth = d.nc.network.layers.length;
  const all = Array.from({ length: depth }, (_, i) => i + 1);
  const sets: number[][] = [[depth]];
  if (depth > 1) sets.push(all.slice(0, -1), all);
  for (let l = depth - 1; l >= 1; l--) if (depth > 2) sets.push([l]);
  const keys: [DerivativeMistake, CauseKey][] = [
    ['missing', 'missing-activation-derivative'],
    ['of-activation', 'derivative-of-activation'],
    ['activation-value', 'activation-instead-of-derivative'],
    ['formula-on-z', 'derivative-formula-on-preactivation'],
    ['squared', 'activation-derivative-twice'],
  ];
  const out: Hypothesis[] = [];
  for (const [mistake, key] of keys) {
    for (const layers of sets) out.push(variant(key, describeLayers(layers, depth), { derivative: { mistake, layers } }));
  }
  return out;
}

function structuralHypotheses(): Hypothesis[] {
  return [
    variant('missing-transpose', '', { propagate: 'no-transpose' }),
    variant('wrong-weight-matrix', '', { propagate: 'previous-layer-weights' }),
    variant('wrong-layer-error', '', { propagate: 'output-error' }),
    variant('propagated-before-derivative', '', { propagate: 'before-derivative' }),
    variant('weight-gradient-transposed', '', { weightGradient: 'transposed' }),
    variant('weight-gradient-wrong-activation', '', { weightGradient: 'own-activation' }),
    variant('last-sample-only', '', { weightGradient: 'last-sample' }),
    variant('bias-first-sample', '', { biasGradient: 'first-sample' }),
    variant('bias-last-sample', '', { biasGradient: 'last-sample' }),
    variant('bias-averaged', '', { biasGradient: 'mean' }),
  ];
}

/** Mistakes with a constant to fit: the rate of an update applied mid-backward, a saturation cut-off. */
function fittedHypotheses(d: DiagnosisCase): Hypothesis[] {
  const out: Hypothesis[] = [];
  const rate = fitUpdateRate(d);
  if (rate !== undefined) out.push(variant('updated-weights-in-backward', `rate ${formatRate(rate)}`, { propagate: 'updated-weights', learningRate: rate }, { learningRate: rate }));
  out.push(...cutoffHypotheses(d));
  return out;
}

/**
 * With W − η·dW used to pass the error below layer L, the gradient of layer L − 1 is A − η·B, linear
 * in η (A correct, B from η = 1): η is its least-squares fit.
 */
function fitUpdateRate(d: DiagnosisCase): number | undefined {
  const layers = d.nc.network.layers;
  if (layers.length < 2) return undefined;
  const below = layers[layers.length - 2];
  const start = below.weightOffset;
  const end = below.bias ? below.biasOffset + below.outputs : below.weightOffset + below.inputs * below.outputs;
  const atOne = variantGradients(d.nc, { propagate: 'updated-weights', learningRate: 1 }).parameters;
  let num = 0;
  let den = 0;
  for (let q = start; q < end; q++) {
    const b = d.correct[q] - atOne[q];
    num += (d.correct[q] - d.claimed[q]) * b;
    den += b * b;
  }
  if (!(den > 0)) return undefined;
  const rate = num / den;
  return Number.isFinite(rate) && rate !== 0 ? rate : undefined;
}

/**
 * σ' zeroed beyond a cut-off c on the sigmoid units' |z| (c ≥ 3, where units count as saturated): only
 * the order of |z| matters, so try c between each pair of neighbouring |z| values, from the largest
 * down. c is known only up to its interval; on another case a |z| inside it leaves the prediction undecided.
 */
function cutoffHypotheses(d: DiagnosisCase): Hypothesis[] {
  const { network } = d.nc;
  const trace = network.forward(d.nc.params, d.nc.inputs);
  const magnitudes = new Set<number>();
  network.layers.forEach((layer, l) => {
    if (layer.activation.name === 'sigmoid') for (const z of trace.preActivations[l]) magnitudes.add(Math.abs(z));
  });
  const sorted = [...magnitudes].sort((a, b) => a - b);
  const out: Hypothesis[] = [];
  const all = network.layers.map((_, i) => i + 1);
  for (let i = sorted.length - 1; i >= 0 && out.length < MAX_CUTOFFS; i--) {
    const high = sorted[i];
    if (high < SATURATED) break;
    // Units with |z| ≥ high are zeroed, the next smaller |z| is kept, and below SATURATED nothing counts as saturated.
    const low = Math.max(i > 0 ? sorted[i - 1] : 0, SATURATED);
    const cutoff = (low + high) / 2;
    const detail = `units with |z| ≥ ${high.toPrecision(3)} zeroed, the cut-off lies between |z| = ${low.toPrecision(3)} and ${high.toPrecision(3)}`;
    const inner = variant('saturated-derivative-zeroed', detail, { derivative: { mistake: 'zeroed-beyond', layers: all, cutoff } }, { cutoffLow: low, cutoffHigh: high });
    out.push({
      ...inner,
      predict(nc, withInputs) {
        return undecidedBetween(nc, low, high) ? undefined : inner.predict(nc, withInputs);
      },
    });
  }
  return out;
}

const MAX_CUTOFFS = 256;
/** A unit counts as saturated from |z| = 3 on (σ' < 0.05, a fifth of its peak 0.25). */
const SATURATED = 3;

function undecidedBetween(nc: NetworkCase, low: number, high: number): boolean {
  const trace = nc.network.forward(nc.params, nc.inputs);
  return nc.network.layers.some((layer, l) => layer.activation.name === 'sigmoid' && trace.preActivations[l].some((z) => Math.abs(z) > low && Math.abs(z) < high));
}

export function leastSquaresRatio(claimed: Float64Array, correct: Float64Array, start = 0, end = correct.length): number | undefined {
  let num = 0;
  let den = 0;
  for (let q = start; q < end; q++) {
    num += claimed[q] * correct[q];
    den += correct[q] * correct[q];
  }
  return den > 0 ? num / den : undefined;
}

function describeLayers(layers: readonly number[], depth: number): string {
  if (layers.length === 1 && layers[0] === depth) return `layer ${depth} (the output layer)`;
  if (layers.length === depth) return depth === 1 ? 'layer 1 (the output layer)' : 'every layer';
  if (layers.length === depth - 1 && !layers.includes(depth)) return depth === 2 ? 'layer 1 (the hidden layer)' : `the hidden layers ${layers.join(', ')}`;
  return `layer ${layers.join(', ')}`;
}

function formatRate(r: number): string {
  return Number(r.toPrecision(6)).toString();
}
