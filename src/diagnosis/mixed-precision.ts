/**
 * Rounding to float32 in part of the computation only: on the counterexample some tensors carry float32
 * rounding and others are exact to float64 (precision-profile.ts). The hypothesis names the float32
 * tensors by a part that carries over (the hidden layers, layers counted from the output or the input, or a
 * kind of tensor in every layer) and,
 * on another case, holds when every tensor at those places is within float32 rounding and every other
 * one is exact to float64 (undecided tensors say nothing); it is confirmed only where both kinds show.
 */
import type { ParameterTensor } from '../engine/layout.js';
import type { Hypothesis } from './hypotheses.js';
import type { DiagnosisCase } from './diagnosis-case.js';
import { precisionProfile, tensorsOf } from './precision-profile.js';
import { describePlace, placesOf, tensorAt } from './findings/tensor-places.js';

/**
 * The mixed-precision hypotheses of the counterexample, one per way to name its float32 tensors (their
 * `predict` is the float32 one, set by the caller), or none. The probes keep the names that carry over;
 * the cause's detail is made of those.
 */
export function mixedPrecisionHypotheses(d: DiagnosisCase): Omit<Hypothesis, 'predict'>[] {
  const profile = precisionProfile(d);
  const low = tensorsOf(profile, 'float32');
  const exact = tensorsOf(profile, 'exact');
  if (low.length === 0 || exact.length === 0 || tensorsOf(profile, 'other').length > 0) return [];
  const depth = d.nc.network.layers.length;
  return partsHolding(low, d.tensors, depth).map((part) => ({
    key: 'mixed-precision',
    detail: `float32 rounding in ${low.map((t) => t.name).join(', ')} (${part.words}); exact to float64 in ${exact.map((t) => t.name).join(', ')}`,
    precision: 'float32',
    mayEqualCorrect: true,
    check: (c: DiagnosisCase) => holdsAt(c, part.contains),
  }));
}

/** A set of tensors named so it carries over: `(t, depth) => t is in it`. */
interface Part {
  readonly words: string;
  contains(t: ParameterTensor, depth: number): boolean;
}

/** The ways to name the float32 tensors of the counterexample: by layer counted from the output or from the input, or as the hidden layers (dL/dx with them when it is among them). */
function partsHolding(low: readonly ParameterTensor[], tensors: readonly ParameterTensor[], depth: number): Part[] {
  const out: Part[] = [];
  for (const from of ['output', 'input'] as const) {
    const places = low.map((t) => placesOf(t, depth).find((p) => p.from === from || p.kind === 'x')!);
    out.push({ words: places.map(describePlace).join(', '), contains: (t, dd) => places.some((p) => { const at = tensorAt(p, [t], dd); return at === t; }) });
  }
  const withX = low.some((t) => t.kind === 'x');
  const hidden = (t: ParameterTensor, dd: number) => (t.kind === 'x' ? withX : t.layer < dd);
  if (depth > 1 && tensors.every((t) => hidden(t, depth) === low.includes(t))) out.unshift({ words: `the hidden layers${withX ? ' and dL/dx' : ''}, every layer but the output`, contains: hidden });
  // By kind, in every layer: the weight gradients (one op of the autodiff, such as the weight VJP, in float32), the biases', or dL/dθ with dL/dx exact.
  const kinds = new Set(low.map((t) => t.kind));
  if (!kinds.has('x') && tensors.every((t) => kinds.has(t.kind) === low.includes(t))) {
    const words = kinds.size === 2 ? 'every W and b (dL/dθ), dL/dx exact' : kinds.has('W') ? 'every weight gradient W, in every layer' : 'every bias gradient b, in every layer';
    out.push({ words, contains: (t) => kinds.has(t.kind) });
  }
  return out;
}

function holdsAt(c: DiagnosisCase, contains: Part['contains']): boolean | undefined {
  const profile = precisionProfile(c);
  const depth = c.nc.network.layers.length;
  const low = new Set(c.tensors.filter((t) => contains(t, depth)));
  if (low.size === 0) return undefined;
  let sawLow = false;
  let sawExact = false;
  for (const [t, cls] of profile) {
    if (cls === 'other') return false;
    if (cls === 'undecided') continue;
    if (low.has(t) !== (cls === 'float32')) return false;
    if (cls === 'float32') sawLow = true;
    else sawExact = true;
  }
  return sawLow && sawExact ? true : undefined;
}
