/**
 * Diagnoses a failed report with the implementation at hand, which can be asked more questions:
 *   1. the same case again, twice: different answers mean state kept between calls, and a second
 *      answer equal to the first plus the correct gradient means gradients accumulated, not reset;
 *      two equal answers unlike the counterexample's, or the counterexample's own, that stay the
 *      same on other inputs or weights of the same shape are stale values (a cache);
 *   2. the hypotheses that reproduce the counterexample (hypotheses.ts, free factors fitted there);
 *   3. each of them tested on the probe cases (probe-cases.ts), which vary every dimension a
 *      hypothesis can depend on: a cause is named only when it, and no other cause, reproduces the
 *      counterexample and every probe the implementation answered;
 *   4. convention hints, proven the same way (prove-hints.ts), unless a mistake was named.
 */
import { GradcheckError, rejectUnknownOptions } from '../errors.js';
import { describeCase } from '../check/strategies/check-network.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import { checkImplementationCase, idCounter, onPrecisionGrid, type ImplementationReport } from '../adapters/check-implementation.js';
import { conventionHints, type ConventionHint } from '../adapters/convention-hints.js';
import type { Implementation } from '../adapters/implementation.js';
import { tensorSize } from '../engine/layout.js';
import { randomMatrix, randomParameters, seededRandom, type Random } from '../engine/random-parameters.js';
import { mseLoss, type Reduction } from '../engine/loss.js';
import { agreement } from './agreement.js';
import { CAUSE_TITLES, type CauseKey } from './causes.js';
import { conclude } from './diagnose-report.js';
import { diagnosisCase, flatClaimed, type DiagnosisCase } from './diagnosis-case.js';
import type { CauseMatch, Diagnosis, ProbeRecord } from './diagnosis.js';
import { causeMatch, matchHypotheses, standingCauses, testOn, type Candidate } from './match-hypotheses.js';
import { hypothesesFor } from './hypotheses.js';
import { compareLoss } from '../check/objective/loss-comparison.js';
import { probeCases, type Probe } from './probe-cases.js';
import { proveHints } from './prove-hints.js';
import { partialHypotheses } from './partial-causes.js';
import { chooseFindings, searchFindings, testFinding, type FindingCandidate } from './findings/search-findings.js';
import { OutputGradientEvidence } from './findings/output-gradient.js';
import { MultiplicityEvidence } from './findings/multiplicity.js';

/** Options of `diagnoseImplementation`. */
export interface DiagnoseOptions {
  /** The case as the reference engine sees it. @default rebuilt from report.case */
  readonly case?: NetworkCase;
  /** Ask the implementation about probe cases to tell causes apart and prove hints. @default true */
  readonly probes?: boolean;
}

/**
 * Why a failed report failed: a named cause (tested on probe cases), or what is known.
 * @example
 * ```ts
 * const d = await diagnoseImplementation(impl, report);
 * console.log(renderDiagnosis(d));
 * ```
 */
export async function diagnoseImplementation(impl: Implementation, report: ImplementationReport, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  rejectUnknownOptions('diagnoseImplementation', options, ['case', 'probes']);
  if (options.probes !== undefined && typeof options.probes !== 'boolean') {
    throw new GradcheckError('diagnoseImplementation', `options.probes is ${JSON.stringify(options.probes)}; expected true or false`);
  }
  const d = diagnosisCase(report, options.case);
  if (report.verdict === 'pass') return conclude(report, d, [], []);
  const ask = answerer(impl, report);

  const second = (await ask(d.nc)).claimed;
  const third = (await ask(d.nc)).claimed;
  const drift = [second, third].map((c) => agreement(d.claimed, c, d.tensors, d.tolerances, d.rounding));
  if (drift.some((a) => !a.agrees)) {
    // Asked again, the answer moved once and then held: a stored answer (a cache filled by some earlier
    // call of this instance, not the one that produced the counterexample), not a sum that grows with
    // each call. Whether it is stale is asked of the answer the implementation now gives.
    const held = agreement(second, third, d.tensors, d.tolerances, d.rounding).agrees;
    const stale = held ? await staleForward(ask, d, report.case.seed, second) : undefined;
    if (stale) return conclude(report, d, [stale.match], [], { confidence: `${staleConfidence(stale.moved)} (asked again, the counterexample was answered from an earlier call's values)` });
    return concludeStateful(report, d, second, third, Math.max(...drift.map((a) => a.deviation)));
  }

  const stale = await staleForward(ask, d, report.case.seed, d.claimed);
  if (stale) return conclude(report, d, [stale.match], [], { confidence: staleConfidence(stale.moved) });

  // An implementation that declares its one reduction is asked no other.
  const probes = options.probes === false ? [] : probeCases(d.nc, report.case.seed).filter((p) => report.conventions.reduction === undefined || p.nc.reduction === report.conventions.reduction);
  if (lossOnlyOn(d, report.loss)) return (await concludeLossOnlyFloat32(impl, report, d, ask, probes)) ?? concludeLossOnly(report, d, ask, probes);
  let candidates = matchHypotheses(d, report.loss);
  // No whole cause: a known one in part (partial-causes.ts), and the facts the entries show (findings/).
  // Both are tested on the probes alongside the whole causes, which come first when one stands.
  const partial = partialHypotheses(d).flatMap((hypothesis) => {
    const o = testOn(hypothesis, d, report.loss, true);
    return o.holds ? [{ hypothesis, fit: o.fit }] : [];
  });
  candidates = [...candidates, ...partial];
  let findings = options.probes !== false ? searchFindings(d) : [];
  const findingConfirmed = new Map<FindingCandidate, number>(findings.map((f) => [f, 0]));
  // Facts about the whole claim (findings/output-gradient.ts, findings/multiplicity.ts), tested on the probes like a finding.
  const wholeClaim = options.probes !== false ? [OutputGradientEvidence.on(d), MultiplicityEvidence.on(d)].filter((e) => e !== undefined) : [];
  const confirmed = new Map<Candidate, number>(candidates.map((c) => [c, 0]));
  /** Probes that reproduced a candidate where it changes the gradient (`telling`), not only where it changes nothing. */
  const told = new Map<Candidate, number>();
  const records: ProbeRecord[] = [];
  let answered = 0;
  if (candidates.length > 0 || findings.length > 0 || wholeClaim.length > 0) {
    for (const probe of probes) {
      let description = `${describeCase(probe.nc)} (varies the ${probe.varies})`;
      let p: DiagnosisCase;
      let loss: ImplementationReport['loss'];
      try {
        let r: Awaited<ReturnType<Ask>>;
        try {
          r = await ask(probe.nc);
        } catch (error) {
          if (!probe.fallback) throw error;
          r = await ask(probe.fallback);
          description = `${describeCase(probe.fallback)} (varies the ${probe.varies}, at the counterexample's widths: the implementation failed at others)`;
        }
        p = r.d;
        loss = r.loss;
      } catch (error) {
        records.push({ description, varies: probe.varies, refuted: [], error: error instanceof Error ? error.message : String(error), survivors: keysOf(candidates) });
        continue;
      }
      answered++;
      const before = keysOf(candidates);
      candidates = candidates.filter((c) => {
        const o = testOn(c.hypothesis, p, loss, false);
        if (o.holds) confirmed.set(c, (confirmed.get(c) ?? 0) + 1);
        if (o.holds && o.telling) told.set(c, (told.get(c) ?? 0) + 1);
        return o.holds !== false;
      });
      findings = findings.filter((f) => {
        const holds = testFinding(f, p);
        if (holds) findingConfirmed.set(f, (findingConfirmed.get(f) ?? 0) + 1);
        return holds !== false;
      });
      for (const e of wholeClaim) e.probe(p);
      const after = keysOf(candidates);
      records.push({ description, varies: probe.varies, refuted: before.filter((k) => !after.includes(k)), survivors: after });
    }
  }
  // A cause stands on positive evidence: reproduced on at least one probe, when any was answered.
  if (answered > 0) candidates = candidates.filter((c) => (confirmed.get(c) ?? 0) > 0);
  if (candidates.some((c) => !c.hypothesis.partial)) candidates = candidates.filter((c) => !c.hypothesis.partial);
  const standing = standingCauses(candidates);
  const groups = tellingCauses(standing, told);
  const setAside = standing.filter((g) => !groups.includes(g)).map((g) => g[0].hypothesis.key);
  const causes = groups.map((g) => causeMatch(g, Math.max(...g.map((c) => confirmed.get(c) ?? 0))));
  // A named mistake is the finding: a convention that would excuse it is not offered (square weights read
  // transposed included: the CLI's layout hint asks the other layout on every shape). Float32
  // arithmetic is no mistake: declaring it is the fix.
  // A named mistake gets no hint, unless it is one a declaration describes exactly: then declaring it is the fix.
  const namedBug = groups.length === 1 && !DECLARABLE_CAUSES.has(groups[0][0].hypothesis.key);
  const hints = namedBug ? [] : await provenHints(impl, report, d, groups.some((g) => g[0].hypothesis.key === 'float32-rounding'), probes);
  // A finding, like a cause, stands on positive evidence: reproduced on a probe, when any was answered.
  const standingFindings = findings.map((candidate) => ({ candidate, confirmedOn: findingConfirmed.get(candidate) ?? 0 })).filter((f) => answered === 0 || f.confirmedOn > 0);
  const facts = causes.length === 0 ? [...chooseFindings(standingFindings), ...wholeClaim.flatMap((e) => e.findings())] : [];
  return conclude(report, d, causes, records, { hints, findings: facts, confidence: causes.length === 1 ? confidenceOf(causes[0], records, answered, setAside) : undefined });
}

/**
 * Among causes that all stand, those some probe told apart from a correct implementation, when any was:
 * a cause reproduced only on probes where it changes nothing (a weight decay fitted to λ ≈ 1e-8 on a
 * float32 sum's rounding holds on every passing probe) has less evidence than one a probe reproduced where
 * the claim differs from what float64 gives. A lone cause keeps its standing (a mistake that shows only
 * on the counterexample's values, a saturated unit, is reproduced there and contradicted nowhere).
 */
function tellingCauses(groups: readonly Candidate[][], told: ReadonlyMap<Candidate, number>): Candidate[][] {
  if (groups.length < 2) return [...groups];
  const telling = groups.filter((g) => g.some((c) => (told.get(c) ?? 0) > 0));
  return telling.length > 0 ? telling : [...groups];
}

/**
 * Causes that are conventions rather than bugs when they hold exactly: −dL/dθ (returns 'negative-gradient'),
 * the step −rate·dL/dθ (returns 'update') and float32 arithmetic (precision 'float32'). Their hints are
 * still printed only when proven on every probe.
 */
const DECLARABLE_CAUSES: ReadonlySet<string> = new Set(['negated', 'returns-update', 'float32-rounding']);

/** The hints conventionHints finds on the counterexample (and float32 when its hypothesis stood), kept only when proven on every probe. */
async function provenHints(impl: Implementation, report: ImplementationReport, d: DiagnosisCase, float32: boolean, probes: readonly Probe[]): Promise<ConventionHint[]> {
  if (probes.length === 0) return [];
  const hints = [...conventionHints(report, { parameters: d.correct.subarray(0, d.nc.network.parameterCount) })];
  if (float32) hints.push({ declare: { precision: 'float32' }, text: "these match if computed in float32 arithmetic — declare precision: 'float32'" });
  return proveHints(impl, report, hints, d.nc, probes.map((p) => p.nc));
}

function confidenceOf(c: CauseMatch, records: readonly ProbeRecord[], answered: number, setAside: readonly CauseKey[] = []): string {
  const varied = [...new Set(records.filter((r) => !r.error).map((r) => r.varies))];
  const failed = records.filter((r) => r.error).length;
  const parts = [`the counterexample and ${c.confirmedOn} of ${records.length} probe cases${varied.length ? ` (varying the ${varied.join(', ')})` : ''}`];
  if (answered > c.confirmedOn) parts.push(`it could not predict ${answered - c.confirmedOn}`);
  if (failed > 0) parts.push(`the implementation failed on ${failed}`);
  parts.push(setAside.length ? `no other known mistake does where it changes the gradient (${setAside.join(', ')} also fits, but changes nothing beyond the allowance on any probe)` : 'no other known mistake does');
  return parts.join('; ');
}

function keysOf(candidates: readonly Candidate[]): CauseKey[] {
  return [...new Set(candidates.map((c) => c.hypothesis.key))];
}

type Ask = (nc: NetworkCase) => Promise<{ claimed: Float64Array; d: DiagnosisCase; loss: ImplementationReport['loss'] }>;

/**
 * Asks the counterexample again with new inputs of the same shape, then with new weights on the same
 * inputs: an answer that stays the same as `answer` (the counterexample's claim, or what the
 * implementation answers for it now) while the correct gradient moves comes from stale values (a
 * cache keyed by shape, by the inputs or by the weights). An all-zero answer says nothing about caching
 * and is left to the hypotheses. A move that leaves the correct gradient pointing the same way (a
 * positive multiple of it) proves nothing either: an answer that depends on the gradient's direction
 * only (its norm clipped or normalised) stays the same there too; such a draw is replaced by another.
 */
async function staleForward(ask: Ask, d: DiagnosisCase, seed: number, answer: Float64Array): Promise<{ match: CauseMatch; moved: 'inputs' | 'weights' } | undefined> {
  if (answer.every((v) => v === 0)) return undefined;
  const random = seededRandom(`${seed}:stale`);
  const params = d.tensors.filter((t) => t.kind !== 'x');
  const moves = {
    inputs: (): NetworkCase => ({ ...d.nc, inputs: randomMatrix(d.nc.inputs.rows, d.nc.inputs.cols, random) }),
    weights: (k: number): NetworkCase => ({ ...d.nc, params: spreadParameters(d.nc, random, k) }),
  };
  for (const what of ['inputs', 'weights'] as const) {
    for (let draw = 0; draw < STALE_DRAWS; draw++) {
      const m = await ask(what === 'inputs' ? moves.inputs() : moves.weights(draw));
      if (agreement(d.correct, m.d.correct, params, d.tolerances, d.rounding).agrees) break;
      if (sameDirection(d.correct, m.d.correct, d.nc.network.parameterCount)) continue;
      const same = agreement(answer, m.claimed, params, d.tolerances, d.rounding);
      if (!same.agrees) break;
      return { match: { key: 'stale-forward-cache', title: CAUSE_TITLES['stale-forward-cache'], detail: '', deviation: same.deviation, worst: same.worst, confirmedOn: 0 }, moved: what };
    }
  }
  return undefined;
}

function staleConfidence(moved: 'inputs' | 'weights'): string {
  return `the counterexample asked again with other ${moved} of the same shape: the answer stayed the same while the correct gradient changed`;
}

/**
 * Draws per move before giving up on one that turns the correct gradient: a random draw keeps its
 * direction with probability 0 except where dL/dθ has one free direction up to sign (one sample
 * through a 1 → 1 layer, with the inputs kept: only the sign of the error ŷ − y can move). There a
 * draw whose biases are spread wider than the targets turns the sign with probability near ½
 * (`spreadParameters`); eight draws leave about 1/128 of such cases unasked, and then no stale cause is
 * claimed (the safe side: a cause unnamed, never a wrong one).
 */
const STALE_DRAWS = 8;

/**
 * New parameters for draw k of the weights move: the engine's draw (W ~ N(0, 1/fan_in), b ~ N(0, 0.1²))
 * first, then each bias spread to N(0, k²): the targets are N(0, 1), so from k = 2 on ŷ falls on either
 * side of y about as often, and the error's sign (the one free direction where there is one) turns.
 */
function spreadParameters(nc: NetworkCase, random: Random, k: number): Float64Array {
  const p = randomParameters(nc.network, random);
  if (k === 0) return p;
  for (const layer of nc.network.layers) if (layer.bias) for (let j = 0; j < layer.outputs; j++) p[layer.biasOffset + j] *= 10 * k;
  return p;
}

/** Whether b is a positive multiple of a over dL/dθ (cosine 1 to 1e-9). */
function sameDirection(a: Float64Array, b: Float64Array, count: number): boolean {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let q = 0; q < count; q++) {
    ab += a[q] * b[q];
    aa += a[q] * a[q];
    bb += b[q] * b[q];
  }
  return aa > 0 && bb > 0 && ab / Math.sqrt(aa * bb) > 1 - 1e-9;
}

function lossOnlyOn(d: DiagnosisCase, loss: ImplementationReport['loss']): boolean {
  return loss !== undefined && !loss.agrees && agreement(d.claimed, d.correct, d.tensors, d.tolerances, d.rounding).agrees;
}

/**
 * Right gradients, wrong loss value: the returned loss is c × the loss of some reduction R' (the case's
 * own, or one fixed whatever the case asks), c fitted on the counterexample and tested on every probe
 * (returned = c × reference within the loss comparison's tolerance). A basis that holds everywhere
 * names a scaled loss value; otherwise the headline stands alone.
 */
async function concludeLossOnly(report: ImplementationReport, d: DiagnosisCase, ask: Ask, probes: readonly Probe[]): Promise<Diagnosis> {
  const lossOf = (nc: NetworkCase, r: Reduction) => mseLoss(nc.network.prediction(nc.network.forward(nc.params, nc.inputs)), nc.targets.data, r);
  const claimedLoss = report.loss!.claimed;
  let bases = (['own', 'half-sum', 'sum', 'mean'] as const)
    .map((basis) => ({ basis, ratio: claimedLoss / lossOf(d.nc, basis === 'own' ? d.nc.reduction : basis) }))
    .filter((b) => Number.isFinite(b.ratio) && b.ratio !== 0);
  const records: ProbeRecord[] = [];
  let confirmed = 0;
  for (const probe of probes) {
    if (bases.length === 0) break;
    const description = `${describeCase(probe.nc)} (varies the ${probe.varies})`;
    try {
      const r = await ask(probe.nc);
      const l = r.loss;
      const gradientsRight = agreement(r.d.claimed, r.d.correct, r.d.tensors, r.d.tolerances, r.d.rounding).agrees;
      const before = bases.length;
      bases = bases.filter((b) => l !== undefined && gradientsRight && Math.abs(l.claimed - b.ratio * lossOf(r.d.nc, b.basis === 'own' ? r.d.nc.reduction : b.basis)) <= l.tolerance);
      if (bases.length > 0) confirmed++;
      const still: CauseKey[] = bases.length ? ['loss-value-scaled'] : [];
      records.push({ description, varies: probe.varies, refuted: before > 0 && bases.length === 0 ? ['loss-value-scaled'] : [], survivors: still });
    } catch (error) {
      records.push({ description, varies: probe.varies, refuted: [], error: error instanceof Error ? error.message : String(error), survivors: bases.length ? ['loss-value-scaled'] : [] });
    }
  }
  // The simplest ratio among the bases that held: fewest significant digits within the check's rtol, the case's own reduction first.
  const digits = (x: number) => [...Array(17).keys()].find((k) => Math.abs(Number(x.toPrecision(k + 1)) - x) <= d.tolerances.rtol * Math.abs(x)) ?? 17;
  const best = [...bases].sort((a, b) => digits(a.ratio) - digits(b.ratio))[0];
  const named = best !== undefined && confirmed > 0;
  const basisName = best && (best.basis === 'own' ? `the '${d.nc.reduction}' loss of each case` : `the '${best.basis}' loss, whatever the reduction`);
  const cause: CauseMatch[] = named ? [{ key: 'loss-value-scaled', title: CAUSE_TITLES['loss-value-scaled'], detail: `${Number(best.ratio.toPrecision(6))} × ${basisName}`, parameters: { factor: best.ratio }, deviation: 0, worst: 0, confirmedOn: confirmed }] : [];
  return conclude(report, d, cause, records, { confidence: named ? confidenceOf(cause[0], records, confirmed) : undefined });
}

/**
 * Right gradients, a loss off by float32 rounding: float32 code checked as float64, on a case where its
 * gradients' rounding fits the float64 tolerance but its loss's does not. Named float32 arithmetic (never
 * a forward-pass mistake) when the float32 hypothesis (gradients and loss recomputed on the float32 grid,
 * compared with float32 rounding) holds on the counterexample, no probe refutes it and one reproduces it.
 */
async function concludeLossOnlyFloat32(impl: Implementation, report: ImplementationReport, d: DiagnosisCase, ask: Ask, probes: readonly Probe[]): Promise<Diagnosis | undefined> {
  if (report.conventions.precision === 'float32' || probes.length === 0) return undefined;
  const h = hypothesesFor(d).find((x) => x.key === 'float32-rounding');
  const loss = report.loss!;
  if (!h || !compareLoss(loss.claimed, onPrecisionGrid(d.nc, 'float32'), 'float32', d.tolerances).agrees) return undefined;
  const here = testOn(h, d, loss, true);
  if (here.holds === false) return undefined;
  const records: ProbeRecord[] = [];
  let confirmed = 0;
  for (const probe of probes) {
    const description = `${describeCase(probe.nc)} (varies the ${probe.varies})`;
    try {
      const r = await ask(probe.nc);
      const o = testOn(h, r.d, r.loss, false);
      if (o.holds === false) return undefined;
      if (o.holds) confirmed++;
      records.push({ description, varies: probe.varies, refuted: [], survivors: ['float32-rounding'] });
    } catch (error) {
      records.push({ description, varies: probe.varies, refuted: [], error: error instanceof Error ? error.message : String(error), survivors: ['float32-rounding'] });
    }
  }
  if (confirmed === 0) return undefined;
  const fit = here.holds ? here.fit : agreement(d.claimed, d.correct, d.tensors, d.tolerances, d.rounding);
  const cause: CauseMatch = { key: 'float32-rounding', title: CAUSE_TITLES['float32-rounding'], detail: '', deviation: fit.deviation, worst: fit.worst, confirmedOn: confirmed };
  const hints = await provenHints(impl, report, d, true, probes);
  // Only this hypothesis was tested here: the confidence says so, without confidenceOf's "no other known mistake does".
  const varied = [...new Set(records.filter((r) => !r.error).map((r) => r.varies))];
  const failed = records.filter((r) => r.error).length;
  const answered = records.length - failed;
  const confidence = [`the counterexample and ${confirmed} of ${records.length} probe cases (varying the ${varied.join(', ')})`, ...(answered > confirmed ? [`it could not predict ${answered - confirmed}`] : []), ...(failed ? [`the implementation failed on ${failed}`] : [])].join('; ');
  return conclude(report, d, [cause], records, { hints, confidence });
}

/** The implementation's claim for a case, through its declared conventions, as a diagnosis case. */
function answerer(impl: Implementation, report: ImplementationReport): Ask {
  const nextId = idCounter(1_000_000);
  const { rtol, atol } = report.report.tolerances;
  return async (nc) => {
    // The cheapest check that still returns the mapped claim: one direction per tensor, no locating.
    const r = await checkImplementationCase(impl, nc, { seed: report.case.seed, nextId }, { strategy: 'directions', directions: 1, locate: false, rtol, atol });
    // Predictions are made where the implementation computed: the case on its precision's grid.
    const onGrid = onPrecisionGrid(nc, report.conventions.precision);
    const d = diagnosisCase({ ...report, claimed: r.claimed }, onGrid);
    return { claimed: flatClaimed(r.claimed, nc.network.parameterCount), d, loss: r.loss };
  };
}

/**
 * Repeated calls with the same case differ. The tensors that changed from the second call to the
 * third changed by exactly the correct gradient: their buffers keep the last answer and add to it
 * (tensors recomputed fresh, such as a returned dL/dx, stay the same).
 */
function concludeStateful(report: ImplementationReport, d: DiagnosisCase, second: Float64Array, third: Float64Array, deviation: number): Diagnosis {
  const step = third.map((v, q) => v - second[q]);
  const changed = d.tensors.filter((t) => !agreement(second, third, [t], d.tolerances, d.rounding).agrees);
  const fit = agreement(step, d.correct, changed, d.tolerances, d.rounding);
  const fresh = d.tensors.filter((t) => !changed.includes(t)).map((t) => t.name);
  const rest = d.tensors.filter((t) => !changed.includes(t));
  const restRight = agreement(second, d.correct, rest, d.tolerances, d.rounding).agrees;
  const accumulates = changed.length > 0 && fit.agrees && restRight;
  const detail = `each further call with the same case returned the previous answer plus the correct gradient${fresh.length ? ` (in ${changed.map((t) => t.name).join(', ')}; ${fresh.join(', ')} recomputed fresh)` : ''}`;
  const size = changed.reduce((s, t) => s + tensorSize(t), 0);
  const candidates: CauseMatch[] = accumulates && size > 0 ? [{ key: 'accumulated-across-calls', title: CAUSE_TITLES['accumulated-across-calls'], detail, deviation: fit.deviation, worst: fit.worst, confirmedOn: 0 }] : [];
  return conclude(report, d, candidates, [], { stateful: { calls: 3, deviation }, confidence: 'three calls with the same case (the difference of the last two equals the correct gradient)' });
}
