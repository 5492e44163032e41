/**
 * The screen's numeric derivatives D_l[n][j] = ∂L_n/∂z_l[n][j] of row n's share L_n of the loss with
 * respect to every pre-activation (screen-network.ts combines them into every entry), each with its
 * truncation and rounding bounds, base step and whether it may be used.
 *
 * Output layer: central differences of L_n along z_L[n][j] (Richardson-refined, numerics/estimator.ts):
 * moving one output unit costs one row's loss.
 *
 * Hidden layers, by the chain rule through the next layer's linear map (exact, no approximation: L_n
 * depends on a_l[n][j] = σ(z_l[n][j]) only through z_{l+1}[n] = a_l[n]·W_{l+1} + b_{l+1}):
 *   D_l[n][j] = σ′(z_l[n][j]) · A,   A = Σ_q W_{l+1}[j][q]·D_{l+1}[n][q],
 * with σ′ itself a central difference of the activation's own definition (engine/activation.ts) along z
 * (at −|z| where σ′ is even: a sigmoid near 1 rounds relative to 1, near 0 relative to its value).
 * Moving z_l[n][j] in the loss would re-run the whole rest of the row at every stencil point (a
 * 128-wide sigmoid layer: 128 exponentials per point); σ′ costs one per point. Errors, with s = σ′'s
 * estimate (truncation e_s, rounding r_s) and A's (e_A = Σ|W|·e_D, r_A = √Σ((|W|·r_D)² + (γ_m·W·D)²):
 * independent stencils and the sum's own operations in quadrature, as the screen's sums, Higham's γ):
 *   |sA − s*A*| ≤ |s|·(e_A + r_A) + |A|·(e_s + r_s) + (e_s + r_s)(e_A + r_A),
 * split into truncation |s|·e_A + |A|·e_s + (e_s + r_s)(e_A + r_A) and rounding |s|·r_A + |A|·r_s + u·|sA|
 * (the product's own rounding). The activation's value is within ACTIVATION_OPS·u of σ(z) (at least one
 * rounding, u: the estimator's model of one rounded result, rounding.ts), the grid points are exact.
 * Where either factor cannot be used (σ′'s stencil crossed a kink or did not converge, or some D_{l+1}
 * it multiplies is unusable), D_l is estimated directly along z_l as for the output layer.
 *
 * Correlation. Hidden D_l[n][·] of one row share D_{l+1}[n][·]'s rounding, so a sum over j of them (an
 * input entry Σ_j W_1[k][j]·D_1[n][j]) adds their rounding bounds linearly (Minkowski: the norm of a sum
 * of errors is at most the sum of their norms); sums over rows (weights, biases) stay in quadrature.
 */
import type { Activation } from '../../engine/activation.js';
import { ACTIVATION_OPS } from '../../engine/gradient-envelope.js';
import { EstimateWorkspace, estimateInto, type EstimatorSettings, type LineFunction } from '../numerics/estimator.js';
import { unitRoundoff } from '../numerics/precision.js';
import { gamma } from '../numerics/rounding.js';
import type { NetworkRows } from '../objective/row-propagation.js';
import type { LossRounding } from '../numerics/rounding.js';

/** Row n's share of the loss as a function of one pre-activation z_l[n][j]. */
class PreActivationLine implements LineFunction {
  readonly kinkAware = true;
  n = 0;
  l = 0;
  j = 0;
  f0 = 0;
  private readonly row: Float64Array;

  constructor(
    private readonly rows: NetworkRows,
    private readonly targets: Float64Array,
    private readonly scale: number,
  ) {
    this.row = new Float64Array(rows.outputs);
  }

  at(t: number): number {
    const { rows, row } = this;
    const width = row.length;
    const offset = this.n * width;
    const base = rows.prediction;
    for (let k = 0; k < width; k++) row[k] = base[offset + k];
    rows.resetCrossings();
    if (!rows.shiftUnit(this.n, this.l, this.j, t, row, 0)) return this.f0;
    return rowLoss(row, 0, this.targets, offset, width, this.scale);
  }

  crossed(): boolean {
    return this.rows.crossings > 0;
  }
}

/** The activation along its own pre-activation: σ(z + t), and whether z + t left z's smooth piece. */
class ActivationLine implements LineFunction {
  readonly kinkAware: boolean;
  z = 0;
  region = 0;
  private left = false;

  constructor(private readonly activation: Activation) {
    this.kinkAware = activation.piecewise;
  }

  at(t: number): number {
    const z = this.z + t;
    this.left = this.kinkAware && this.activation.region(z) !== this.region;
    return this.activation.value(z);
  }

  crossed(): boolean {
    return this.left;
  }
}

/** scale·Σ_k (prediction − target)², summed like `mseLoss`. */
export function rowLoss(prediction: Float64Array, at: number, targets: Float64Array, targetAt: number, width: number, scale: number): number {
  let s = 0;
  for (let k = 0; k < width; k++) {
    const r = prediction[at + k] - targets[targetAt + k];
    s += r * r;
  }
  return scale * s;
}

/** Per layer (0-based), batch × fan-out each: value, truncation, rounding, base step, usable (1/0). */
export interface PreActivationDerivatives {
  readonly d: Float64Array[];
  readonly e: Float64Array[];
  readonly f: Float64Array[];
  readonly h: Float64Array[];
  readonly ok: Uint8Array[];
  /** Whether layer l's D were computed by the chain rule (rows share rounding: see the module comment). */
  readonly chained: boolean[];
}

/** The estimator's settings for an activation's values (cached: the estimator keeps a plan per settings object). */
const activationSettings = new Map<string, EstimatorSettings>();

function settingsFor(activation: Activation, levels: number): EstimatorSettings {
  const key = `${activation.name}:${levels}`;
  let s = activationSettings.get(key);
  if (s === undefined) {
    const u = unitRoundoff('float64');
    const ops = Math.max(1, ACTIVATION_OPS[activation.name].value);
    const lossRounding: LossRounding = (v) => ops * u * Math.abs(v);
    s = { levels, precision: 'float64', lossRounding };
    activationSettings.set(key, s);
  }
  return s;
}

const usable = (w: EstimateWorkspace): boolean =>
  w.kink === 'none' && w.converged && w.method === 'central' && Number.isFinite(w.value) && Number.isFinite(w.truncation);

/**
 * Every D_l, last layer first. `rowSettings(l)` gives the estimator's settings for row n's loss moved
 * from layer l on (claimed-rounding.ts, networkRowLossRounding), read only where D_l is estimated along z_l.
 */
export function preActivationDerivatives(
  rows: NetworkRows,
  targets: Float64Array,
  scale: number,
  rowLosses: Float64Array,
  buffers: { derivatives: Float64Array; flags: Uint8Array },
  levels: number,
  rowSettings: (l: number) => readonly EstimatorSettings[],
): PreActivationDerivatives {
  const { depth, batch } = rows;
  const out: PreActivationDerivatives = { d: [], e: [], f: [], h: [], ok: [], chained: [] };
  let at0 = 0;
  let flags0 = 0;
  for (let l = 0; l < depth; l++) {
    const count = batch * rows.fanOut[l];
    out.d.push(buffers.derivatives.subarray(at0, at0 + count));
    out.e.push(buffers.derivatives.subarray(at0 + count, at0 + 2 * count));
    out.f.push(buffers.derivatives.subarray(at0 + 2 * count, at0 + 3 * count));
    out.h.push(buffers.derivatives.subarray(at0 + 3 * count, at0 + 4 * count));
    out.ok.push(buffers.flags.subarray(flags0, flags0 + count));
    out.chained.push(l < depth - 1);
    at0 += 4 * count;
    flags0 += count;
  }
  const line = new PreActivationLine(rows, targets, scale);
  const w = new EstimateWorkspace();
  const direct = (l: number, n: number, j: number): void => {
    line.l = l;
    line.n = n;
    line.j = j;
    line.f0 = rowLosses[n];
    const at = n * rows.fanOut[l] + j;
    estimateInto(w, line, line.f0, rows.z[l][at], rowSettings(l)[n]);
    store(out, l, at, w.value, w.truncation, w.rounding, w.step, usable(w));
    // An inactive ReLU unit whose stencil stayed inactive: L does not depend on z there, D is exactly 0.
    if (out.ok[l][at] === 1 && rows.activations[l].name === 'relu' && rows.region[l]![at] < 0) store(out, l, at, 0, 0, 0, w.step, true);
  };
  for (let j = 0; j < rows.fanOut[depth - 1]; j++) for (let n = 0; n < batch; n++) direct(depth - 1, n, j);
  for (let l = depth - 2; l >= 0; l--) chainLayer(rows, l, out, w, levels, direct);
  return out;
}

function store(out: PreActivationDerivatives, l: number, at: number, value: number, truncation: number, rounding: number, step: number, ok: boolean): void {
  out.d[l][at] = value;
  out.e[l][at] = truncation;
  out.f[l][at] = rounding;
  out.h[l][at] = step;
  out.ok[l][at] = ok ? 1 : 0;
}

/** D_l = σ′(z_l)·Σ_q W_{l+1}[j][q]·D_{l+1}[q] (module comment), falling back to `direct` where a factor is unusable. */
function chainLayer(rows: NetworkRows, l: number, out: PreActivationDerivatives, w: EstimateWorkspace, levels: number, direct: (l: number, n: number, j: number) => void): void {
  const m = rows.fanOut[l];
  const m2 = rows.fanOut[l + 1];
  const activation = rows.activations[l];
  const settings = settingsFor(activation, levels);
  const sLine = new ActivationLine(activation);
  const z = rows.z[l];
  const a = rows.a[l + 1];
  const region = rows.region[l];
  const params = rows.params;
  const next = { d: out.d[l + 1], e: out.e[l + 1], f: out.f[l + 1], ok: out.ok[l + 1] };
  const u = unitRoundoff('float64');
  const sumRounding = gamma(m2, u);
  for (let n = 0; n < rows.batch; n++) {
    for (let j = 0; j < m; j++) {
      const at = n * m + j;
      // An even σ′ is taken at −|z|, where the values and their rounding are smallest (activation.ts).
      const zs = activation.evenDerivative ? -Math.abs(z[at]) : z[at];
      sLine.z = zs;
      sLine.region = region === null ? 1 : region[at];
      estimateInto(w, sLine, zs === z[at] ? a[at] : activation.value(zs), zs, settings);
      if (!usable(w)) {
        direct(l, n, j);
        continue;
      }
      const s = w.value;
      const es = w.truncation;
      const rs = w.rounding;
      // σ flat on its piece (an inactive ReLU unit whose stencil stayed inactive): L does not depend on z there.
      if (s === 0 && es === 0 && rs === 0) {
        store(out, l, at, 0, 0, 0, w.step, true);
        continue;
      }
      const row = rows.weightOffset[l + 1] + j * m2;
      const base = n * m2;
      let sum = 0;
      let eA = 0;
      let rA2 = 0;
      let ok = true;
      for (let q = 0; q < m2; q++) {
        const wq = params[row + q];
        if (wq === 0) continue;
        if (next.ok[base + q] === 0) {
          ok = false;
          break;
        }
        const term = wq * next.d[base + q];
        const aw = Math.abs(wq);
        sum += term;
        eA += aw * next.e[base + q];
        rA2 += (aw * next.f[base + q]) ** 2 + (sumRounding * term) ** 2;
      }
      if (!ok) {
        direct(l, n, j);
        continue;
      }
      const rA = Math.sqrt(rA2);
      const value = s * sum;
      const cross = (es + rs) * (eA + rA);
      const truncation = Math.abs(s) * eA + Math.abs(sum) * es + cross;
      const rounding = Math.abs(s) * rA + Math.abs(sum) * rs + u * Math.abs(value);
      store(out, l, at, value, truncation, rounding, w.step, Number.isFinite(value) && Number.isFinite(truncation) && Number.isFinite(rounding));
    }
  }
}
