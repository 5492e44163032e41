/**
 * How far a pre-activation (or an input) can move before any ReLU unit downstream could change its
 * smooth piece: a guaranteed kink-free radius, from Lipschitz bounds propagated through |W|.
 *
 * Moving z_l[n][j] by s moves a_l[n][j] by at most L_l·|s| (L = 1 for ReLU and identity, 1/4 for the
 * sigmoid), z_{l+1}[n][q] by at most L_l·|s|·|W_{l+1}[j][q]|, and so on; a piecewise unit with
 * pre-activation z keeps its piece while its bound stays below |z| minus the rounding of z itself:
 * z at θ and z at a stencil point are each an inner product of k terms plus the bias, updated once,
 * so each is within γ_{k+2}(u)·Σ|a·w| of its exact value (Higham (3.5); γ_k = ku/(1 − ku)), and the
 * margin takes both, 2·γ_{k+2}(u)·Σ|a·w|. All bounds are linear in |s|, so one pass per
 * unit gives the radius. The screen uses it to prove that an entry-by-entry stencil would cross no
 * kink, so that the entry's report (central difference, not near a kink) is the same either way.
 */
import type { NetworkRows } from './row-propagation.js';
import { unitRoundoff } from '../numerics/precision.js';
import { gamma } from '../numerics/rounding.js';

function lipschitz(name: string): number {
  if (name === 'sigmoid') return 0.25;
  if (name === 'relu' || name === 'identity') return 1;
  return Infinity;
}

export class KinkMargins {
  /** |z| minus its rounding, per unit of piecewise layers (≤ 0: no margin); null for smooth layers. */
  private readonly margin: (Float64Array | null)[];
  private readonly absWeights: Float64Array[];
  private readonly lip: Float64Array;
  private readonly bound: Float64Array[];
  /** An activation without a known Lipschitz constant: no radius can be guaranteed. */
  private readonly unknown: boolean;

  constructor(private readonly rows: NetworkRows) {
    const { depth, batch, fanIn, fanOut, params, weightOffset, biasOffset } = rows;
    this.lip = Float64Array.from(rows.activations, (a) => lipschitz(a.name));
    this.unknown = this.lip.some((v) => !Number.isFinite(v));
    this.absWeights = [];
    for (let l = 0; l < depth; l++) {
      const w = params.subarray(weightOffset[l], weightOffset[l] + fanIn[l] * fanOut[l]);
      this.absWeights.push(Float64Array.from(w, Math.abs));
    }
    this.margin = [];
    for (let l = 0; l < depth; l++) {
      if (rows.region[l] === null) {
        this.margin.push(null);
        continue;
      }
      const k = fanIn[l];
      const m = fanOut[l];
      const rounding = 2 * gamma(k + 2, unitRoundoff('float64'));
      const input = rows.a[l];
      const absW = this.absWeights[l];
      const z = rows.z[l];
      const margin = new Float64Array(batch * m);
      for (let n = 0; n < batch; n++) {
        for (let q = 0; q < m; q++) {
          let sum = biasOffset[l] >= 0 ? Math.abs(params[biasOffset[l] + q]) : 0;
          for (let p = 0; p < k; p++) sum += Math.abs(input[n * k + p]) * absW[p * m + q];
          margin[n * m + q] = Math.abs(z[n * m + q]) - rounding * sum;
        }
      }
      this.margin.push(margin);
    }
    this.bound = Array.from(rows.fanOut, (m) => new Float64Array(m));
  }

  /** Whether any layer is piecewise (otherwise every radius is infinite). */
  get needed(): boolean {
    return this.margin.some((m) => m !== null);
  }

  /** The kink-free radius of z_l[n][j]. */
  unitRadius(n: number, l: number, j: number): number {
    if (this.unknown) return 0;
    const m = this.rows.fanOut[l];
    let radius = Infinity;
    const own = this.margin[l];
    if (own !== null) radius = Math.max(0, own[n * m + j]);
    if (radius === 0 || l === this.rows.depth - 1) return radius;
    const next = this.bound[l + 1];
    const m2 = this.rows.fanOut[l + 1];
    const absW = this.absWeights[l + 1];
    const lip = this.lip[l];
    for (let q = 0; q < m2; q++) next[q] = lip * absW[j * m2 + q];
    return this.downstream(n, l + 1, radius);
  }

  /** The kink-free radius of the input x[n][k]. */
  inputRadius(n: number, k: number): number {
    if (this.unknown) return 0;
    const first = this.bound[0];
    const m = this.rows.fanOut[0];
    const absW = this.absWeights[0];
    for (let q = 0; q < m; q++) first[q] = absW[k * m + q];
    return this.downstream(n, 0, Infinity);
  }

  /** bound[start] holds |Δz_start| per unit |s|: the radius allowed by layer `start` and after. */
  private downstream(n: number, start: number, radius: number): number {
    const { depth, fanOut } = this.rows;
    for (let l = start; l < depth; l++) {
      const m = fanOut[l];
      const b = this.bound[l];
      const margin = this.margin[l];
      if (margin !== null) {
        for (let q = 0; q < m; q++) {
          if (b[q] > 0) radius = Math.min(radius, Math.max(0, margin[n * m + q]) / b[q]);
        }
        if (radius === 0) return 0;
      }
      if (l + 1 === depth) break;
      const next = this.bound[l + 1];
      const m2 = fanOut[l + 1];
      const absW = this.absWeights[l + 1];
      const lip = this.lip[l];
      next.fill(0);
      for (let p = 0; p < m; p++) {
        const bp = lip * b[p];
        if (bp === 0) continue;
        for (let q = 0; q < m2; q++) next[q] += bp * absW[p * m2 + q];
      }
    }
    return radius;
  }
}
