/**
 * A finding about the whole claim: every claimed tensor is the correct backward pass of some other
 * dL/dŷ. The true gradient decomposed per output entry: J_sk, the reference backward pass fed the unit
 * dL/dŷ = e_sk, so any backward pass that is right from ŷ down claims Σ_sk G_sk·J_sk for the dL/dŷ = G
 * it started from. G is fitted by least squares on the counterexample; when Σ G_sk·J_sk reproduces
 * every claimed tensor by the judge's allowance, the mistake is located in dL/dŷ (the loss's gradient
 * or the ops between the loss and ŷ), not in any layer. On a probe G is fitted again (the fact is that
 * some G reproduces the claim, not which), and the probe can refute it only when it has more claimed
 * entries than G has (N·K): otherwise any claim fits and the probe says nothing. A probe the
 * implementation answers right says nothing either (the right dL/dŷ reproduces it); the finding needs
 * one probe it answers wrong, reproduced, with a batch of 2 or more (on one sample a layer's mistake in
 * how it treats samples, such as a bias from the first sample only, looks like a dL/dŷ). The dL/dŷ may be wrong because the loss's gradient is, or
 * because ŷ is (a stale or wrong forward pass of the last layer): the sentence says both.
 */
import { agreement } from '../agreement.js';
import type { DiagnosisCase } from '../diagnosis-case.js';
import { createMatrix } from '../../engine/matrix.js';
import type { NetworkCase } from '../../check/objective/network-objective.js';
import type { Finding } from './finding.js';

/** Output entries (N·K) beyond which the fit is not tried: N·K backward passes and an (N·K)² system per case. */
const MAX_OUTPUT_ENTRIES = 64;

/** J_sk for every output entry, in the diagnosis case's layout (dL/dθ, then dL/dx when `withInputs`). */
function outputJacobians(nc: NetworkCase, withInputs: boolean): Float64Array[] {
  const n = nc.inputs.rows;
  const k = nc.network.outputCount;
  const prediction = nc.network.prediction(nc.network.forward(nc.params, nc.inputs));
  const out: Float64Array[] = [];
  for (let e = 0; e < n * k; e++) {
    // Under MSE sum dL/dŷ = 2(ŷ − y'): targets y' = ŷ − e_sk/2 feed the backward pass dL/dŷ = e_sk.
    const targets = createMatrix(n, k, prediction.map((v, q) => (q === e ? v - 0.5 : v)));
    const g = nc.network.gradients(nc.params, nc.inputs, targets, 'sum');
    const v = new Float64Array(g.parameters.length + (withInputs ? g.inputs.length : 0));
    v.set(g.parameters);
    if (withInputs) v.set(g.inputs, g.parameters.length);
    out.push(v);
  }
  return out;
}

/** Solves A·x = b (A square, row-major) by Gaussian elimination with partial pivoting; undefined when singular. */
function solve(a: Float64Array, b: Float64Array, m: number): Float64Array | undefined {
  const scale = Math.max(...a.map(Math.abs));
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]) > Math.abs(a[p * m + c])) p = r;
    if (!(Math.abs(a[p * m + c]) > 1e-12 * scale)) return undefined;
    for (let j = 0; j < m; j++) [a[c * m + j], a[p * m + j]] = [a[p * m + j], a[c * m + j]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = c + 1; r < m; r++) {
      const f = a[r * m + c] / a[c * m + c];
      for (let j = c; j < m; j++) a[r * m + j] -= f * a[c * m + j];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(m);
  for (let c = m - 1; c >= 0; c--) {
    let s = b[c];
    for (let j = c + 1; j < m; j++) s -= a[c * m + j] * x[j];
    x[c] = s / a[c * m + c];
  }
  return x;
}

/** The fitted dL/dŷ when the backward pass of one reproduces every claimed tensor; false when none does; undefined when the case cannot tell. */
export function fitOutputGradient(d: DiagnosisCase): Float64Array | false | undefined {
  const entries = d.nc.inputs.rows * d.nc.network.outputCount;
  if (entries > MAX_OUTPUT_ENTRIES || d.claimed.length <= entries) return undefined;
  // A right claim is the backward pass of the right dL/dŷ: it says nothing about where a mistake is.
  if (agreement(d.claimed, d.correct, d.tensors, d.tolerances, d.rounding).agrees) return undefined;
  const columns = outputJacobians(d.nc, d.withInputs);
  const gram = new Float64Array(entries * entries);
  const rhs = new Float64Array(entries);
  for (let i = 0; i < entries; i++) {
    for (let j = 0; j < entries; j++) gram[i * entries + j] = columns[i].reduce((s, v, q) => s + v * columns[j][q], 0);
    rhs[i] = columns[i].reduce((s, v, q) => s + v * d.claimed[q], 0);
  }
  const g = solve(gram, rhs, entries);
  if (!g) return undefined;
  const predicted = new Float64Array(d.claimed.length);
  columns.forEach((col, e) => col.forEach((v, q) => (predicted[q] += g[e] * v)));
  return agreement(d.claimed, predicted, d.tensors, d.tolerances, d.rounding).agrees ? g : false;
}

/** The correct dL/dŷ of the case, from its reduction: 2c(ŷ − y). */
function correctOutputGradient(nc: NetworkCase): Float64Array {
  const prediction = nc.network.prediction(nc.network.forward(nc.params, nc.inputs));
  const count = prediction.length;
  const c = nc.reduction === 'mean' ? 1 / count : nc.reduction === 'sum' ? 1 : 0.5;
  return prediction.map((p, q) => 2 * c * (p - nc.targets.data[q]));
}

const list = (v: Float64Array): string => `[${[...v.subarray(0, 4)].map((x) => Number(x.toPrecision(4))).join(', ')}${v.length > 4 ? ', …' : ''}]`;

/** The finding, once it held on the counterexample (`fitted`) and on `confirmedOn` probes. */
export function outputGradientFinding(d: DiagnosisCase, fitted: Float64Array, confirmedOn: number): Finding {
  const says = `every claimed tensor is the correct backward pass of another dL/dŷ: each layer's backward step is right, the mistake is in the dL/dŷ it starts from (the loss's gradient, or the ŷ it is computed from) (on the counterexample the claim starts from dL/dŷ = ${list(fitted)} where 2c(ŷ − y) = ${list(correctOutputGradient(d.nc))})`;
  return { tensor: 'dL/dŷ', place: 'the loss gradient dL/dŷ', entries: 'every entry', mask: 'all', relation: 'output-gradient', says, indices: [], confirmedOn, specific: true, text: `dL/dŷ: ${says}` };
}

/**
 * The finding's evidence over the probes: refuted by one that no dL/dŷ reproduces, confirmed by those
 * it reproduces (and could have refuted), stated only after one with a batch of 2 or more.
 */
export class OutputGradientEvidence {
  private confirmedOn = 0;
  private batched = 0;
  private refuted = false;

  private constructor(
    private readonly d: DiagnosisCase,
    private readonly fitted: Float64Array,
  ) {}

  /** The evidence on the counterexample, when the fit holds there. */
  static on(d: DiagnosisCase): OutputGradientEvidence | undefined {
    const g = fitOutputGradient(d);
    return g ? new OutputGradientEvidence(d, g) : undefined;
  }

  probe(p: DiagnosisCase): void {
    if (this.refuted) return;
    const holds = fitOutputGradient(p);
    if (holds === false) this.refuted = true;
    else if (holds) {
      this.confirmedOn++;
      if (p.nc.inputs.rows > 1) this.batched++;
    }
  }

  /** The finding, when it stood. */
  findings(): Finding[] {
    return !this.refuted && this.batched > 0 ? [outputGradientFinding(this.d, this.fitted, this.confirmedOn)] : [];
  }
}
