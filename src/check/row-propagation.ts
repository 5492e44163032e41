/**
 * A reference network frozen at θ, with the forward pass of one batch row re-run from a changed
 * pre-activation onwards. Batch rows are independent, and perturbing W_l[i][j] or b_l[j] changes only
 * column j of z_l: in each row, unit j changes by a_{l−1}[i]·δ (or δ), layer l+1 by the rank-1 update
 * Δa_l[j]·W_{l+1}[j, :], and every later layer by Δa·W (entries whose activation did not move are
 * skipped, which makes ReLU layers sparse). Perturbing x[n][k] changes only row n.
 *
 * Buffers are allocated once; the row methods allocate nothing. Kinks: every unit a row update
 * touches is compared with its smooth piece at θ, and `crossings` counts the ones that moved.
 */
import type { Activation } from '../engine/activation.js';
import type { Network } from '../engine/network.js';

const IDENTITY = 0;
const SIGMOID = 1;
const RELU = 2;
const OTHER = 3;

/** The engine's sigmoid (activation.ts), written out so the row loops inline it: same operations, same values. */
function sigmoidValue(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function activationCode(a: Activation): number {
  if (a.name === 'identity') return IDENTITY;
  if (a.name === 'sigmoid') return SIGMOID;
  if (a.name === 'relu') return RELU;
  return OTHER;
}

export class NetworkRows {
  readonly depth: number;
  readonly batch: number;
  /** Per layer (0-based): fan-in, fan-out, activation code, offsets of W and b in θ (b: −1 without bias). */
  readonly fanIn: Int32Array;
  readonly fanOut: Int32Array;
  readonly code: Int32Array;
  readonly activations: readonly Activation[];
  readonly weightOffset: Int32Array;
  readonly biasOffset: Int32Array;
  /** z_l at θ (batch × fan-out), l = 0 … depth−1. */
  readonly z: readonly Float64Array[];
  /** a_l at θ: a[0] is the input batch, a[l+1] the output of layer l. */
  readonly a: readonly Float64Array[];
  /** The smooth piece of every unit of piecewise layers at θ (null for smooth layers). */
  readonly region: readonly (Int8Array | null)[];
  /** Units that changed smooth piece since the last `resetCrossings`. */
  crossings = 0;
  private readonly rowZ: Float64Array[];
  private readonly rowDelta: Float64Array[];

  constructor(
    readonly network: Network,
    /** θ's parameters (not copied: must not change while this object is used). */
    readonly params: Float64Array,
    inputs: Float64Array,
    batch: number,
  ) {
    const layers = network.layers;
    this.depth = layers.length;
    this.batch = batch;
    this.fanIn = Int32Array.from(layers, (l) => l.inputs);
    this.fanOut = Int32Array.from(layers, (l) => l.outputs);
    this.activations = layers.map((l) => l.activation);
    this.code = Int32Array.from(layers, (l) => activationCode(l.activation));
    this.weightOffset = Int32Array.from(layers, (l) => l.weightOffset);
    this.biasOffset = Int32Array.from(layers, (l) => (l.bias ? l.biasOffset : -1));
    const trace = network.createTrace(batch);
    network.forwardInto(params, inputs, trace);
    this.z = trace.preActivations;
    this.a = trace.activations;
    this.region = layers.map((l, i) => (l.activation.piecewise ? Int8Array.from(trace.preActivations[i], (v) => l.activation.region(v)) : null));
    this.rowZ = layers.map((l) => new Float64Array(l.outputs));
    this.rowDelta = layers.map((l) => new Float64Array(l.outputs));
  }

  get outputs(): number {
    return this.fanOut[this.depth - 1];
  }

  /** The prediction at θ (batch × outputs). */
  get prediction(): Float64Array {
    return this.a[this.depth];
  }

  resetCrossings(): void {
    this.crossings = 0;
  }

  /**
   * Row `n` with z_l[n][j] increased by `dz`: writes the row's new prediction into `out[offset…]` where
   * it changed (the caller keeps the rest at θ's prediction) and returns whether anything changed.
   */
  shiftUnit(n: number, l: number, j: number, dz: number, out: Float64Array, offset: number): boolean {
    const m = this.fanOut[l];
    const at = n * m + j;
    const z = this.z[l][at] + dz;
    const value = this.activate(l, z);
    const region = this.region[l];
    if (region !== null && this.activations[l].region(z) !== region[at]) this.crossings++;
    if (l === this.depth - 1) {
      out[offset + j] = value;
      return true;
    }
    const delta = value - this.a[l + 1][at];
    if (delta === 0) return false;
    const next = l + 1;
    const m2 = this.fanOut[next];
    const zNext = this.rowZ[next];
    const zBase = this.z[next];
    const w = this.params;
    const wRow = this.weightOffset[next] + j * m2;
    const base = n * m2;
    for (let q = 0; q < m2; q++) zNext[q] = zBase[base + q] + delta * w[wRow + q];
    this.finishRow(n, next, out, offset);
    return true;
  }

  /** Row `n` with input x[n][k] increased by `dx` (see `shiftUnit`). */
  shiftInput(n: number, k: number, dx: number, out: Float64Array, offset: number): boolean {
    const m = this.fanOut[0];
    const zRow = this.rowZ[0];
    const zBase = this.z[0];
    const w = this.params;
    const wRow = this.weightOffset[0] + k * m;
    for (let q = 0; q < m; q++) zRow[q] = zBase[n * m + q] + dx * w[wRow + q];
    this.finishRow(n, 0, out, offset);
    return true;
  }

  /** rowZ[start] holds row n's new pre-activations of layer `start`: run the rest of the row. */
  private finishRow(n: number, start: number, out: Float64Array, offset: number): void {
    const w = this.params;
    for (let l = start; l < this.depth; l++) {
      const m = this.fanOut[l];
      const zRow = this.rowZ[l];
      if (l > start) {
        const k = this.fanIn[l];
        const zBase = this.z[l];
        const base = n * m;
        for (let q = 0; q < m; q++) zRow[q] = zBase[base + q];
        const delta = this.rowDelta[l - 1];
        const wOffset = this.weightOffset[l];
        for (let p = 0; p < k; p++) {
          const d = delta[p];
          if (d === 0) continue;
          const wRow = wOffset + p * m;
          for (let q = 0; q < m; q++) zRow[q] += d * w[wRow + q];
        }
      }
      const last = l === this.depth - 1;
      const aBase = this.a[l + 1];
      const dRow = this.rowDelta[l];
      const base = n * m;
      const code = this.code[l];
      for (let q = 0; q < m; q++) {
        const z = zRow[q];
        const value = code === SIGMOID ? sigmoidValue(z) : code === IDENTITY ? z : code === RELU ? (z > 0 ? z : 0) : this.activations[l].value(z);
        if (last) out[offset + q] = value;
        else dRow[q] = value - aBase[base + q];
      }
      const region = this.region[l];
      if (region !== null) {
        const act = this.activations[l];
        for (let q = 0; q < m; q++) if (act.region(zRow[q]) !== region[base + q]) this.crossings++;
      }
    }
  }

  private activate(l: number, z: number): number {
    const code = this.code[l];
    return code === SIGMOID ? sigmoidValue(z) : code === IDENTITY ? z : code === RELU ? (z > 0 ? z : 0) : this.activations[l].value(z);
  }
}
