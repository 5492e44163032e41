/**
 * One probe of fast mode (docs/fast-mode.md): the loss along a direction v over a group G of entries
 * of θ (vᵢ = ±mᵢ on G with random signs and magnitudes mᵢ ∈ [½, 1], 0 elsewhere), its numeric
 * directional derivative from the one estimator, and the claimed one, Σ_G vᵢ·gᵢ. A single entry off by
 * eᵢ moves the claimed side by vᵢ·eᵢ, at least |eᵢ|/2 (nothing is diluted by the group's size), while
 * the numeric side stays within U of the truth.
 *
 * Outcomes:
 * - `clean`: |claimed − numeric| ≤ U + R_G + atol·|G|, the judge's comparison (`agrees`) with rtol 0 and
 *   as claimed allowance only what a correct implementation may get wrong: R_G = Σ_G |vᵢ|·Rᵢ, the
 *   entries' claimed rounding, and atol·Σ_G |vᵢ|. Every correct claim is clean whenever U bounds the numeric
 *   error and Rᵢ the claims' rounding (the premises of the entry-by-entry check).
 * - `suspicious`: not clean: some entry of G is off by more than its rounding (a bug, or errors within
 *   rtol that only the entry-by-entry judge can tell from one); the caller narrows G down.
 * - `unsettled`: the estimate did not converge, θ is on a kink along v, or a value is not finite.
 *
 * R_G is needed only when |claimed − numeric| > U + atol·|G| (R_G ≥ 0 can only widen the test), so the
 * per-entry claimed rounding, whose model costs several backward passes, is read only then.
 */
import { estimateInto, type EstimateWorkspace, type EstimatorSettings } from '../numerics/estimator.js';
import { bestStepScale } from '../numerics/step.js';
import { agrees, type Tolerances } from '../numerics/judge.js';
import { compareEntry, type EntryPlace } from '../report/compare-entry.js';
import type { Objective } from '../objective/objective.js';
import type { EntryCheck } from '../report/report.js';
import { DirectionLine } from './direction-probe.js';

export type ProbeOutcome = 'clean' | 'suspicious' | 'unsettled';

export interface ProbeResult {
  readonly outcome: ProbeOutcome;
  /** The probe judged as one compared quantity (the judge with every entry's allowance summed). */
  readonly check: EntryCheck;
  /** 2·(U + R_G) + atol·Σ|vᵢ| with what was known of R_G: a single error with |vᵢ·eᵢ| above it fails the probe. */
  readonly resolution: number;
}

/** What a probe needs of the problem; `claimedRounding` is read lazily (see the module comment). */
export interface ProbeProblem {
  readonly objective: Objective;
  readonly claimed: Float64Array;
  readonly claimedRounding: () => Float64Array | undefined;
}

export class GroupProbe {
  private readonly direction: Float64Array;
  private readonly line: DirectionLine;
  /** Loss evaluations spent by every probe so far. */
  evaluations = 0;

  constructor(
    private readonly problem: ProbeProblem,
    private readonly f0: number,
    private readonly estimator: EstimatorSettings,
    private readonly tolerances: Tolerances,
  ) {
    this.direction = new Float64Array(problem.objective.point.length);
    this.line = new DirectionLine(problem.objective, this.direction);
  }

  /**
   * The probe at the scale c that minimises its uncertainty U(c) = T·c^q + R/c (per unit of v), read
   * off a first probe at c = 1 (`bestStepScale`, numerics/step.ts; the entry check refines its step by
   * the same rule, `estimateAtBestStep`). A direction over n entries moves the loss's higher derivatives far more
   * than one coordinate does, so c* is often well below 1 (about 0.1 for 28,000 entries); a second probe
   * is spent only when c* < ½. Returns the scale used, for the probes of its halves.
   */
  probeAtBestScale(start: number, end: number, weights: Float64Array, skip: Uint8Array, w: EstimateWorkspace, place: EntryPlace): ProbeResult & { scale: number } {
    const first = this.probe(start, end, weights, skip, w, place, 1);
    if (first.outcome === 'unsettled' || !(w.truncation > 0)) return { ...first, scale: 1 };
    const scale = Math.min(1, bestStepScale(w.truncation, w.rounding, this.estimator.levels));
    if (!(scale < 0.5)) return { ...first, scale: 1 };
    const second = this.probe(start, end, weights, skip, w, place, scale);
    // The first probe's verdict stands if the second cannot be settled (a kink met at the other step).
    return second.outcome === 'unsettled' ? { ...first, scale: 1 } : { ...second, scale };
  }

  /**
   * Probes the entries start..end − 1 of θ not marked in `skip`, along c·`weights` (θ's layout),
   * everything reported per unit of `weights`; `place` names the probe in reports.
   */
  probe(start: number, end: number, weights: Float64Array, skip: Uint8Array, w: EstimateWorkspace, place: EntryPlace, c = 1): ProbeResult {
    const { claimed, objective } = this.problem;
    const point = objective.point;
    let projection = 0;
    let magnitude = 0;
    let scale = 0;
    let mass = 0;
    for (let i = start; i < end; i++) {
      if (skip[i] === 1) continue;
      const v = weights[i];
      this.direction[i] = c * v;
      projection += v * claimed[i];
      magnitude += Math.abs(v * claimed[i]);
      mass += Math.abs(v);
      scale = Math.max(scale, Math.abs(point[i]));
    }
    this.line.number = place.direction ?? 0;
    this.line.tensorName = place.tensor;
    try {
      estimateInto(w, this.line, this.f0, scale, this.estimator);
    } finally {
      this.direction.fill(0, start, end);
    }
    this.evaluations += w.evaluations;
    if (c !== 1) unscale(w, c);
    const atol = this.tolerances.atol * mass;
    const u = w.truncation + w.rounding;
    const settled = w.converged && w.kink !== 'at' && Number.isFinite(w.value) && Number.isFinite(u);
    let rounding = 0;
    let clean = settled && agrees(projection, w.value, u, STRICT, atol);
    if (settled && !clean) {
      rounding = this.roundingOf(start, end, weights, skip);
      clean = agrees(projection, w.value, u, STRICT, atol + rounding);
    }
    // As a compared quantity: each entry may be off by rtol of itself (not of |g·v|, which cancellation
    // can make small), by atol and by its rounding, as in directions mode (direction-probe.ts); the
    // judge adds one atol itself.
    const widened = this.tolerances.rtol * Math.max(0, magnitude - Math.max(Math.abs(projection), Math.abs(w.value))) + atol - this.tolerances.atol + rounding;
    const check = compareEntry(place, projection, w, this.tolerances, Math.max(0, widened));
    const outcome: ProbeOutcome = !settled ? 'unsettled' : clean ? 'clean' : 'suspicious';
    return { outcome, check, resolution: 2 * (u + rounding) + atol };
  }

  private roundingOf(start: number, end: number, weights: Float64Array, skip: Uint8Array): number {
    const r = this.problem.claimedRounding();
    if (r === undefined) return 0;
    let sum = 0;
    for (let i = start; i < end; i++) if (skip[i] === 0) sum += r[i] * Math.abs(weights[i]);
    return sum;
  }
}

/** An estimate along c·v as one along v: value, errors and step divided by c (a one-sided pair too). */
function unscale(w: EstimateWorkspace, c: number): void {
  w.value /= c;
  w.truncation /= c;
  w.rounding /= c;
  w.step *= c;
  w.forwardValue /= c;
  w.backwardValue /= c;
  w.forwardTruncation /= c;
  w.backwardTruncation /= c;
  w.sideRounding /= c;
}

/** The judge's comparison with no relative allowance: only numeric error and rounding are forgiven. */
const STRICT: Tolerances = { rtol: 0, atol: 0 };
