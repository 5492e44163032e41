/**
 * The evidence a diagnosis shows with its verdict, tensor by tensor: does the claim agree with the
 * correct gradient; the least-squares ratio claimed/correct and whether one ratio explains the whole
 * tensor (and what the ratio means: −1, 2, ½, the batch size N, the outputs K, N·K); whether a square
 * W's claim is the transpose of the correct one; and the layers that are right, counting from the output.
 */
import { tensorSize, type ParameterTensor } from '../engine/layout.js';
import { reductions, type Reduction } from '../engine/loss.js';
import { compareLoss, type LossComparison } from '../check/objective/loss-comparison.js';
import { relativeError } from '../check/numerics/relative-error.js';
import { agreement } from './agreement.js';
import type { DiagnosisCase } from './diagnosis-case.js';
import { leastSquaresRatio } from './hypotheses.js';

/** What one tensor's claim shows against the correct gradient. */
export interface TensorEvidence {
  readonly name: string;
  /** 1-based layer; 0 for x. */
  readonly layer: number;
  readonly kind: string;
  readonly rows: number;
  readonly cols: number;
  /** The claim reproduces the correct gradient within tolerance. */
  readonly agrees: boolean;
  /** Least-squares claimed/correct; undefined when the correct gradient is 0. */
  readonly ratio?: number;
  /** claimed = ratio·correct for every entry, within tolerance. */
  readonly ratioFits: boolean;
  /** What the ratio equals in the case's terms: `N with N = 3, K = 1`, `N·K with N = 2, K = 3`, … */
  readonly ratioMeaning?: string;
  /** Square W whose claim is the transpose of the correct gradient. */
  readonly transposed: boolean;
  /** Largest |claimed − correct| / max(|claimed|, |correct|). */
  readonly maxRelativeError: number;
}

/** The evidence of a whole case. */
export interface Evidence {
  readonly batch: number;
  readonly outputs: number;
  readonly tensors: readonly TensorEvidence[];
  /** Layers whose W and b both agree. */
  readonly rightLayers: readonly number[];
  readonly wrongLayers: readonly number[];
  /** Counting down from the output layer, the first layer with a wrong tensor. */
  readonly firstWrongFromOutput?: number;
  /** One ratio that explains every tensor, when there is one. */
  readonly uniformRatio?: number;
  readonly uniformMeaning?: string;
  /** The returned loss value against the reference, when the implementation returned one. */
  readonly loss?: LossEvidence;
}

/** The returned loss against the reference forward pass's, and how they relate when they disagree. */
export interface LossEvidence {
  readonly claimed: number;
  readonly reference: number;
  readonly reduction: Reduction;
  readonly agrees: boolean;
  /** claimed / reference; undefined when the reference is 0. */
  readonly ratio?: number;
  /** Another reduction whose loss value the returned one equals (by the loss comparison's rule). */
  readonly equalsReduction?: Reduction;
}

/** The evidence of a diagnosis case: tensor by tensor, layer by layer, and the loss value when one was returned. */
export function gatherEvidence(d: DiagnosisCase, loss?: LossComparison, precision: Parameters<typeof compareLoss>[2] = 'float64'): Evidence {
  const n = d.nc.inputs.rows;
  const k = d.nc.network.outputCount;
  const tensors = d.tensors.map((t) => tensorEvidence(d, t, n, k));
  const depth = d.nc.network.layers.length;
  const right: number[] = [];
  const wrong: number[] = [];
  for (let l = depth; l >= 1; l--) (tensors.filter((t) => t.layer === l).every((t) => t.agrees) ? right : wrong).push(l);
  const ratio = leastSquaresRatio(d.claimed, d.correct);
  const uniform = ratio !== undefined && agreement(d.claimed, d.correct.map((g) => ratio * g), d.tensors, d.tolerances, d.rounding).agrees ? ratio : undefined;
  return {
    batch: n,
    outputs: k,
    tensors,
    rightLayers: right,
    wrongLayers: wrong,
    firstWrongFromOutput: wrong[0],
    uniformRatio: uniform,
    uniformMeaning: uniform === undefined ? undefined : ratioMeaning(uniform, n, k),
    loss: loss && lossEvidence(d, loss, precision),
  };
}

function lossEvidence(d: DiagnosisCase, loss: LossComparison, precision: Parameters<typeof compareLoss>[2]): LossEvidence {
  const equalsReduction = loss.agrees ? undefined : reductions.find((r) => r !== d.nc.reduction && compareLoss(loss.claimed, d.nc, precision, d.tolerances, r).agrees);
  return { claimed: loss.claimed, reference: loss.reference, reduction: d.nc.reduction, agrees: loss.agrees, ratio: loss.reference !== 0 ? loss.claimed / loss.reference : undefined, equalsReduction };
}

function tensorEvidence(d: DiagnosisCase, t: ParameterTensor, n: number, k: number): TensorEvidence {
  const end = t.offset + tensorSize(t);
  const only = [t];
  const ratio = leastSquaresRatio(d.claimed, d.correct, t.offset, end);
  const ratioFits = ratio !== undefined && agreement(d.claimed, d.correct.map((g) => ratio * g), only, d.tolerances, d.rounding).agrees;
  let transposed = false;
  if (t.kind === 'W' && t.rows === t.cols && t.rows > 1) {
    const flipped = Float64Array.from(d.correct);
    for (let i = 0; i < t.rows; i++) for (let j = 0; j < t.cols; j++) flipped[t.offset + i * t.cols + j] = d.correct[t.offset + j * t.cols + i];
    transposed = agreement(d.claimed, flipped, only, d.tolerances, d.rounding).agrees && !agreement(d.correct, flipped, only, d.tolerances, d.rounding).agrees;
  }
  let maxRelativeError = 0;
  for (let q = t.offset; q < end; q++) maxRelativeError = Math.max(maxRelativeError, relativeError(d.claimed[q], d.correct[q]));
  return {
    name: t.name,
    layer: t.layer,
    kind: t.kind,
    rows: t.rows,
    cols: t.cols,
    agrees: agreement(d.claimed, d.correct, only, d.tolerances, d.rounding).agrees,
    ratio,
    ratioFits,
    ratioMeaning: ratio !== undefined && ratioFits ? ratioMeaning(ratio, n, k) : undefined,
    transposed,
    maxRelativeError,
  };
}

/** What a ratio equals in the case's terms (N the batch size, K the outputs); several may coincide. */
export function ratioMeaning(r: number, n: number, k: number): string | undefined {
  const named: [number, string][] = [];
  if (n > 1) named.push([n, 'N'], [1 / n, '1/N']);
  if (k > 1) named.push([k, 'K'], [1 / k, '1/K']);
  if (n > 1 && k > 1) named.push([n * k, 'N·K'], [1 / (n * k), '1/(N·K)']);
  const hits = named.filter(([v]) => Math.abs(r - v) <= 1e-6 * Math.abs(v)).map(([, s]) => s);
  return hits.length > 0 ? `${hits.join(' = ')} with N = ${n}, K = ${k}` : undefined;
}
