/**
 * The findings search: for each wrong tensor of the counterexample, every entry pattern that contains
 * all its wrong entries (entry-masks.ts) × every relation fitted on it (relations.ts), kept when the
 * recomputed tensor reproduces the claimed one by the judge's allowance (agreement.ts). Each candidate
 * names its tensor by a place that carries over (tensor-places.ts), so it predicts the probe cases too:
 * `testFinding` is the same test there. Nothing here knows a named bug; the facts compose.
 */
import { allowance } from '../../check/numerics/judge.js';
import { tensorSize, type ParameterTensor } from '../../engine/layout.js';
import { agreement } from '../agreement.js';
import type { DiagnosisCase } from '../diagnosis-case.js';
import { maskCount, POSITION_MASKS, SIGN_MASKS, thresholdMasks, type EntryMask } from './entry-masks.js';
import type { Finding } from './finding.js';
import { fitRelations, segment, type Relation } from './relations.js';
import { describePlace, placesOf, tensorAt, type TensorPlace } from './tensor-places.js';

/** A fact that reproduced the counterexample's claimed tensor, to be tested on the probes. */
export interface FindingCandidate {
  readonly tensor: ParameterTensor;
  readonly place: TensorPlace;
  readonly mask: EntryMask;
  readonly relation: Relation;
  /** Entries of the mask on the counterexample. */
  readonly indices: readonly number[];
}

/** Candidates per wrong tensor, at most this many (the simplest patterns and relations first). */
const MAX_PER_TENSOR = 512;

/** The entries of `t` where the claim disagrees with the correct gradient beyond the judge's allowance. */
export function wrongEntries(d: DiagnosisCase, t: ParameterTensor): Uint8Array {
  const out = new Uint8Array(tensorSize(t));
  for (let q = 0; q < out.length; q++) {
    const k = t.offset + q;
    out[q] = Math.abs(d.claimed[k] - d.correct[k]) > allowance(d.claimed[k], d.correct[k], d.tolerances, 2 * d.rounding[k]) ? 1 : 0;
  }
  return out;
}

/** Every fact about the counterexample's wrong tensors that reproduces its claim there. */
export function searchFindings(d: DiagnosisCase): FindingCandidate[] {
  const depth = d.nc.network.layers.length;
  const out: FindingCandidate[] = [];
  for (const t of d.tensors) {
    const wrong = wrongEntries(d, t);
    if (maskCount(wrong) === 0) continue;
    const correct = segment(d.correct, t);
    const claimed = segment(d.claimed, t);
    const masks = [...POSITION_MASKS, ...SIGN_MASKS, ...thresholdMasks(correct, wrong)];
    const found: FindingCandidate[] = [];
    for (const mask of masks) {
      const m = mask.select(t, correct);
      if (!m || wrong.some((w, q) => w && !m[q])) continue;
      for (const relation of fitRelations({ d, t, mask: m, claimed, correct })) {
        if (!holdsOn(d, t, mask, relation)) continue;
        const indices = [...m.keys()].filter((q) => m[q]);
        for (const place of placesOf(t, depth)) found.push({ tensor: t, place, mask, relation, indices });
      }
    }
    found.sort((a, b) => rank(a) - rank(b));
    out.push(...found.slice(0, MAX_PER_TENSOR));
  }
  return out;
}

const RELATION_ORDER = ['zero', 'negated', 'scaled', 'other-tensor', 'plus-other-tensor', 'samples', 'clipped', 'norm-clipped'];

/** Smaller patterns first, then simpler relations. */
function rank(c: FindingCandidate): number {
  return c.indices.length * 100 + RELATION_ORDER.indexOf(c.relation.kind);
}

function holdsOn(d: DiagnosisCase, t: ParameterTensor, mask: EntryMask, relation: Relation): boolean {
  const m = mask.select(t, segment(d.correct, t));
  if (!m) return false;
  const predicted = relation.predict(d, t, m);
  if (!predicted) return false;
  const full = Float64Array.from(d.correct);
  full.set(predicted, t.offset);
  return agreement(d.claimed, full, [t], d.tolerances, d.rounding).agrees;
}

/** Whether a candidate reproduces a probe's claimed tensor at its place: true, false, or undefined when it cannot say. */
export function testFinding(c: FindingCandidate, d: DiagnosisCase): boolean | undefined {
  const t = tensorAt(c.place, d.tensors, d.nc.network.layers.length);
  if (!t) return undefined;
  const m = c.mask.select(t, segment(d.correct, t));
  if (!m) return undefined;
  const predicted = c.relation.predict(d, t, m);
  if (!predicted) return undefined;
  const full = Float64Array.from(d.correct);
  full.set(predicted, t.offset);
  return agreement(d.claimed, full, [t], d.tolerances, d.rounding).agrees;
}

/**
 * The findings that stood: per tensor, the candidate that held on the counterexample and every probe
 * answered (and on one at least, when any was), the smallest pattern and simplest relation first.
 */
export function chooseFindings(standing: readonly { candidate: FindingCandidate; confirmedOn: number }[]): Finding[] {
  const byTensor = new Map<ParameterTensor, { candidate: FindingCandidate; confirmedOn: number }[]>();
  for (const s of standing) byTensor.set(s.candidate.tensor, [...(byTensor.get(s.candidate.tensor) ?? []), s]);
  const out: Finding[] = [];
  for (const [t, list] of byTensor) {
    const best = [...list].sort((a, b) => specificity(b.candidate) - specificity(a.candidate) || rank(a.candidate) - rank(b.candidate) || b.confirmedOn - a.confirmedOn)[0];
    const c = best.candidate;
    const specific = specificity(c) > 0;
    const entries = c.mask.describe(t);
    const rest = c.mask.key === 'all' ? '' : '; its other entries are right';
    out.push({
      tensor: t.name,
      place: describePlace(c.place),
      entries,
      mask: c.mask.key,
      relation: c.relation.kind,
      says: c.relation.says,
      ...(c.relation.parameters || c.mask.parameters ? { parameters: { ...c.mask.parameters, ...c.relation.parameters } } : {}),
      indices: c.indices,
      confirmedOn: best.confirmedOn,
      specific,
      text: `${t.name} (${describePlace(c.place)}): on ${entries}, ${c.relation.says}${rest}`,
    });
  }
  return out;
}

/** 1 when the candidate says more than one ratio for the whole tensor (the tensor-level evidence). */
function specificity(c: FindingCandidate): number {
  return c.mask.key !== 'all' || !['zero', 'negated', 'scaled'].includes(c.relation.kind) ? 1 : 0;
}
