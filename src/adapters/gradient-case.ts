/**
 * Converts between the reference engine's flat vectors and the per-layer arrays an implementation
 * sees, in its declared weight layout, and validates what comes back.
 */
import { GradcheckError } from '../errors.js';
import { Network } from '../engine/network.js';
import { createMatrix, matrixFromRows, matrixToRows } from '../engine/matrix.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import { returnedScale, type Conventions } from './conventions.js';
import type { GradientCase, GradientResult, LayerParameters } from './implementation.js';

/** Per-layer W (in the declared layout) and b from a flat parameter vector. */
export function layersFromFlat(network: Network, flat: Float64Array, layout: Conventions['weightLayout']): LayerParameters[] {
  return network.layers.map((layer) => {
    const W: number[][] = [];
    const rows = layout === 'in-out' ? layer.inputs : layer.outputs;
    const cols = layout === 'in-out' ? layer.outputs : layer.inputs;
    for (let r = 0; r < rows; r++) {
      const row = new Array<number>(cols);
      for (let c = 0; c < cols; c++) {
        const [i, j] = layout === 'in-out' ? [r, c] : [c, r];
        row[c] = flat[layer.weightOffset + i * layer.outputs + j];
      }
      W.push(row);
    }
    return layer.bias ? { W, b: Array.from(flat.subarray(layer.biasOffset, layer.biasOffset + layer.outputs)) } : { W };
  });
}

export function toGradientCase(c: NetworkCase, conventions: Conventions, id: number, seed: number, params = c.params, inputs = c.inputs.data): GradientCase {
  return {
    id,
    seed,
    network: c.network.spec,
    parameters: layersFromFlat(c.network, params, conventions.weightLayout),
    inputs: matrixToRows(createMatrix(c.inputs.rows, c.inputs.cols, inputs)),
    targets: matrixToRows(c.targets),
    reduction: c.reduction,
  };
}

/**
 * The inverse of `toGradientCase`: the engine's case from the case(s) an implementation was sent
 * (parameters mapped back from the declared layout; per-sample rows joined again in order).
 */
export function fromGradientCases(asked: readonly GradientCase[], conventions: Conventions): NetworkCase {
  const first = asked[0];
  const network = new Network(first.network);
  const inputs = matrixFromRows(asked.flatMap((c) => c.inputs));
  const asGiven = { ...conventions, returns: 'gradient' as const, learningRate: undefined };
  const { parameters } = claimedFromResult({ parameters: first.parameters }, network, asGiven, inputs.rows, 'fromGradientCases');
  return { network, params: parameters, inputs, targets: matrixFromRows(asked.flatMap((c) => c.targets)), reduction: first.reduction };
}

/** The case split into one case per input row (for `batch: 'per-sample'` implementations). */
export function perSampleCases(c: GradientCase, nextId: () => number): GradientCase[] {
  return c.inputs.map((row, n) => ({ ...c, id: nextId(), inputs: [row], targets: [c.targets[n]] }));
}

/** An implementation's answer read as dL/dθ in the engine's flat layout (and dL/dx, batch × inputs, when returned). */
export interface ClaimedGradients {
  readonly parameters: Float64Array;
  readonly inputs?: Float64Array;
}

/**
 * Reads an implementation's result as dL/dθ of the case's loss: checks every shape and value
 * (errors name `where`, the field and the entry), transposes `out-in` weights, divides by the
 * returned scale (−1, −rate).
 */
export function claimedFromResult(result: GradientResult, network: Network, conventions: Conventions, batch: number, where: string): ClaimedGradients {
  if (result === null || typeof result !== 'object' || !Array.isArray(result.parameters)) {
    throw new GradcheckError(where, `result is ${describe(result)}; expected { parameters: [{ W, b? }, …] }`);
  }
  if (result.parameters.length !== network.layers.length) {
    throw new GradcheckError(where, `parameters has ${result.parameters.length} layers; expected ${network.layers.length}`);
  }
  const scale = 1 / returnedScale(conventions);
  const flat = new Float64Array(network.parameterCount);
  network.layers.forEach((layer, l) => {
    const entry = result.parameters[l];
    const rows = conventions.weightLayout === 'in-out' ? layer.inputs : layer.outputs;
    const cols = conventions.weightLayout === 'in-out' ? layer.outputs : layer.inputs;
    const W = readMatrix(entry?.W, rows, cols, `${where}: parameters[${l}].W`, conventions.weightLayout);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const [i, j] = conventions.weightLayout === 'in-out' ? [r, c] : [c, r];
        flat[layer.weightOffset + i * layer.outputs + j] = scale * W[r][c];
      }
    }
    if (layer.bias) {
      const b = readVector(entry.b, layer.outputs, `${where}: parameters[${l}].b`);
      for (let j = 0; j < layer.outputs; j++) flat[layer.biasOffset + j] = scale * b[j];
    } else if (entry.b !== undefined && entry.b !== null) {
      throw new GradcheckError(where, `parameters[${l}].b is present but layer ${l + 1} has no bias; expected no b`);
    }
  });
  let inputs: Float64Array | undefined;
  if (result.inputs !== undefined && result.inputs !== null) {
    const x = readMatrix(result.inputs, batch, network.inputCount, `${where}: inputs`);
    inputs = Float64Array.from(x.flat(), (v) => scale * v);
  }
  return { parameters: flat, inputs };
}

function readMatrix(value: unknown, rows: number, cols: number, field: string, layout?: string): number[][] {
  const shape = layout ? ` (${layout === 'in-out' ? 'inputs × outputs' : 'outputs × inputs'}, weightLayout '${layout}')` : '';
  const [where, name] = splitField(field);
  if (!Array.isArray(value) || value.length !== rows || !value.every((row) => Array.isArray(row) && row.length === cols)) {
    throw new GradcheckError(where, `${name} has shape ${shapeOf(value)}; expected ${rows}×${cols}${shape}`);
  }
  value.forEach((row: unknown[], r) =>
    row.forEach((v, c) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new GradcheckError(where, `${name}[${r}][${c}] is ${describe(v)}; expected a finite number`);
      }
    }),
  );
  return value as number[][];
}

function readVector(value: unknown, length: number, field: string): number[] {
  const [where, name] = splitField(field);
  if (!Array.isArray(value) || value.length !== length || value.some((v) => Array.isArray(v))) {
    const found = !Array.isArray(value) ? describe(value) : value.some((v) => Array.isArray(v)) ? `a nested array (shape ${shapeOf(value)})` : `${value.length} entries`;
    throw new GradcheckError(where, `${name} is ${found}; expected a vector of ${length} numbers`);
  }
  value.forEach((v, j) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new GradcheckError(where, `${name}[${j}] is ${describe(v)}; expected a finite number`);
    }
  });
  return value as number[];
}

function splitField(field: string): [string, string] {
  const k = field.lastIndexOf(': ');
  return [field.slice(0, k), field.slice(k + 2)];
}

function shapeOf(value: unknown): string {
  if (!Array.isArray(value)) return describe(value);
  const cols = value.map((row) => (Array.isArray(row) ? row.length : '?'));
  return new Set(cols).size <= 1 ? `${value.length}×${cols[0] ?? 0}` : `${value.length} rows of lengths ${cols.join(', ')}`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v)?.slice(0, 40) ?? String(v);
}
