/**
 * A finding about the whole claim: every tensor is its correct gradient times a whole number, a
 * different one for different tensors (W1 × 4, b1 × 3). The direction of every tensor is right and
 * its contributions are counted k times over, as when a backward step runs more than once. One
 * factor for every tensor is a single scale (a cause of hypotheses.ts), so on the counterexample at
 * least two factors must differ. On a probe the factors are fitted again (they depend on the network:
 * on a layer without bias they may all agree), and the probe confirms when they are whole numbers
 * again and refutes when a tensor is not a whole multiple of its truth; a probe answered right says nothing.
 */
import type { ParameterTensor } from '../../engine/layout.js';
import { agreement } from '../agreement.js';
import type { DiagnosisCase } from '../diagnosis-case.js';
import type { Finding } from './finding.js';
import { segment } from './relations.js';

/** A fitted factor within this relative distance of a whole number is that number (the claim is float64 arithmetic). */
const WHOLE = 1e-9;

/** Per tensor, k with claimed = k·correct (a whole number ≥ 1) when every tensor has one; false when one has none; undefined when the case cannot tell (a claim that is right, or a tensor whose truth is 0). */
export function wholeMultiples(d: DiagnosisCase): Map<ParameterTensor, number> | false | undefined {
  if (agreement(d.claimed, d.correct, d.tensors, d.tolerances, d.rounding).agrees) return undefined;
  const out = new Map<ParameterTensor, number>();
  for (const t of d.tensors) {
    const g = segment(d.correct, t);
    const c = segment(d.claimed, t);
    let gg = 0;
    let cg = 0;
    for (let q = 0; q < g.length; q++) {
      gg += g[q] * g[q];
      cg += c[q] * g[q];
    }
    if (!(gg > 0)) return undefined;
    const k = Math.round(cg / gg);
    if (k < 1 || Math.abs(cg / gg - k) > WHOLE * k) return false;
    const scaled = Float64Array.from(d.correct);
    for (let q = 0; q < g.length; q++) scaled[t.offset + q] = k * g[q];
    if (!agreement(d.claimed, scaled, [t], d.tolerances, d.rounding).agrees) return false;
    out.set(t, k);
  }
  return out;
}

/** The finding's evidence over the probes, as for the dL/dŷ finding (output-gradient.ts). */
export class MultiplicityEvidence {
  private confirmedOn = 0;
  private refuted = false;

  private constructor(
    private readonly factors: Map<ParameterTensor, number>,
  ) {}

  /** The evidence on the counterexample, when its factors are whole numbers and not all one (one factor is a single scale: a cause). */
  static on(d: DiagnosisCase): MultiplicityEvidence | undefined {
    const factors = wholeMultiples(d);
    return factors && new Set(factors.values()).size > 1 ? new MultiplicityEvidence(factors) : undefined;
  }

  probe(p: DiagnosisCase): void {
    if (this.refuted) return;
    const holds = wholeMultiples(p);
    if (holds === false) this.refuted = true;
    else if (holds) this.confirmedOn++;
  }

  /** The finding, when it stood on the counterexample and on at least one probe. */
  findings(): Finding[] {
    if (this.refuted || this.confirmedOn === 0) return [];
    const list = [...this.factors].map(([t, k]) => `${t.name} × ${k}`).join(', ');
    const says = `every tensor is its correct gradient times a whole number, not the same for every tensor (${list} on the counterexample; other numbers on other networks): each direction is right, the contributions are counted several times over, as when a backward step runs more than once`;
    return [{ tensor: 'every tensor', place: 'the whole claim', entries: 'every entry', mask: 'all', relation: 'multiplicity', says, parameters: Object.fromEntries([...this.factors].map(([t, k]) => [t.name, k])), indices: [], confirmedOn: this.confirmedOn, specific: true, text: `E${says.slice(1)}` }];
  }
}
