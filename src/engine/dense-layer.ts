/**
 * A dense layer: z = a·W + b, out = σ(z). W has shape (inputs × outputs), as in the notebooks,
 * so a batch of row vectors multiplies it from the left.
 */
import { activations, type Activation, type ActivationName } from './activation.js';
import { GradcheckError } from '../errors.js';

/** One dense layer: its width, its activation, and whether it has a bias (default true). */
export interface DenseLayerSpec {
  readonly outputs: number;
  readonly activation: ActivationName;
  /** Whether the layer has a bias row b (1 × outputs). Default: true. */
  readonly bias?: boolean;
}

/** A network's architecture: the input width and its layers, first to last. */
export interface NetworkSpec {
  readonly inputs: number;
  readonly layers: readonly DenseLayerSpec[];
}

/** A layer as the engine lays it out: its widths, activation and offsets in the flat parameter vector. */
export interface DenseLayer {
  /** 1-based layer number. */
  readonly index: number;
  readonly inputs: number;
  readonly outputs: number;
  readonly activation: Activation;
  readonly bias: boolean;
  /** Offsets of W and b in the flat parameter vector (b: −1 without bias). */
  readonly weightOffset: number;
  readonly biasOffset: number;
}

/** Validates a network spec; every message names the field and what was expected. */
export function validateNetworkSpec(spec: NetworkSpec, where = 'Network'): void {
  if (spec === null || typeof spec !== 'object') throw new GradcheckError(where, `spec is ${String(spec)}; expected { inputs, layers }`);
  if (!Number.isInteger(spec.inputs) || spec.inputs < 1) {
    throw new GradcheckError(where, `inputs is ${spec.inputs}; expected an integer ≥ 1`);
  }
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    throw new GradcheckError(where, 'layers is empty; expected at least one dense layer');
  }
  spec.layers.forEach((layer, i) => {
    if (layer === null || typeof layer !== 'object') {
      throw new GradcheckError(where, `layers[${i}] is ${String(layer)}; expected { outputs, activation, bias? }`);
    }
    if (!Number.isInteger(layer.outputs) || layer.outputs < 1) {
      throw new GradcheckError(where, `layers[${i}].outputs is ${layer.outputs}; expected an integer ≥ 1 (a layer cannot be empty)`);
    }
    if (!(layer.activation in activations)) {
      throw new GradcheckError(where, `layers[${i}].activation is ${JSON.stringify(layer.activation)}; expected one of ${Object.keys(activations).join(', ')}`);
    }
    if (layer.bias !== undefined && typeof layer.bias !== 'boolean') {
      throw new GradcheckError(where, `layers[${i}].bias is ${JSON.stringify(layer.bias)}; expected true or false`);
    }
  });
}

/** `[3 → relu 2 → identity 1]`, with `no bias` marked per layer. */
export function describeNetwork(spec: NetworkSpec): string {
  const parts = spec.layers.map((l) => `${l.activation} ${l.outputs}${l.bias === false ? ' (no bias)' : ''}`);
  return `[${[String(spec.inputs), ...parts].join(' → ')}]`;
}
