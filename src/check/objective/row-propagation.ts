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
import type { Activation } from '../../engine/activation.js';
import type { Network } from '../../engine/network.js';
import { forwardErrorBounds } from '../../engine/gradient-envelope.js';
import { createMatrix } from '../../engine/matrix.js';
import { ENGINE_UNIT_ROUNDOFF, unitsOnKinks } from '../../engine/units-on-kinks.js';

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
  /** 1 for units on their kink at θ (engine/units-on-kinks.ts): changing piece, they leave it rather than cross one. */
  readonly onKink: readonly (Uint8Array | null)[];
  /** While true, every piecewise unit is kept on its piece at θ (`Activation.onPiece`; objective.ts, `frozenPieces`). */
  frozen = false;
  /** Units that changed smooth piece since the last `resetCrossings`. */
  crossings = 0;
  /** Of those, units that were not exactly on their kink at θ (they crossed one). */
  departures = 0;
  private readonly rowZ: Float64Array[];
  private readonly rowDelta: Float64Array[];
  /** W_lᵀ (fan-out × fan-in, row-major) for l ≥ 1: a row's Δ-update is then one contiguous dot product per unit. */
  private readonly transposed: Float64Array[];
  /** Indices of the non-zero entries of a Δa row (ReLU rows are sparse). */
  private readonly nonZero: Int32Array;

  constructor(
    readonly network: Network,
    /** θ's parameters (not copied: must not change while this object is used). */
    readonly params: Float64Array,
    inputs: Float64Array,
    batch: number,
  ) {
    const layers = network.layers;
    const depth = layers.length;
    this.depth = depth;
    this.batch = batch;
    // Small per-layer tables in one buffer: typed arrays above 64 bytes are slow to allocate one by one.
    const table = new Int32Array(5 * depth);
    this.fanIn = table.subarray(0, depth);
    this.fanOut = table.subarray(depth, 2 * depth);
    this.code = table.subarray(2 * depth, 3 * depth);
    this.weightOffset = table.subarray(3 * depth, 4 * depth);
    this.biasOffset = table.subarray(4 * depth, 5 * depth);
    const activations: Activation[] = [];
    let widest = 1;
    let scratchSize = 0;
    for (let l = 0; l < depth; l++) {
      const layer = layers[l];
      this.fanIn[l] = layer.inputs;
      this.fanOut[l] = layer.outputs;
      this.code[l] = activationCode(layer.activation);
      this.weightOffset[l] = layer.weightOffset;
      this.biasOffset[l] = layer.bias ? layer.biasOffset : -1;
      activations.push(layer.activation);
      widest = Math.max(widest, layer.inputs);
      // Wᵀ is needed from the second layer on (the first is only ever updated unit by unit or row by row).
      scratchSize += 2 * layer.outputs + (l > 0 ? layer.inputs * layer.outputs : 0);
    }
    this.activations = activations;
    // With piecewise layers, the forward pass comes with its rounding bounds (which units are on kinks).
    const piecewise = activations.some((a) => a.piecewise);
    const errors = piecewise ? forwardErrorBounds(network, params, createMatrix(batch, network.inputCount, inputs)) : undefined;
    const trace = errors?.trace ?? network.createTrace(batch);
    if (errors === undefined) network.forwardInto(params, inputs, trace);
    this.onKink = errors === undefined ? activations.map(() => null) : unitsOnKinks(network, trace.preActivations, errors.z, ENGINE_UNIT_ROUNDOFF);
    this.z = trace.preActivations;
    this.a = trace.activations;
    const region: (Int8Array | null)[] = [];
    for (let l = 0; l < depth; l++) {
      const act = activations[l];
      if (!act.piecewise) {
        region.push(null);
        continue;
      }
      const z = trace.preActivations[l];
      const r = new Int8Array(z.length);
      for (let k = 0; k < z.length; k++) r[k] = act.region(z[k]);
      region.push(r);
    }
    this.region = region;
    // Row scratch and Wᵀ share one buffer too.
    const scratch = new Float64Array(scratchSize);
    let at = 0;
    this.rowZ = [];
    this.rowDelta = [];
    this.transposed = [];
    for (let l = 0; l < depth; l++) {
      const k = this.fanIn[l];
      const m = this.fanOut[l];
      this.rowZ.push(scratch.subarray(at, (at += m)));
      this.rowDelta.push(scratch.subarray(at, (at += m)));
      const t = scratch.subarray(at, (at += l > 0 ? k * m : 0));
      const w = this.weightOffset[l];
      if (l > 0) for (let p = 0; p < k; p++) for (let q = 0; q < m; q++) t[q * k + p] = params[w + p * m + q];
      this.transposed.push(t);
    }
    this.nonZero = new Int32Array(widest);
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
    this.departures = 0;
  }

  /**
   * Row `n` with z_l[n][j] increased by `dz`: writes the row's new prediction into `out[offset…]` where
   * it changed (the caller keeps the rest at θ's prediction) and returns whether anything changed.
   */
  shiftUnit(n: number, l: number, j: number, dz: number, out: Float64Array, offset: number): boolean {
    const m = this.fanOut[l];
    const at = n * m + j;
    const z = this.z[l][at] + dz;
    const region = this.region[l];
    const value = this.frozen && region !== null ? this.activations[l].onPiece(z, region[at]) : this.activate(l, z);
    // Held on their pieces, only the units exactly on a kink can change piece.
    if (region !== null && (!this.frozen || region[at] === 0) && this.activations[l].region(z) !== region[at]) {
      this.crossings++;
      if (this.onKink[l]![at] === 0) this.departures++;
    }
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
    for (let l = start; l < this.depth; l++) {
      const m = this.fanOut[l];
      const zRow = this.rowZ[l];
      if (l > start) {
        // z' = z + Δa·W, one dot product per unit over the entries of Δa that moved.
        const k = this.fanIn[l];
        const zBase = this.z[l];
        const base = n * m;
        const delta = this.rowDelta[l - 1];
        const wt = this.transposed[l];
        const nonZero = this.nonZero;
        let count = 0;
        for (let p = 0; p < k; p++) if (delta[p] !== 0) nonZero[count++] = p;
        if (count === k) {
          for (let q = 0; q < m; q++) {
            const row = q * k;
            let sum = 0;
            for (let p = 0; p < k; p++) sum += delta[p] * wt[row + p];
            zRow[q] = zBase[base + q] + sum;
          }
        } else {
          for (let q = 0; q < m; q++) {
            const row = q * k;
            let sum = 0;
            for (let t = 0; t < count; t++) {
              const p = nonZero[t];
              sum += delta[p] * wt[row + p];
            }
            zRow[q] = zBase[base + q] + sum;
          }
        }
      }
      const last = l === this.depth - 1;
      const aBase = this.a[l + 1];
      const dRow = this.rowDelta[l];
      const base = n * m;
      const code = this.code[l];
      if (code === SIGMOID) {
        // sigmoidValue inlined by hand (V8 does not inline it here): the engine's formula, same values.
        for (let q = 0; q < m; q++) {
          const z = zRow[q];
          let value: number;
          if (z >= 0) value = 1 / (1 + Math.exp(-z));
          else {
            const e = Math.exp(z);
            value = e / (1 + e);
          }
          if (last) out[offset + q] = value;
          else dRow[q] = value - aBase[base + q];
        }
      } else if (this.frozen && this.region[l] !== null) {
        const region = this.region[l]!;
        const act = this.activations[l];
        for (let q = 0; q < m; q++) {
          const value = act.onPiece(zRow[q], region[base + q]);
          if (last) out[offset + q] = value;
          else dRow[q] = value - aBase[base + q];
        }
      } else {
        for (let q = 0; q < m; q++) {
          const z = zRow[q];
          const value = code === IDENTITY ? z : code === RELU ? (z > 0 ? z : 0) : this.activations[l].value(z);
          if (last) out[offset + q] = value;
          else dRow[q] = value - aBase[base + q];
        }
      }
      const region = this.region[l];
      if (region !== null) {
        const act = this.activations[l];
        const onKink = this.onKink[l]!;
        for (let q = 0; q < m; q++) {
          if (act.region(zRow[q]) === region[base + q] || (this.frozen && region[base + q] !== 0)) continue;
          this.crossings++;
          if (onKink[base + q] === 0) this.departures++;
        }
      }
    }
  }

  private activate(l: number, z: number): number {
    const code = this.code[l];
    return code === SIGMOID ? sigmoidValue(z) : code === IDENTITY ? z : code === RELU ? (z > 0 ? z : 0) : this.activations[l].value(z);
  }
}
