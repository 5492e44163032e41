/**
 * How a tensor's claim relates to the truth on a pattern of its entries, fitted on the counterexample
 * and then held fixed: zero; a constant or case-relative factor (−1, c, N, 1/N, K, …); clipped entry by
 * entry at ±B; rescaled to a norm B (the tensor's, or the whole gradient's); another tensor's correct
 * gradient (same shape); a subset or reweighting of the per-sample contributions (per-sample.ts). Off
 * the pattern the claim is the correct gradient. A relation predicts the claimed tensor on any case, so
 * it is tested on the probes the way a hypothesis is.
 */
import type { ParameterTensor } from '../../engine/layout.js';
import { tensorSize } from '../../engine/layout.js';
import type { DiagnosisCase } from '../diagnosis-case.js';
import type { RelationKind } from './finding.js';
import { perSampleGradients } from './per-sample.js';
import { describePlace, placesOf, tensorAt, type TensorPlace } from './tensor-places.js';

/** A fitted relation: what it says and the claimed tensor it predicts on a case (undefined: cannot say). */
export interface Relation {
  readonly kind: RelationKind;
  readonly says: string;
  readonly parameters?: Readonly<Record<string, number>>;
  predict(d: DiagnosisCase, t: ParameterTensor, mask: Uint8Array): Float64Array | undefined;
}

/** The counterexample's view of one wrong tensor, for fitting. */
export interface FitContext {
  readonly d: DiagnosisCase;
  readonly t: ParameterTensor;
  readonly mask: Uint8Array;
  readonly claimed: Float64Array;
  readonly correct: Float64Array;
}

export function segment(v: Float64Array, t: ParameterTensor): Float64Array {
  return v.subarray(t.offset, t.offset + tensorSize(t));
}

/** The correct tensor with `value(q)` on the masked entries. */
function onMask(d: DiagnosisCase, t: ParameterTensor, mask: Uint8Array, value: (q: number, correct: Float64Array) => number | undefined): Float64Array | undefined {
  const correct = segment(d.correct, t);
  const out = Float64Array.from(correct);
  for (let q = 0; q < out.length; q++) {
    if (!mask[q]) continue;
    const v = value(q, correct);
    if (v === undefined || !Number.isFinite(v)) return undefined;
    out[q] = v;
  }
  return out;
}

/** Least-squares c in claimed ≈ c·basis over the masked entries. */
function fitScale(claimed: Float64Array, basis: Float64Array, mask: Uint8Array): number | undefined {
  let num = 0;
  let den = 0;
  for (let q = 0; q < basis.length; q++) {
    if (!mask[q]) continue;
    num += claimed[q] * basis[q];
    den += basis[q] * basis[q];
  }
  const c = num / den;
  return den > 0 && Number.isFinite(c) ? c : undefined;
}

/** A fitted factor snapped to an exact small value when it is one to 1e-9 (a printed 0.5 is 0.5, not 0.50000000002). */
function snap(c: number): number {
  for (const v of [1, -1, 2, -2, 0.5, -0.5, 3, 4, 0.25]) if (Math.abs(c - v) <= 1e-9 * Math.abs(v)) return v;
  return Number(c.toPrecision(12));
}

/** Factors that depend on the case: N (the batch), K (the outputs), N·K, and their inverses. */
const CASE_FACTORS: readonly [string, (d: DiagnosisCase) => number][] = [
  ['N', (d) => d.nc.inputs.rows],
  ['1/N', (d) => 1 / d.nc.inputs.rows],
  ['K', (d) => d.nc.network.outputCount],
  ['1/K', (d) => 1 / d.nc.network.outputCount],
  ['N·K', (d) => d.nc.inputs.rows * d.nc.network.outputCount],
  ['1/(N·K)', (d) => 1 / (d.nc.inputs.rows * d.nc.network.outputCount)],
];

function scaledRelations(f: FitContext): Relation[] {
  const c = fitScale(f.claimed, f.correct, f.mask);
  if (c === undefined || Math.abs(c) < 1e-12 || Math.abs(c - 1) <= 1e-9) return [];
  const s = snap(c);
  const out: Relation[] = [];
  const times = (factor: (d: DiagnosisCase) => number): Relation['predict'] => (d, t, mask) => {
    const k = factor(d);
    return onMask(d, t, mask, (q, g) => k * g[q]);
  };
  if (s === -1) out.push({ kind: 'negated', says: 'claimed = −correct (the sign flipped)', predict: times(() => -1) });
  else out.push({ kind: 'scaled', says: `claimed = ${s} × correct`, parameters: { factor: s }, predict: times(() => s) });
  for (const [name, factor] of CASE_FACTORS) {
    const v = factor(f.d);
    if (v !== 1 && Math.abs(c - v) <= 1e-9 * Math.abs(v)) out.push({ kind: 'scaled', says: `claimed = ${name} × correct (N the batch size, K the outputs)`, predict: times(factor) });
  }
  return out;
}

function clipRelations(f: FitContext): Relation[] {
  if (f.mask.some((m) => !m)) return [];
  const out: Relation[] = [];
  let bound = 0;
  let largest = 0;
  for (let q = 0; q < f.claimed.length; q++) {
    bound = Math.max(bound, Math.abs(f.claimed[q]));
    largest = Math.max(largest, Math.abs(f.correct[q]));
  }
  if (bound > 0 && bound < largest) {
    out.push({ kind: 'clipped', says: `claimed = correct clipped entry by entry to ±${bound.toPrecision(6)}`, parameters: { bound }, predict: (d, t, mask) => onMask(d, t, mask, (q, g) => Math.max(-bound, Math.min(bound, g[q]))) });
  }
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const tensorNorm = norm(f.claimed);
  if (tensorNorm > 0 && tensorNorm < norm(f.correct)) {
    out.push({ kind: 'norm-clipped', says: `claimed = correct rescaled to norm ${tensorNorm.toPrecision(6)} where its norm is larger (this tensor's norm clipped)`, parameters: { norm: tensorNorm }, predict: (d, t, mask) => { const g = segment(d.correct, t); const r = Math.min(1, tensorNorm / norm(g)); return onMask(d, t, mask, (q) => r * g[q]); } });
  }
  // The whole dL/dθ clipped to one norm (clip_grad_norm): every W and b rescaled by one factor.
  const params = (d: DiagnosisCase) => d.correct.subarray(0, d.nc.network.parameterCount);
  const total = norm(f.d.claimed.subarray(0, f.d.nc.network.parameterCount));
  if (f.t.kind !== 'x' && total > 0 && total < norm(params(f.d))) {
    out.push({ kind: 'norm-clipped', says: `claimed = correct with the whole dL/dθ rescaled to norm ${total.toPrecision(6)} (the gradient's global norm clipped)`, parameters: { norm: total }, predict: (d, t, mask) => { const r = Math.min(1, total / norm(params(d))); return onMask(d, t, mask, (q, g) => r * g[q]); } });
  }
  return out;
}

/**
 * Another tensor of the same kind and shape: the claim is its correct gradient (two gradients swapped,
 * or one returned twice), or this tensor's plus that one's (one buffer shared by both, a tie).
 */
function otherTensorRelations(f: FitContext): Relation[] {
  const depth = f.d.nc.network.layers.length;
  const out: Relation[] = [];
  for (const other of f.d.tensors) {
    if (other === f.t || other.kind !== f.t.kind || other.kind === 'x' || other.rows !== f.t.rows || other.cols !== f.t.cols) continue;
    for (const place of placesOf(other, depth)) {
      const otherAt = (d: DiagnosisCase, t: ParameterTensor): Float64Array | undefined => {
        const o = tensorAt(place, d.tensors, d.nc.network.layers.length);
        return o && o !== t && o.rows === t.rows && o.cols === t.cols ? segment(d.correct, o) : undefined;
      };
      out.push({
        kind: 'other-tensor',
        says: `claimed = ${other.name}'s correct gradient (${describePlace(place)})`,
        predict: (d, t, mask) => {
          const g = otherAt(d, t);
          return g && onMask(d, t, mask, (q) => g[q]);
        },
      });
      out.push({
        kind: 'plus-other-tensor',
        says: `claimed = its correct gradient + ${other.name}'s (${describePlace(place)}): the two summed, as if one buffer held both`,
        predict: (d, t, mask) => {
          const g = otherAt(d, t);
          return g && onMask(d, t, mask, (q, own) => own[q] + g[q]);
        },
      });
    }
  }
  return out;
}

/** Sample weights w_s in Σ_s w_s·g_s, relative to the batch. */
const SAMPLE_WEIGHTS: readonly [string, (s: number, n: number) => number][] = [
  ['the first sample only', (s) => (s === 0 ? 1 : 0)],
  ['the last sample only', (s, n) => (s === n - 1 ? 1 : 0)],
  ['every sample but the first', (s) => (s === 0 ? 0 : 1)],
  ['every sample but the last', (s, n) => (s === n - 1 ? 0 : 1)],
  ['the even-numbered samples (0, 2, …)', (s) => (s % 2 === 0 ? 1 : 0)],
  ['the odd-numbered samples (1, 3, …)', (s) => (s % 2 === 1 ? 1 : 0)],
  ['every sample, the first counted twice', (s) => (s === 0 ? 2 : 1)],
  ['every sample, the last counted twice', (s, n) => (s === n - 1 ? 2 : 1)],
];

function sampleRelations(f: FitContext): Relation[] {
  if (f.t.kind === 'x') return [];
  const out: Relation[] = [];
  for (const [words, weight] of SAMPLE_WEIGHTS) {
    const basisOf = (d: DiagnosisCase, t: ParameterTensor): Float64Array => {
      const parts = perSampleGradients(d.nc, d.withInputs);
      const b = new Float64Array(tensorSize(t));
      parts.forEach((g, s) => {
        const w = weight(s, parts.length);
        if (w !== 0) for (let q = 0; q < b.length; q++) b[q] += w * g[t.offset + q];
      });
      return b;
    };
    const basis = basisOf(f.d, f.t);
    // No sample counted here (one sample, left out): the factor cannot be fitted; the plain sum is tested.
    const c = basis.some((b, q) => f.mask[q] && b !== 0) ? fitScale(f.claimed, basis, f.mask) : 1;
    if (c === undefined || Math.abs(c) < 1e-12) continue;
    const s = snap(c);
    const factor = s === 1 ? '' : `${s} × `;
    out.push({
      kind: 'samples',
      says: `claimed = ${factor}the sum of the per-sample gradients of ${words}`,
      parameters: s === 1 ? undefined : { factor: s },
      predict: (d, t, mask) => {
        const b = basisOf(d, t);
        return onMask(d, t, mask, (q) => s * b[q]);
      },
    });
  }
  return out;
}

/** Every relation fitted on the counterexample's tensor and pattern, simplest first. */
export function fitRelations(f: FitContext): Relation[] {
  const zero: Relation = { kind: 'zero', says: 'claimed = 0', predict: (d, t, mask) => onMask(d, t, mask, () => 0) };
  return [zero, ...scaledRelations(f), ...otherTensorRelations(f), ...sampleRelations(f), ...clipRelations(f)];
}

