/**
 * The reference network: a stack of dense layers on a flat float64 parameter vector,
 * with an exact analytic backward pass. Forward and backward sit side by side.
 */
import { activations } from './activation.js';
import { constants } from 'node:buffer';
import { describeNetwork, validateNetworkSpec, type DenseLayer, type NetworkSpec } from './dense-layer.js';
import { concatTensors, entryName, locateIndex, type ParameterTensor } from './layout.js';
import { mseGradientInto, mseLoss, type Reduction } from './loss.js';
import { matmulInto, matmulTransposeAInto, matmulTransposeBInto, type Matrix } from './matrix.js';
import { GradcheckError } from '../errors.js';

/** Everything the forward pass computed: z_l = a_{l−1}·W_l + b_l and a_l = σ(z_l); a_0 is the input. */
export interface ForwardTrace {
  readonly batch: number;
  /** z_1 … z_L, each batch × outputs. */
  readonly preActivations: Float64Array[];
  /** a_0 (the input) … a_L (the prediction). */
  readonly activations: Float64Array[];
}

/** What one backward pass of the reference engine returns: the loss, dL/dθ, dL/dx and the forward trace. */
export interface NetworkGradients {
  readonly loss: number;
  /** dL/dθ in the flat parameter layout. */
  readonly parameters: Float64Array;
  /** dL/dx, batch × inputs. */
  readonly inputs: Float64Array;
  readonly trace: ForwardTrace;
}

/**
 * The reference network: dense layers `a_l = σ(z_l)`, `z_l = a_{l−1}·W_l + b_l`, MSE loss, exact
 * backpropagation in float64. Parameters live in one flat `Float64Array` in the order W1, b1, W2, … with
 * each W stored inputs × outputs, row-major (`tensors` gives every tensor's offset and shape).
 *
 * @example
 * ```ts
 * const network = new Network({ inputs: 2, layers: [{ outputs: 3, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
 * const params = randomParameters(network, Math.random);
 * const { loss, parameters } = network.gradients(params, matrixFromRows([[1, 2]]), matrixFromRows([[0.5]]), 'mean');
 * ```
 */
export class Network {
  readonly spec: NetworkSpec;
  readonly layers: readonly DenseLayer[];
  /** W1, b1, W2, … with their offsets in the flat parameter vector. */
  readonly tensors: readonly ParameterTensor[];
  readonly parameterCount: number;

  constructor(spec: NetworkSpec) {
    validateNetworkSpec(spec);
    this.spec = spec;
    const shapes: Omit<ParameterTensor, 'offset'>[] = [];
    let inputs = spec.inputs;
    spec.layers.forEach((l, i) => {
      shapes.push({ name: `W${i + 1}`, layer: i + 1, kind: 'W', rows: inputs, cols: l.outputs });
      if (l.bias !== false) shapes.push({ name: `b${i + 1}`, layer: i + 1, kind: 'b', rows: 1, cols: l.outputs });
      inputs = l.outputs;
    });
    const { tensors, size } = concatTensors(shapes);
    // The flat parameter vector is one Float64Array: beyond buffer.constants.MAX_LENGTH bytes (2^32 on
    // 64-bit Node 20) it cannot be allocated, so say so now rather than with a RangeError mid-check.
    if (size * Float64Array.BYTES_PER_ELEMENT > constants.MAX_LENGTH) {
      throw new GradcheckError('Network', `${describeNetwork(spec)} has ${size} parameters; at most ${Math.floor(constants.MAX_LENGTH / Float64Array.BYTES_PER_ELEMENT)} fit in one Float64Array`);
    }
    this.tensors = tensors;
    this.parameterCount = size;
    let prev = spec.inputs;
    this.layers = spec.layers.map((l, i) => {
      const w = tensors.find((t) => t.name === `W${i + 1}`)!;
      const b = tensors.find((t) => t.name === `b${i + 1}`);
      const layer: DenseLayer = {
        index: i + 1,
        inputs: prev,
        outputs: l.outputs,
        activation: activations[l.activation],
        bias: l.bias !== false,
        weightOffset: w.offset,
        biasOffset: b ? b.offset : -1,
      };
      prev = l.outputs;
      return layer;
    });
  }

  /** Inputs of the first layer (columns of the input matrix). */
  get inputCount(): number {
    return this.spec.inputs;
  }

  /** Outputs of the last layer (columns of the target matrix). */
  get outputCount(): number {
    return this.layers[this.layers.length - 1].outputs;
  }

  /** Buffers for a forward pass of `batch` rows, reusable across calls. */
  createTrace(batch: number): ForwardTrace {
    return {
      batch,
      preActivations: this.layers.map((l) => new Float64Array(batch * l.outputs)),
      activations: [new Float64Array(batch * this.spec.inputs), ...this.layers.map((l) => new Float64Array(batch * l.outputs))],
    };
  }

  /**
   * Forward pass into preallocated buffers; `inputs` is copied into trace.activations[0]. With
   * `pieces` (per layer, each unit's `region` at some point, null for a layer left free), the
   * activations of those layers are continued from those pieces (`Activation.onPiece`).
   */
  forwardInto(params: Float64Array, inputs: Float64Array, trace: ForwardTrace, pieces?: readonly (ArrayLike<number> | null)[]): void {
    const n = trace.batch;
    trace.activations[0].set(inputs);
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const z = trace.preActivations[l];
      const a = trace.activations[l + 1];
      const w = params.subarray(layer.weightOffset, layer.weightOffset + layer.inputs * layer.outputs);
      matmulInto(z, trace.activations[l], w, n, layer.inputs, layer.outputs);
      const m = layer.outputs;
      if (layer.bias) {
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) z[i * m + j] += params[layer.biasOffset + j];
      }
      const act = layer.activation;
      const piece = pieces?.[l];
      if (piece) for (let k = 0; k < z.length; k++) a[k] = act.onPiece(z[k], piece[k]);
      else for (let k = 0; k < z.length; k++) a[k] = act.value(z[k]);
    }
  }

  /** The forward pass over a batch (rows of `inputs`): every pre-activation and activation. */
  forward(params: Float64Array, inputs: Matrix): ForwardTrace {
    this.validate('Network.forward', params, inputs);
    const trace = this.createTrace(inputs.rows);
    this.forwardInto(params, inputs.data, trace);
    return trace;
  }

  /** The network's output (the last activation) of a forward trace, batch × outputs, row-major. */
  prediction(trace: ForwardTrace): Float64Array {
    return trace.activations[trace.activations.length - 1];
  }

  /** The MSE loss of the batch under `reduction` (engine/loss.ts). */
  loss(params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction): number {
    this.validate('Network.loss', params, inputs, targets);
    const trace = this.createTrace(inputs.rows);
    this.forwardInto(params, inputs.data, trace);
    return mseLoss(this.prediction(trace), targets.data, reduction);
  }

  /**
   * Backward pass (the chain rule, layer by layer from the output):
   *   δ_L = dL/dŷ ⊙ σ'(z_L),  dW_l = a_{l−1}ᵀ·δ_l,  db_l = Σ_rows δ_l,
   *   δ_{l−1} = (δ_l·W_lᵀ) ⊙ σ'(z_{l−1}),  dL/dx = δ_1·W_1ᵀ.
   */
  gradients(params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction): NetworkGradients {
    this.validate('Network.gradients', params, inputs, targets);
    const n = inputs.rows;
    const trace = this.createTrace(n);
    this.forwardInto(params, inputs.data, trace);
    const prediction = this.prediction(trace);
    const grad = new Float64Array(this.parameterCount);
    const last = this.layers.length - 1;
    let delta = new Float64Array(n * this.layers[last].outputs);
    mseGradientInto(delta, prediction, targets.data, reduction);
    let dInputs = new Float64Array(0);
    for (let l = last; l >= 0; l--) {
      const layer = this.layers[l];
      const z = trace.preActivations[l];
      const act = layer.activation;
      for (let k = 0; k < delta.length; k++) delta[k] *= act.derivative(z[k]);
      const m = layer.outputs;
      const w = params.subarray(layer.weightOffset, layer.weightOffset + layer.inputs * m);
      const dw = grad.subarray(layer.weightOffset, layer.weightOffset + layer.inputs * m);
      matmulTransposeAInto(dw, trace.activations[l], delta, n, layer.inputs, m);
      if (layer.bias) {
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) grad[layer.biasOffset + j] += delta[i * m + j];
      }
      const previous = new Float64Array(n * layer.inputs);
      matmulTransposeBInto(previous, delta, w, n, m, layer.inputs);
      if (l === 0) dInputs = previous;
      delta = previous;
    }
    return { loss: mseLoss(prediction, targets.data, reduction), parameters: grad, inputs: dInputs, trace };
  }

  /** Checks shapes and finiteness; messages name the API, the tensor and the entry. */
  validate(where: string, params: Float64Array, inputs: Matrix, targets?: Matrix): void {
    if (params.length !== this.parameterCount) {
      const shapes = this.tensors.map((t) => `${t.name} ${t.rows}×${t.cols}`).join(', ');
      throw new GradcheckError(where, `params has ${params.length} entries; expected ${this.parameterCount} (${shapes})`);
    }
    for (let i = 0; i < params.length; i++) {
      if (!Number.isFinite(params[i])) {
        const { tensor, row, col } = locateIndex(this.tensors, i);
        throw new GradcheckError(where, `params ${entryName(tensor, row, col)} (layer ${tensor.layer}, flat index ${i}) is ${params[i]}; expected a finite number`);
      }
    }
    checkMatrix(where, 'inputs', inputs, this.spec.inputs);
    if (targets) {
      checkMatrix(where, 'targets', targets, this.outputCount);
      if (targets.rows !== inputs.rows) {
        throw new GradcheckError(where, `targets has ${targets.rows} rows but inputs has ${inputs.rows}; expected one target row per input row`);
      }
    }
  }
}

function checkMatrix(where: string, field: string, m: Matrix, cols: number): void {
  if (m.rows < 1) throw new GradcheckError(where, `${field} has no rows; expected a batch of at least 1`);
  if (m.cols !== cols) throw new GradcheckError(where, `${field} is ${m.rows}×${m.cols}; expected ${cols} columns`);
  if (m.data.length !== m.rows * m.cols) {
    throw new GradcheckError(where, `${field} has ${m.data.length} values for shape ${m.rows}×${m.cols}`);
  }
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i])) {
      throw new GradcheckError(where, `${field}[${Math.floor(i / cols)},${i % cols}] is ${m.data[i]}; expected a finite number`);
    }
  }
}
