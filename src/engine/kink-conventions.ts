/**
 * The gradients every valid ReLU′(0) convention gives, at a point where some ReLU units sit on their
 * kink (z = 0 in the engine's float64 forward pass, or within z's own rounding of 0: units-on-kinks.ts).
 *
 * A backward pass multiplies δ of unit k by σ′(z_k); on a kink any σ′_k ∈ [0, 1] is a valid convention
 * (the engine's is 0, activation.ts), and each unit may have its own (another summation order puts z a
 * rounding away from 0 on either side). The claim for one entry, G(s) for the kinked units' slopes s, is
 * affine in each s_k separately (one δ multiplied by s_k), so over the box [0, 1]^K it ranges over
 * [min, max] of its values at the 2^K vertices (a multi-affine function has its extremes at vertices;
 * the box is connected, so every value between is some convention's).
 *
 * Batch rows are independent: row n's share of the loss depends only on row n's units, and the
 * gradient is the sum of the rows' shares, each with its own slopes, so the range is the sum of the rows'
 * ranges (a backward pass with the other rows' δ set to 0 gives one row's share; the rows without kinked
 * units take one pass together). Within one row and one layer A, G is jointly affine in A's slopes s_A
 * (each δ of layer A multiplied by its own slope, everything below linear in those δ):
 * G(s) = G₀ + Σ_{k∈A} s_k·C_k, with G₀ the share with A's kinked slopes 0 and C_k the share through
 * unit k alone (a backward pass whose layer-A slopes are 1 at k and 0 elsewhere, for the entries of
 * layers up to A and the inputs; 0 for the entries of later layers, which do not depend on A's slopes).
 * Over A's box its range is therefore exactly G₀ + [Σ min(0, C_k), Σ max(0, C_k)]: K_A + 1 passes. The
 * row's kinked units in other layers (O) are enumerated at their 2^K_O vertices (for fixed s_A, G is
 * multi-affine in them, so its extremes over their box are at vertices), and the row's range is the
 * hull over those vertices: 2^K_O·(K_A + 1) passes, A the row's layer with the most kinked units. Every
 * kinked unit in one layer (a [2 → relu 3] at batch 1, weights and inputs that are small integers)
 * costs K + 1 passes.
 * Beyond `MAX_PASSES` passes, or `MAX_WORK` multiply-adds, no interval (undefined): the judge then
 * settles what the one-sided derivatives settle.
 */
import { mseGradientInto, type Reduction } from './loss.js';
import { matmulTransposeAInto, matmulTransposeBInto, type Matrix } from './matrix.js';
import type { ForwardTrace, Network } from './network.js';
import { forwardErrorBounds } from './gradient-envelope.js';
import { ENGINE_UNIT_ROUNDOFF, unitsOnKinks } from './units-on-kinks.js';

/** At most 2^12 = 4096 backward passes (of a small network, milliseconds). */
export const MAX_PASSES = 4096;
/**
 * At most 2^28 ≈ 2.7e8 multiply-adds over all passes (a pass costs 2·N·Σ_l fan-in·fan-out, the two
 * products per layer): about a quarter of a second, once per check, and only when an entry is on a kink.
 */
export const MAX_WORK = 2 ** 28;

/** Per entry of θ (parameters, then inputs when asked): the range of valid conventions' gradients. */
export interface ConventionBounds {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Each endpoint is a sum of at most `terms` backward passes' values: a bound on the sum of their magnitudes (for the sum's rounding). */
  readonly magnitude: Float64Array;
  /** How many units sit on their kink. */
  readonly units: number;
  /** 1 + Σ over rows with kinked units of (1 + units of its layer A). */
  readonly terms: number;
  /** Backward passes spent: Σ over rows with kinked units of 2^(K_n − K_A,n)·(K_A,n + 1), plus one for the other rows. */
  readonly passes: number;
}

/**
 * One backward pass with the slopes σ′ given per unit (`slopes[l]`, batch × outputs of layer l), writing
 * dL/dθ then (with `includeInputs`) dL/dx into `out`. Same operations as `Network.gradients`. With
 * `rows`, only the batch rows marked 1 contribute (their share of the loss).
 */
export function backwardWithSlopes(network: Network, params: Float64Array, trace: ForwardTrace, targets: Float64Array, reduction: Reduction, slopes: readonly Float64Array[], includeInputs: boolean, out: Float64Array, rows?: Uint8Array): void {
  const n = trace.batch;
  const p = network.parameterCount;
  out.fill(0);
  const grad = out.subarray(0, p);
  const last = network.layers.length - 1;
  const width = network.layers[last].outputs;
  let delta = new Float64Array(n * width);
  mseGradientInto(delta, trace.activations[last + 1], targets, reduction);
  // Only the rows asked for: the others' δ is 0, so they add exact zeros.
  if (rows !== undefined) for (let i = 0; i < n; i++) if (rows[i] === 0) delta.fill(0, i * width, (i + 1) * width);
  for (let l = last; l >= 0; l--) {
    const layer = network.layers[l];
    const slope = slopes[l];
    for (let k = 0; k < delta.length; k++) delta[k] *= slope[k];
    const m = layer.outputs;
    const w = params.subarray(layer.weightOffset, layer.weightOffset + layer.inputs * m);
    matmulTransposeAInto(grad.subarray(layer.weightOffset, layer.weightOffset + layer.inputs * m), trace.activations[l], delta, n, layer.inputs, m);
    if (layer.bias) for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) grad[layer.biasOffset + j] += delta[i * m + j];
    if (l === 0 && !includeInputs) return;
    const previous = new Float64Array(n * layer.inputs);
    matmulTransposeBInto(previous, delta, w, n, m, layer.inputs);
    if (l === 0) out.set(previous, p);
    delta = previous;
  }
}

/** The convention interval of every entry, or undefined when no unit is on its kink or too many are (module comment). */
export function conventionBounds(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction, includeInputs: boolean): ConventionBounds | undefined {
  const { z: zErrors, trace } = forwardErrorBounds(network, params, inputs);
  const slopes = network.layers.map((layer, l) => Float64Array.from(trace.preActivations[l], (z) => layer.activation.derivative(z)));
  const kinked: { l: number; k: number }[] = [];
  unitsOnKinks(network, trace.preActivations, zErrors, ENGINE_UNIT_ROUNDOFF).forEach((on, l) => {
    if (on === null) return;
    for (let k = 0; k < on.length; k++) {
      if (on[k] === 0) continue;
      kinked.push({ l, k });
      slopes[l][k] = 0;
    }
  });
  const units = kinked.length;
  if (units === 0) return undefined;
  const batch = inputs.rows;
  const p = network.parameterCount;
  const size = p + (includeInputs ? inputs.data.length : 0);
  const rowOf = (l: number, k: number): number => Math.floor(k / network.layers[l].outputs);
  // Per batch row with kinked units: A, its layer with the most of them, and the others, enumerated.
  const plans: { row: number; affine: { l: number; k: number }[]; others: { l: number; k: number }[]; a: number }[] = [];
  let passes = 0;
  let terms = 1;
  for (let row = 0; row < batch; row++) {
    const mine = kinked.filter((u) => rowOf(u.l, u.k) === row);
    if (mine.length === 0) continue;
    const perLayer = network.layers.map((_, l) => mine.filter((u) => u.l === l).length);
    const a = perLayer.indexOf(Math.max(...perLayer));
    const affine = mine.filter((u) => u.l === a);
    const others = mine.filter((u) => u.l !== a);
    plans.push({ row, affine, others, a });
    passes += 2 ** others.length * (affine.length + 1);
    terms += 1 + affine.length;
  }
  // The rows without kinked units, in one pass.
  if (plans.length < batch) passes++;
  const perPass = 2 * batch * network.layers.reduce((sum, layer) => sum + layer.inputs * layer.outputs, 0);
  if (passes > MAX_PASSES || passes * perPass > MAX_WORK) return undefined;
  const lower = new Float64Array(size);
  const upper = new Float64Array(size);
  const magnitude = new Float64Array(size);
  const g0 = new Float64Array(size);
  const g = new Float64Array(size);
  const low = new Float64Array(size);
  const high = new Float64Array(size);
  const sum = new Float64Array(size);
  const rowLow = new Float64Array(size);
  const rowHigh = new Float64Array(size);
  const rowSum = new Float64Array(size);
  const mask = new Uint8Array(batch);
  if (plans.length < batch) {
    mask.fill(1);
    for (const plan of plans) mask[plan.row] = 0;
    backwardWithSlopes(network, params, trace, targets.data, reduction, slopes, includeInputs, g0, mask);
    lower.set(g0);
    upper.set(g0);
    for (let i = 0; i < size; i++) magnitude[i] = Math.abs(g0[i]);
  }
  for (const { row, affine, others, a } of plans) {
    mask.fill(0);
    mask[row] = 1;
    rowLow.fill(Infinity);
    rowHigh.fill(-Infinity);
    rowSum.fill(0);
    // Layer A's slopes through unit k alone; entries of the layers after A do not depend on them.
    const alone = slopes.slice();
    const only = new Float64Array(slopes[a].length);
    alone[a] = only;
    const end = a + 1 < network.layers.length ? network.layers[a + 1].weightOffset : p;
    for (let vertex = 0; vertex < 2 ** others.length; vertex++) {
      others.forEach(({ l, k }, bit) => (slopes[l][k] = Math.floor(vertex / 2 ** bit) % 2));
      backwardWithSlopes(network, params, trace, targets.data, reduction, slopes, includeInputs, g0, mask);
      low.set(g0);
      high.set(g0);
      for (let i = 0; i < size; i++) sum[i] = Math.abs(g0[i]);
      for (const { k } of affine) {
        only.fill(0);
        only[k] = 1;
        backwardWithSlopes(network, params, trace, targets.data, reduction, alone, includeInputs, g, mask);
        for (let i = 0; i < size; i++) {
          if (i >= end && i < p) continue;
          const c = g[i];
          if (c < 0) low[i] += c;
          else high[i] += c;
          sum[i] += Math.abs(c);
        }
      }
      for (let i = 0; i < size; i++) {
        rowLow[i] = Math.min(rowLow[i], low[i]);
        rowHigh[i] = Math.max(rowHigh[i], high[i]);
        rowSum[i] = Math.max(rowSum[i], sum[i]);
      }
    }
    for (const { l, k } of others) slopes[l][k] = 0;
    // Rows are independent (each its own slopes, contributions added): the ranges add.
    for (let i = 0; i < size; i++) {
      lower[i] += rowLow[i];
      upper[i] += rowHigh[i];
      magnitude[i] += rowSum[i];
    }
  }
  return { lower, upper, magnitude, units, terms, passes };
}
