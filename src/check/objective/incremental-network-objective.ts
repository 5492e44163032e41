/**
 * The reference engine as an `Objective` that recomputes only what a perturbation changes (see
 * row-propagation.ts): shifting W_l[i][j] or b_l[j] re-runs, in each batch row, unit j of layer l and
 * the layers after it (layer l+1 by a rank-1 update); shifting x[n][k] re-runs row n. The loss is then
 * summed over the whole prediction exactly as `networkObjective` does, so values agree with it to
 * rounding (the difference is below the checker's rounding floor) and kink crossings are counted the
 * same way. `along` re-runs the forward pass from the first layer the direction touches.
 *
 * Nothing is allocated per evaluation. θ = parameters then (optionally) the input batch, as in
 * `networkObjective`.
 */
import { mseLoss, reductionScale } from '../../engine/loss.js';
import { activateInto, matmulSameOrder } from './forward-kernels.js';
import type { ParameterTensor } from '../../engine/layout.js';
import type { NetworkCase, NetworkObjective } from './network-objective.js';
import { NetworkRows } from './row-propagation.js';
import { coordinateGains } from './coordinate-gains.js';

/** `rows` may be shared with the screen (screen-network.ts); it must describe the same case at θ. */
export function incrementalNetworkObjective(c: NetworkCase, includeInputs = true, rows?: NetworkRows): NetworkObjective {
  return new IncrementalNetworkObjective(c, includeInputs, rows ?? new NetworkRows(c.network, c.params, c.inputs.data, c.inputs.rows));
}

class IncrementalNetworkObjective implements NetworkObjective {
  readonly point: Float64Array;
  readonly tensors: readonly ParameterTensor[];
  private readonly baseLoss: number;
  private readonly parameterCount: number;
  private readonly prediction: Float64Array;
  /** θ + t·direction and the forward pass of `along`, allocated on first use. */
  private work: Float64Array | undefined;
  private sweep: { z: Float64Array[]; a: Float64Array[] } | undefined;
  private crossings = 0;
  private departures = 0;
  /** Scratch for `matmulSameOrder`: the non-zero columns of one input row. */
  private readonly nonZero: Int32Array;
  private readonly targets: Float64Array;
  /** reductionScale for the whole batch: L = scale·Σ r². */
  private readonly scale: number;
  private readonly inputCount: number;
  private coordinateGains: Float64Array | undefined;

  constructor(
    private readonly c: NetworkCase,
    private readonly includeInputs: boolean,
    private readonly rows: NetworkRows,
  ) {
    const { network } = c;
    const p = network.parameterCount;
    this.parameterCount = p;
    const size = p + (includeInputs ? c.inputs.data.length : 0);
    // θ and the working prediction share one buffer (typed arrays above 64 bytes are slow to allocate).
    const buffer = new Float64Array(size + rows.prediction.length);
    this.point = buffer.subarray(0, size);
    this.point.set(c.params);
    if (includeInputs) this.point.set(c.inputs.data, p);
    this.prediction = buffer.subarray(size);
    this.prediction.set(rows.prediction);
    this.baseLoss = mseLoss(this.rows.prediction, c.targets.data, c.reduction);
    this.targets = c.targets.data;
    this.scale = reductionScale(c.reduction, this.prediction.length);
    this.inputCount = network.inputCount;
    this.nonZero = new Int32Array(Math.max(network.inputCount, ...network.layers.map((layer) => layer.inputs)));
    const tensors: ParameterTensor[] = [...network.tensors];
    if (includeInputs) tensors.push({ name: 'x', layer: 0, kind: 'x', rows: c.inputs.rows, cols: network.inputCount, offset: p });
    this.tensors = tensors;
  }

  value(): number {
    return this.baseLoss;
  }

  /** Computed on first use (coordinate-gains.ts), from θ's activations. */
  get gains(): Float64Array {
    return (this.coordinateGains ??= coordinateGains(this.c.network, this.c.params, this.rows.a, this.rows.batch, this.includeInputs));
  }

  kinkCrossings(): number {
    return this.crossings;
  }

  kinkDepartures(): number {
    return this.departures;
  }

  /** Shared with the rows' own updates (row-propagation.ts, `frozen`). */
  get frozenPieces(): boolean {
    return this.rows.frozen;
  }

  set frozenPieces(on: boolean) {
    this.rows.frozen = on;
  }

  get kinkAtPoint(): boolean {
    return (this.onKinkAtPoint ??= this.rows.onKink.some((r) => r !== null && r.includes(1)));
  }

  private onKinkAtPoint: boolean | undefined;

  shifted(index: number, t: number): number {
    const rows = this.rows;
    const delta = this.point[index] + t - this.point[index];
    const out = this.prediction;
    const width = rows.outputs;
    rows.resetCrossings();
    let from = 0;
    let to = out.length;
    if (index >= this.parameterCount) {
      const local = index - this.parameterCount;
      const k = this.inputCount;
      const n = (local / k) | 0;
      rows.shiftInput(n, local - n * k, delta, out, n * width);
      from = n * width;
      to = from + width;
    } else {
      let l = 0;
      while (l + 1 < rows.depth && index >= rows.weightOffset[l + 1]) l++;
      const m = rows.fanOut[l];
      const local = index - rows.weightOffset[l];
      const fanIn = rows.fanIn[l];
      const isBias = local >= fanIn * m;
      const i = isBias ? -1 : (local / m) | 0;
      const j = isBias ? local - fanIn * m : local - i * m;
      const input = rows.a[l];
      for (let n = 0; n < rows.batch; n++) {
        const dz = isBias ? delta : input[n * fanIn + i] * delta;
        if (dz !== 0) rows.shiftUnit(n, l, j, dz, out, n * width);
      }
    }
    this.crossings = rows.crossings;
    this.departures = rows.departures;
    // mseLoss (engine/loss.ts) over the whole prediction, same order and scale, then θ's rows restored.
    const targets = this.targets;
    let sum = 0;
    for (let q = 0; q < out.length; q++) {
      const r = out[q] - targets[q];
      sum += r * r;
    }
    const base = rows.prediction;
    for (let q = from; q < to; q++) out[q] = base[q];
    return this.scale * sum;
  }

  along(direction: Float64Array, t: number): number {
    const size = this.point.length;
    const p = this.parameterCount;
    // The first layer the direction moves: any input entry means layer 0 (x comes last in θ).
    let movesInputs = false;
    for (let i = p; i < size && !movesInputs; i++) movesInputs = direction[i] !== 0;
    let first = movesInputs ? 0 : p;
    if (!movesInputs) for (let i = 0; i < p && first === p; i++) if (direction[i] !== 0) first = i;
    if (first === p && !movesInputs) {
      this.crossings = 0;
      this.departures = 0;
      return this.baseLoss;
    }
    const work = (this.work ??= new Float64Array(size));
    for (let i = 0; i < size; i++) work[i] = this.point[i] + t * direction[i];
    const rows = this.rows;
    let start = 0;
    if (!movesInputs) while (start + 1 < rows.depth && first >= rows.weightOffset[start + 1]) start++;
    const loss = this.forwardFrom(start);
    work.set(this.point);
    return loss;
  }

  /**
   * The plain forward pass from layer `start` on the work point: the engine's arithmetic in its order
   * (forward-kernels.ts: the same values as `Network.forwardInto`, to the bit).
   */
  private forwardFrom(start: number): number {
    const rows = this.rows;
    const { network } = this.c;
    const n = rows.batch;
    const p = this.parameterCount;
    const work = this.work!;
    const params = work.subarray(0, p);
    if (this.sweep === undefined) {
      const trace = network.createTrace(n);
      this.sweep = { z: trace.preActivations, a: trace.activations };
    }
    const { z, a } = this.sweep;
    const input = start === 0 ? (this.includeInputs ? work.subarray(p) : this.c.inputs.data) : rows.a[start];
    let crossings = 0;
    let departures = 0;
    for (let l = start; l < rows.depth; l++) {
      const layer = network.layers[l];
      const m = layer.outputs;
      const zl = z[l];
      const al = a[l + 1];
      const w = params.subarray(layer.weightOffset, layer.weightOffset + layer.inputs * m);
      matmulSameOrder(zl, l === start ? input : a[l], w, n, layer.inputs, m, this.nonZero);
      if (layer.bias) {
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) zl[i * m + j] += params[layer.biasOffset + j];
      }
      const act = layer.activation;
      const region = rows.region[l];
      if (rows.frozen && region !== null) for (let k = 0; k < zl.length; k++) al[k] = act.onPiece(zl[k], region[k]);
      else activateInto(al, zl, act);
      if (region !== null) {
        const onKink = rows.onKink[l]!;
        for (let k = 0; k < zl.length; k++) {
          if (act.region(zl[k]) === region[k] || (rows.frozen && region[k] !== 0)) continue;
          crossings++;
          if (onKink[k] === 0) departures++;
        }
      }
    }
    this.crossings = crossings;
    this.departures = departures;
    return mseLoss(a[rows.depth], this.c.targets.data, this.c.reduction);
  }
}
