/**
 * The hypothesis space: each hypothesis is the reference backward pass with one change at one place
 * (a layer or the units of one activation, a tensor, the loss), or a reading of the case (layout,
 * precision). Places are named relative to the network (the output layer, the hidden layers, the k-th
 * layer from the output, the sigmoid units) so a hypothesis predicts any other case, the probe cases
 * included. Free factors (a derivative's scale, a leaky slope, a loss scale, a learning rate, a
 * saturation cut-off) are fitted on the counterexample, then held fixed on the probes.
 */
import type { NetworkCase } from '../check/objective/network-objective.js';
import type { Precision } from '../check/numerics/precision.js';
import type { ActivationName } from '../engine/activation.js';
import { mseLoss, type Reduction } from '../engine/loss.js';
import { onPrecisionGrid } from '../adapters/check-implementation.js';
import type { CauseKey } from './causes.js';
import { variantGradients, type BackwardVariant, type DerivativeMistake } from './backward-variant.js';
import { correctGradient, type DiagnosisCase } from './diagnosis-case.js';
import { mixedPrecisionHypotheses } from './mixed-precision.js';
import { precisionProfile, tensorsOf } from './precision-profile.js';

export interface Hypothesis {
  readonly key: CauseKey;
  /** Where and how, in words: `layer 2 (the output layer)`, `rate 0.1`. Empty when the title says it all. */
  readonly detail: string;
  /** Constants fitted on the counterexample. */
  readonly parameters?: Readonly<Record<string, number>>;
  /** The gradient (dL/dθ, then dL/dx when asked) this mistake would claim, or undefined when it cannot say. */
  predict(nc: NetworkCase, withInputs: boolean): Float64Array | undefined;
  /** The loss value this mistake would return, for hypotheses that change the forward pass. */
  predictLoss?(nc: NetworkCase): number;
  /** A fitted hypothesis is dropped when one of these fixed ones, its special cases, also stands. */
  readonly generalizes?: readonly CauseKey[];
  /** Judged with this precision's rounding (a precision hypothesis), not the declared one. */
  readonly precision?: Precision;
  /** Counts even when it predicts the correct gradient on the counterexample (precision: nothing is wrong). */
  readonly mayEqualCorrect?: boolean;
  /** A known cause in part only (partial-causes.ts): set aside when a whole cause stands. */
  readonly partial?: boolean;
  /** A further test once the prediction fits (a precision's place pattern): false refutes, undefined cannot say. */
  check?(d: DiagnosisCase): boolean | undefined;
}

/** Every hypothesis worth testing on this counterexample. */
export function hypothesesFor(d: DiagnosisCase): Hypothesis[] {
  return [...lossHypotheses(d), ...derivativeHypotheses(d), ...structuralHypotheses(), ...fittedHypotheses(d), ...readingHypotheses(d)];
}

function variant(key: CauseKey, detail: string, v: (nc: NetworkCase) => BackwardVariant | undefined, extra: Partial<Hypothesis> = {}): Hypothesis {
  return {
    key,
    detail,
    ...extra,
    predict(nc, withInputs) {
      const chosen = v(nc);
      if (!chosen) return undefined;
      const g = variantGradients(nc, chosen);
      return joined(g.parameters, withInputs ? g.inputs : undefined);
    },
  };
}

function joined(parameters: Float64Array, inputs?: Float64Array): Float64Array {
  if (!inputs) return parameters;
  const out = new Float64Array(parameters.length + inputs.length);
  out.set(parameters);
  out.set(inputs, parameters.length);
  return out;
}

function scaled(key: CauseKey, detail: string, factor: (nc: NetworkCase) => number | undefined, extra: Partial<Hypothesis> = {}): Hypothesis {
  return {
    key,
    detail,
    ...extra,
    predict(nc, withInputs) {
      const f = factor(nc);
      return f === undefined ? undefined : correctGradient(nc, withInputs).map((g) => f * g);
    },
  };
}

const batchOf = (nc: NetworkCase): number => nc.inputs.rows;
const outputLayer = (nc: NetworkCase) => nc.network.layers[nc.network.layers.length - 1];
const outputsOf = (nc: NetworkCase): number => nc.network.outputCount;

/** The reference dL/dŷ is s·(ŷ − y): s = 2/(N·K) for `mean`, 2 for `sum`, 1 for `half-sum` (engine/loss.ts). */
export function lossGradientScale(reduction: Reduction, nc: NetworkCase): number {
  return reduction === 'mean' ? 2 / (batchOf(nc) * outputsOf(nc)) : reduction === 'sum' ? 2 : 1;
}

/**
 * Mistakes in dL/dŷ scale every gradient by one factor, which depends on the case's reduction the way
 * the mistake does: a mean not divided is right under `sum`, a forgotten ½ only matters under `half-sum`.
 */
function lossHypotheses(d: DiagnosisCase): Hypothesis[] {
  const when = (r: Reduction, f: (nc: NetworkCase) => number) => (nc: NetworkCase) => (nc.reduction === r ? f(nc) : 1);
  const out: Hypothesis[] = [
    scaled('negated', '', () => -1),
    scaled('extra-factor-2', '', when('half-sum', () => 2)),
    scaled('missing-factor-2', '', () => 0.5),
    scaled('mean-not-divided', '', when('mean', (nc) => batchOf(nc) * outputsOf(nc))),
    scaled('mean-over-batch-only', '', when('mean', outputsOf)),
    scaled('divided-by-batch', '', (nc) => (nc.reduction === 'mean' ? 1 : 1 / batchOf(nc))),
  ];
  for (const fixed of ['mean', 'sum', 'half-sum'] as const) {
    out.push(scaled('fixed-reduction', `always the '${fixed}' reduction's`, (nc) => lossGradientScale(fixed, nc) / lossGradientScale(nc.reduction, nc)));
  }
  // A mean over another count than the N·K elements: the counts a shape offers.
  const counts: [string, (nc: NetworkCase) => number | undefined][] = [
    ['the K outputs only', outputsOf],
    ['N × the inputs', (nc) => batchOf(nc) * nc.network.inputCount],
    ['the inputs', (nc) => nc.network.inputCount],
    ['N × the first layer’s outputs', (nc) => (nc.network.layers.length > 1 ? batchOf(nc) * nc.network.layers[0].outputs : undefined)],
    ['N·K + 1', (nc) => batchOf(nc) * outputsOf(nc) + 1],
    ['N·K − 1', (nc) => (batchOf(nc) * outputsOf(nc) > 1 ? batchOf(nc) * outputsOf(nc) - 1 : undefined)],
  ];
  for (const [name, count] of counts) {
    out.push(
      scaled('mean-over-wrong-count', `divided by ${name}`, (nc) => {
        if (nc.reduction !== 'mean') return 1;
        const c = count(nc);
        return c === undefined ? undefined : (batchOf(nc) * outputsOf(nc)) / c;
      }),
    );
  }
  // dL/dŷ = c·(ŷ − y) whatever the reduction: linear in c, fitted at the output layer.
  const depth = d.nc.network.layers.length;
  const ignoring = (c: number) => (nc: NetworkCase): BackwardVariant => ({ lossScale: c / lossGradientScale(nc.reduction, nc) });
  const c = fitLinear(d, (t) => ignoring(t)(d.nc), depth);
  if (c !== undefined && c !== 0) {
    out.push(variant('loss-gradient-ignores-reduction', `c = ${formatRate(c)}`, ignoring(c), { parameters: { scale: c }, generalizes: ['fixed-reduction', 'extra-factor-2', 'missing-factor-2', 'negated', 'mean-not-divided', 'divided-by-batch'] }));
  }
  const r = leastSquaresRatio(d.claimed, d.correct);
  if (r !== undefined && Number.isFinite(r) && r !== 0 && r !== 1) {
    // A constant folded into every gradient, whatever the reduction: a learning rate (0 < c < 1), an update (−1 < c < 0), any other.
    const key: CauseKey = r > 0 && r < 1 ? 'scaled-by-learning-rate' : r < 0 && r > -1 ? 'returns-update' : 'gradient-scaled-by-constant';
    const detail = key === 'gradient-scaled-by-constant' ? `factor ${formatRate(r)}` : `rate ${formatRate(Math.abs(r))}`;
    const parameters: Record<string, number> = key === 'gradient-scaled-by-constant' ? { factor: r } : { learningRate: Math.abs(r) };
    out.push(scaled(key, detail, () => r, { parameters, generalizes: ['negated', 'extra-factor-2', 'missing-factor-2', 'mean-not-divided', 'mean-over-batch-only', 'divided-by-batch', 'fixed-reduction', 'mean-over-wrong-count'] }));
  }
  return out;
}

/** Where in the network a derivative mistake is made, named so it carries over to a probe of another depth. */
type Place = { readonly kind: 'output' | 'hidden' | 'all' | 'middle' | 'without-bias' } | { readonly kind: 'from-output'; readonly k: number } | { readonly kind: 'activation'; readonly name: ActivationName };

function layersAt(place: Place, nc: NetworkCase): number[] {
  const depth = nc.network.layers.length;
  const all = Array.from({ length: depth }, (_, i) => i + 1);
  switch (place.kind) {
    case 'output':
      return [depth];
    case 'hidden':
      return all.slice(0, -1);
    case 'all':
    case 'activation':
      return all;
    case 'middle':
      return all.slice(1, -1);
    case 'without-bias':
      return all.filter((l) => !nc.network.layers[l - 1].bias);
    case 'from-output':
      return place.k <= depth ? [depth - place.k + 1] : [];
  }
}

function describePlace(place: Place): string {
  switch (place.kind) {
    case 'output':
      return 'the output layer';
    case 'hidden':
      return 'the hidden layers';
    case 'all':
      return 'every layer';
    case 'middle':
      return 'the hidden layers but the first';
    case 'without-bias':
      return 'every layer without a bias';
    case 'from-output':
      return `layer ${place.k} counting from the output`;
    case 'activation':
      return `every ${place.name} layer`;
  }
}

function placesFor(nc: NetworkCase): Place[] {
  const depth = nc.network.layers.length;
  // `every layer` at depth 1 is the output layer here, but not on a deeper probe.
  const places: Place[] = [{ kind: 'output' }, { kind: 'all' }];
  if (depth > 1) places.push({ kind: 'hidden' });
  if (depth > 2) places.push({ kind: 'middle' });
  for (let k = 2; depth > 2 && k <= depth; k++) places.push({ kind: 'from-output', k });
  if (nc.network.layers.some((l) => !l.bias)) places.push({ kind: 'without-bias' });
  const used = new Set(nc.network.layers.map((l) => l.activation.name));
  for (const name of ['sigmoid', 'relu', 'identity'] as const) if (used.has(name)) places.push({ kind: 'activation', name });
  return places;
}

function mistakeAt(place: Place, mistake: DerivativeMistake, more: { factor?: number; slope?: number } = {}): (nc: NetworkCase) => BackwardVariant {
  return (nc) => ({ derivative: { mistake, layers: layersAt(place, nc), only: place.kind === 'activation' ? place.name : undefined, ...more } });
}

/** Each derivative mistake at each place; a free scale and a leaky slope fitted per place. */
function derivativeHypotheses(d: DiagnosisCase): Hypothesis[] {
  const fixed: [DerivativeMistake, CauseKey, { factor?: number }?][] = [
    ['missing', 'missing-activation-derivative'],
    ['of-activation', 'derivative-of-activation'],
    ['activation-value', 'activation-instead-of-derivative'],
    ['formula-on-z', 'derivative-formula-on-preactivation'],
    ['squared', 'activation-derivative-twice'],
    ['scaled', 'activation-derivative-doubled', { factor: 2 }],
    ['negated-relu', 'relu-derivative-negated'],
    ['inverted-mask', 'relu-mask-inverted'],
    ['tanh-formula', 'wrong-activation-derivative'],
    ['sigmoid-formula', 'wrong-activation-derivative'],
    ['step', 'wrong-activation-derivative'],
  ];
  const out: Hypothesis[] = [];
  for (const place of placesFor(d.nc)) {
    const detail = describePlace(place);
    for (const [mistake, key, more] of fixed) out.push(variant(key, key === 'wrong-activation-derivative' ? `${FORMULA[mistake]}, ${detail}` : detail, mistakeAt(place, mistake, more)));
    if (place.kind !== 'activation' || place.name === 'sigmoid') {
      // A floor f: fitted as if every sigmoid unit were clamped (exact where they are), then tested as max(σ', f).
      const floor = fitLinear(d, (t) => ({ derivative: { mistake: 'constant', layers: layersAt(place, d.nc), factor: t } }), topLayer(place, d.nc, 'sigmoid'));
      // σ' peaks at ¼ (σ'(0)): a floor of ¼ or more is a constant derivative, not a clamp.
      if (floor !== undefined && floor > 0 && floor < 0.25) {
        out.push(variant('activation-derivative-floored', `${detail}, floor ${formatRate(floor)}`, (nc) => ({ derivative: { mistake: 'floored', layers: layersAt(place, nc), floor } }), { parameters: { floor } }));
      }
    }
    const factor = fitLinear(d, (t) => mistakeAt(place, 'scaled', { factor: t })(d.nc), topLayer(place, d.nc));
    if (factor !== undefined && factor !== 1 && factor !== 0) {
      out.push(variant('activation-derivative-scaled', `${detail}, factor ${formatRate(factor)}`, mistakeAt(place, 'scaled', { factor }), { parameters: { factor }, generalizes: ['activation-derivative-doubled', 'negated', 'missing-factor-2', 'relu-derivative-negated', 'missing-activation-derivative'] }));
    }
    if (place.kind !== 'activation' || place.name === 'relu') {
      const slope = fitLinear(d, (t) => mistakeAt(place, 'leaky', { slope: t })(d.nc), topLayer(place, d.nc, 'relu'));
      if (slope !== undefined && slope !== 0) {
        out.push(variant('leaky-slope-left-in', `${detail}, slope ${formatRate(slope)}`, mistakeAt(place, 'leaky', { slope }), { parameters: { slope }, generalizes: ['relu-mask-inverted', 'missing-activation-derivative'] }));
      }
    }
  }
  return out;
}

const FORMULA: Partial<Record<DerivativeMistake, string>> = { 'tanh-formula': "tanh's 1 − a²", 'sigmoid-formula': "the sigmoid's a(1 − a) for the ReLU", step: "the ReLU's step for the sigmoid" };

/** The layer nearest the output where a mistake at `place` is made: its own gradient is linear in the free factor. */
function topLayer(place: Place, nc: NetworkCase, activation?: ActivationName): number | undefined {
  const only = place.kind === 'activation' ? place.name : activation;
  const layers = layersAt(place, nc).filter((l) => only === undefined || nc.network.layers[l - 1].activation.name === only);
  return layers.length ? Math.max(...layers) : undefined;
}

/**
 * Fits t in a variant that is affine in t at one layer's W and b (a scale or slope at the layer nearest
 * the output it is made in, a loss scale at the output layer): g(t) = g(0) + t·(g(1) − g(0)) there,
 * so t is the least-squares fit of the claimed entries. Deeper layers are not linear in t; the fitted
 * hypothesis is then tested on every entry like any other.
 */
function fitLinear(d: DiagnosisCase, make: (t: number) => BackwardVariant, layer: number | undefined): number | undefined {
  if (layer === undefined) return undefined;
  const l = d.nc.network.layers[layer - 1];
  const start = l.weightOffset;
  const end = l.bias ? l.biasOffset + l.outputs : l.weightOffset + l.inputs * l.outputs;
  const g0 = variantGradients(d.nc, make(0)).parameters;
  const g1 = variantGradients(d.nc, make(1)).parameters;
  let num = 0;
  let den = 0;
  for (let q = start; q < end; q++) {
    const b = g1[q] - g0[q];
    num += (d.claimed[q] - g0[q]) * b;
    den += b * b;
  }
  if (!(den > 0)) return undefined;
  const t = num / den;
  return Number.isFinite(t) ? t : undefined;
}

function structuralHypotheses(): Hypothesis[] {
  const fixed = (v: BackwardVariant) => () => v;
  return [
    variant('missing-transpose', '', fixed({ propagate: 'no-transpose' })),
    variant('wrong-weight-matrix', '', fixed({ propagate: 'previous-layer-weights' })),
    variant('wrong-layer-error', '', fixed({ propagate: 'output-error' })),
    variant('propagated-before-derivative', '', fixed({ propagate: 'before-derivative' })),
    variant('weight-gradient-transposed', '', fixed({ weightGradient: 'transposed' })),
    variant('weight-gradient-wrong-activation', '', fixed({ weightGradient: 'own-activation' })),
    variant('last-sample-only', '', fixed({ weightGradient: 'last-sample' })),
    variant('bias-first-sample', '', fixed({ biasGradient: 'first-sample' })),
    variant('bias-last-sample', '', fixed({ biasGradient: 'last-sample' })),
    variant('bias-averaged', '', fixed({ biasGradient: 'mean' })),
    variant('weights-averaged', '', fixed({ weightGradient: 'mean' })),
    variant('bias-summed-without-axis', '', fixed({ biasGradient: 'total' })),
    variant('bias-summed-over-wrong-axis', '', fixed({ biasGradient: 'wrong-axis' })),
  ];
}

/** Mistakes with a constant to fit: the cross-entropy error's scale, the rate of an update applied mid-backward, a saturation cut-off. */
function fittedHypotheses(d: DiagnosisCase): Hypothesis[] {
  const out: Hypothesis[] = [];
  const depth = d.nc.network.layers.length;
  if (d.nc.network.layers[depth - 1].activation.name !== 'identity') {
    // δ_L = c·(a − y), per sample or over the batch: σ' missing at the output and a scale of its own, whatever the reduction.
    // A logistic output may be recognised by its activation, or by a single sigmoid unit: elsewhere the pass is the reference's.
    const conditions: [string, (nc: NetworkCase) => boolean][] = [
      ['', () => true],
      [', where the output is sigmoid', (nc) => outputLayer(nc).activation.name === 'sigmoid'],
      [', where the output is one sigmoid unit', (nc) => outputLayer(nc).activation.name === 'sigmoid' && outputLayer(nc).outputs === 1],
    ];
    for (const perBatch of [false, true]) {
      const make = (c: number) => (nc: NetworkCase): BackwardVariant => ({
        derivative: { mistake: 'missing', layers: [nc.network.layers.length] },
        lossScale: (c / (perBatch && nc.reduction === 'mean' ? batchOf(nc) : 1)) / lossGradientScale(nc.reduction, nc),
      });
      const c = fitLinear(d, (t) => make(t)(d.nc), depth);
      if (c === undefined || c === 0) continue;
      for (const [where, applies] of conditions) {
        if (!applies(d.nc)) continue;
        out.push(variant('cross-entropy-gradient', `δ = ${formatRate(c)}·(a − y)${perBatch ? ', divided by N under the mean' : ''}${where}`, (nc) => (applies(nc) ? make(c)(nc) : {}), { parameters: { scale: c }, generalizes: ['missing-activation-derivative'] }));
      }
    }
  }
  for (const decayBias of [false, true]) {
    // g + λ·θ is linear in λ at every tensor: fit on the output layer, test everywhere.
    const lambda = fitLinear(d, (t) => ({ weightDecay: t, decayBias }), depth);
    if (lambda !== undefined && lambda !== 0) out.push(variant('weight-decay-in-gradient', `λ = ${formatRate(lambda)}${decayBias ? ', on the biases too' : ''}`, () => ({ weightDecay: lambda, decayBias }), { parameters: { lambda } }));
  }
  const rate = fitUpdateRate(d);
  if (rate !== undefined) out.push(variant('updated-weights-in-backward', `rate ${formatRate(rate)}`, () => ({ propagate: 'updated-weights', learningRate: rate }), { parameters: { learningRate: rate } }));
  out.push(...cutoffHypotheses(d));
  return out;
}

/** Readings of the case rather than backward mistakes: square weights read in the other layout, float32 arithmetic. */
function readingHypotheses(d: DiagnosisCase): Hypothesis[] {
  const out: Hypothesis[] = [];
  // Square layers can be read in the other layout without a shape error (a layout guessed from the shape); 1×1 ones look the same.
  const square = (nc: NetworkCase) => nc.network.layers.some((l) => l.inputs === l.outputs && l.inputs > 1);
  if (square(d.nc)) {
    out.push({
      key: 'weights-read-transposed',
      detail: 'the square layers',
      predict(nc, withInputs) {
        if (!square(nc)) return undefined;
        const g = nc.network.gradients(transposedWeights(nc), nc.inputs, nc.targets, nc.reduction);
        const params = Float64Array.from(g.parameters);
        transposeInPlace(nc, params);
        return joined(params, withInputs ? g.inputs : undefined);
      },
      predictLoss(nc) {
        return mseLoss(nc.network.prediction(nc.network.forward(transposedWeights(nc), nc.inputs)), nc.targets.data, nc.reduction);
      },
    });
  }
  const float32 = (nc: NetworkCase, withInputs: boolean) => correctGradient(onPrecisionGrid(nc, 'float32'), withInputs);
  // Float32 throughout: no tensor computed in float64 (precision-profile.ts).
  out.push({ key: 'float32-rounding', detail: '', precision: 'float32', mayEqualCorrect: true, predict: float32, check: (c) => tensorsOf(precisionProfile(c), 'exact').length === 0 });
  for (const mixed of mixedPrecisionHypotheses(d)) out.push({ ...mixed, predict: float32 });
  return out;
}

function transposedWeights(nc: NetworkCase): Float64Array {
  const p = Float64Array.from(nc.params);
  transposeInPlace(nc, p);
  return p;
}

/** Transposes every square W in place (the others cannot be misread without a shape error). */
function transposeInPlace(nc: NetworkCase, p: Float64Array): void {
  for (const layer of nc.network.layers) {
    if (layer.inputs !== layer.outputs) continue;
    const n = layer.outputs;
    const W = p.slice(layer.weightOffset, layer.weightOffset + n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) p[layer.weightOffset + i * n + j] = W[j * n + i];
  }
}

/**
 * With W − η·dW used to pass the error below layer L, the gradient of layer L − 1 is A − η·B, linear
 * in η (A correct, B from η = 1): η is its least-squares fit.
 */
function fitUpdateRate(d: DiagnosisCase): number | undefined {
  const layers = d.nc.network.layers;
  if (layers.length < 2) return undefined;
  const rate = fitLinear(d, (t) => ({ propagate: 'updated-weights', learningRate: t }), layers.length - 1);
  return rate !== undefined && rate !== 0 ? rate : undefined;
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
  for (let i = sorted.length - 1; i >= 0 && out.length < MAX_CUTOFFS; i--) {
    const high = sorted[i];
    if (high < SATURATED) break;
    // Units with |z| ≥ high are zeroed, the next smaller |z| is kept, and below SATURATED nothing counts as saturated.
    const low = Math.max(i > 0 ? sorted[i - 1] : 0, SATURATED);
    const cutoff = (low + high) / 2;
    const detail = `units with |z| ≥ ${high.toPrecision(3)} zeroed, the cut-off lies between |z| = ${low.toPrecision(3)} and ${high.toPrecision(3)}`;
    const inner = variant('saturated-derivative-zeroed', detail, (nc) => ({ derivative: { mistake: 'zeroed-beyond', layers: nc.network.layers.map((_, k) => k + 1), cutoff } }), { parameters: { cutoffLow: low, cutoffHigh: high } });
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

/** Least-squares c in claimed ≈ c·correct over [start, end); undefined when the correct entries are all 0. */
export function leastSquaresRatio(claimed: Float64Array, correct: Float64Array, start = 0, end = correct.length): number | undefined {
  let num = 0;
  let den = 0;
  for (let q = start; q < end; q++) {
    num += claimed[q] * correct[q];
    den += correct[q] * correct[q];
  }
  return den > 0 ? num / den : undefined;
}

function formatRate(r: number): string {
  return Number(r.toPrecision(6)).toString();
}
