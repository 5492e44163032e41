/**
 * Known causes in part: a hypothesis of hypotheses.ts whose recomputed gradient reproduces the claim on
 * some tensors while the others are right (a weights-only version of a mistake defined for weights and
 * biases, one layer only). The part is named so it carries over: the weights, the biases, a layer
 * counted from the output or from the input, or one tensor of one. Each partial hypothesis predicts the
 * hypothesis's gradient on its part and the correct one elsewhere, and is tested like any other.
 */
import type { NetworkCase } from '../check/objective/network-objective.js';
import type { ParameterTensor } from '../engine/layout.js';
import { agreement } from './agreement.js';
import { correctGradient, type DiagnosisCase } from './diagnosis-case.js';
import { hypothesesFor, type Hypothesis } from './hypotheses.js';
import { placesOf, describePlace, tensorAt, type TensorPlace } from './findings/tensor-places.js';

/** A part of the network: tensors of a kind, or the tensors of one layer (optionally of one kind). */
interface Part {
  readonly words: string;
  tensors(nc: NetworkCase): ParameterTensor[] | undefined;
}

function partsFor(nc: NetworkCase): Part[] {
  const depth = nc.network.layers.length;
  const parts: Part[] = [
    { words: 'only the weights W (every bias right)', tensors: (c) => c.network.tensors.filter((t) => t.kind === 'W') },
    { words: 'only the biases b (every W right)', tensors: (c) => c.network.tensors.filter((t) => t.kind === 'b') },
  ];
  const seen = new Set<string>();
  for (const t of nc.network.tensors) {
    for (const place of placesOf(t, depth)) {
      const layerPlace: TensorPlace = { ...place, kind: 'W' };
      const layerWords = describePlace(layerPlace).replace(/^W of /, '');
      if (!seen.has(`layer:${layerWords}`) && depth > 1) {
        seen.add(`layer:${layerWords}`);
        parts.push({ words: `only ${layerWords} (the other layers right)`, tensors: (c) => layerTensors(c, layerPlace) });
      }
      const key = `tensor:${describePlace(place)}`;
      if (!seen.has(key)) {
        seen.add(key);
        parts.push({ words: `only ${describePlace(place)} (every other tensor right)`, tensors: (c) => { const at = tensorAt(place, c.network.tensors, c.network.layers.length); return at ? [at] : undefined; } });
      }
    }
  }
  return parts;
}

function layerTensors(nc: NetworkCase, place: TensorPlace): ParameterTensor[] | undefined {
  const depth = nc.network.layers.length;
  const w = tensorAt(place, nc.network.tensors, depth);
  if (!w) return undefined;
  return nc.network.tensors.filter((t) => t.layer === w.layer);
}

/** The partial versions of the known causes that reproduce the counterexample's wrong tensors (tested there by the caller). */
export function partialHypotheses(d: DiagnosisCase): Hypothesis[] {
  const wrong = d.tensors.filter((t) => !agreement(d.claimed, d.correct, [t], d.tolerances, d.rounding).agrees);
  if (wrong.length === 0 || wrong.some((t) => t.kind === 'x')) return [];
  const out: Hypothesis[] = [];
  const parts = partsFor(d.nc);
  for (const h of hypothesesFor(d)) {
    if (h.precision || h.predictLoss) continue;
    const predicted = h.predict(d.nc, d.withInputs);
    if (!predicted) continue;
    if (wrong.some((t) => !agreement(d.claimed, predicted, [t], d.tolerances, d.rounding).agrees)) continue;
    const differs = d.tensors.filter((t) => t.kind !== 'x' && !agreement(predicted, d.correct, [t], d.tolerances, d.rounding).agrees);
    for (const part of parts) {
      const chosen = part.tensors(d.nc);
      // A part is a part: it holds every wrong tensor and leaves out one the full mistake would change.
      if (!chosen || wrong.some((t) => !chosen.includes(t)) || differs.every((t) => chosen.includes(t))) continue;
      out.push({
        key: h.key,
        partial: true,
        detail: `in part: ${part.words}${h.detail ? `; ${h.detail}` : ''}`,
        ...(h.parameters && { parameters: h.parameters }),
        predict(nc, withInputs) {
          const full = h.predict(nc, withInputs);
          const tensors = part.tensors(nc);
          if (!full || !tensors) return undefined;
          const mixed = correctGradient(nc, withInputs);
          for (const t of tensors) mixed.set(full.subarray(t.offset, t.offset + t.rows * t.cols), t.offset);
          return mixed;
        },
      });
    }
  }
  return out;
}
