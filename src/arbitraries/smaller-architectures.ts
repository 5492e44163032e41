/**
 * The structural reductions of an architecture, most reductive first: what fast-check tries when it
 * shrinks a failing network. fast-check's own shrinking of a list of layers and independent widths
 * cannot reach three kinds of smallest network, so each has its own reduction here:
 *
 * - a property of one layer's activation, when that layer is not the output: removing a layer lets
 *   the next layer (the output, say) take over its activation, and removing the output layer lets
 *   the last hidden layer become the output (`[1 → sigmoid 1 → identity 1]` becomes `[1 → sigmoid 1]`);
 * - a square layer (inputs = outputs): every dimension of the same size shrinks together, so
 *   `[3 → identity 3]` becomes `[2 → identity 2]` instead of stopping where one side alone cannot move;
 * - a width that only the output layer needs: removing the output layer keeps the hidden layer's
 *   width (`[1 → identity 2 → identity 1]` becomes `[1 → identity 2]`).
 *
 * Every candidate lies within the constraints and is strictly smaller in (depth, sum of the input
 * and layer widths, activations' positions in their lists, layers without bias), so shrinking ends.
 */
import type { ActivationName } from '../engine/activation.js';
import type { DenseLayerSpec, NetworkSpec } from '../engine/dense-layer.js';
import type { BiasChoice } from './architecture.js';

/** The validated constraints of an architecture: every bound and list resolved to its value. */
export interface ArchitectureBounds {
  readonly minDepth: number;
  readonly maxDepth: number;
  readonly minWidth: number;
  readonly maxWidth: number;
  readonly minInputs: number;
  readonly maxInputs: number;
  readonly minOutputs: number;
  readonly maxOutputs: number;
  readonly activations: readonly ActivationName[];
  readonly outputActivations: readonly ActivationName[];
  readonly bias: BiasChoice;
}

/** The range of dimension `d` of a network of `depth` layers: 0 the inputs, `depth` the outputs, hidden widths between. */
function range(b: ArchitectureBounds, d: number, depth: number): readonly [number, number] {
  if (d === 0) return [b.minInputs, b.maxInputs];
  return d === depth ? [b.minOutputs, b.maxOutputs] : [b.minWidth, b.maxWidth];
}

/** Whether `spec` is one `architecture(bounds)` can generate. */
export function isWithinBounds(spec: NetworkSpec, b: ArchitectureBounds): boolean {
  const depth = spec.layers.length;
  if (!Number.isInteger(spec.inputs) || depth < b.minDepth || depth > b.maxDepth) return false;
  const dims = [spec.inputs, ...spec.layers.map((l) => l.outputs)];
  if (!dims.every((v, d) => Number.isInteger(v) && v >= range(b, d, depth)[0] && v <= range(b, d, depth)[1])) return false;
  return spec.layers.every((l, i) =>
    (i === depth - 1 ? b.outputActivations : b.activations).includes(l.activation) && (b.bias === 'mixed' ? typeof l.bias === 'boolean' : l.bias === b.bias),
  );
}

function withDims(spec: NetworkSpec, dims: readonly number[]): NetworkSpec {
  return { inputs: dims[0], layers: spec.layers.map((l, i) => ({ ...l, outputs: dims[i + 1] })) };
}

/** Networks with one layer fewer: plain removal, the output taking over the removed activation, the previous width taking over the removed one. */
function* fewerLayers(spec: NetworkSpec): Generator<NetworkSpec> {
  const { inputs, layers } = spec;
  const depth = layers.length;
  for (let i = depth - 1; i >= 0; i--) {
    const rest = layers.filter((_, k) => k !== i);
    if (i === depth - 1) {
      // The last hidden layer becomes the output, with its own activation or the output's.
      const last = rest[rest.length - 1];
      yield { inputs, layers: rest };
      yield { inputs, layers: [...rest.slice(0, -1), { ...last, activation: layers[i].activation }] };
      yield { inputs, layers: [...rest.slice(0, -1), { ...last, outputs: layers[i].outputs }] };
      continue;
    }
    yield { inputs, layers: rest };
    const output = rest[rest.length - 1];
    yield { inputs, layers: [...rest.slice(0, -1), { ...output, activation: layers[i].activation }] };
    // The layer before the removed one (or the inputs) keeps the removed layer's width: a square layer after it stays square.
    if (i === 0) yield { inputs: layers[0].outputs, layers: rest };
    else yield { inputs, layers: rest.map((l, k) => (k === i - 1 ? { ...l, outputs: layers[i].outputs } : l)) };
  }
}

/** Narrower networks: all dimensions to their minimum, dimensions of one size together, then each alone. */
function* narrower(spec: NetworkSpec, b: ArchitectureBounds): Generator<NetworkSpec> {
  const depth = spec.layers.length;
  const dims = [spec.inputs, ...spec.layers.map((l) => l.outputs)];
  const lows = dims.map((_, d) => range(b, d, depth)[0]);
  yield withDims(spec, lows);
  const sizes = [...new Set(dims)].sort((x, y) => y - x);
  for (const v of sizes) {
    const group = dims.map((x, d) => (x === v ? d : -1)).filter((d) => d >= 0);
    if (group.length < 2) continue;
    for (const t of targets(1, v)) yield withDims(spec, dims.map((x, d) => (group.includes(d) ? Math.max(lows[d], t) : x)));
  }
  for (let d = 0; d < dims.length; d++) {
    for (const t of targets(lows[d], dims[d])) yield withDims(spec, dims.map((x, k) => (k === d ? t : x)));
  }
}

/** Smaller values than `v` down to `low`: the lowest, the midpoint, one less. */
function targets(low: number, v: number): number[] {
  return v <= low ? [] : [...new Set([low, low + Math.floor((v - low) / 2), v - 1])].filter((t) => t < v);
}

/**
 * `spec` with every dimension (inputs or a layer's width) of size `from` set to `to`, when that lies
 * within the bounds; undefined when no dimension has that size or the result is out of bounds.
 */
export function resizedDimensions(spec: NetworkSpec, from: number, to: number, b: ArchitectureBounds): NetworkSpec | undefined {
  const dims = [spec.inputs, ...spec.layers.map((l) => l.outputs)];
  if (!dims.includes(from)) return undefined;
  const resized = withDims(spec, dims.map((x) => (x === from ? to : x)));
  return isWithinBounds(resized, b) ? resized : undefined;
}

/** Plainer layers: each activation towards the first of its list, then each layer without bias given one ('mixed' shrinks to bias on). */
function* plainer(spec: NetworkSpec, b: ArchitectureBounds): Generator<NetworkSpec> {
  const depth = spec.layers.length;
  const replace = (i: number, layer: DenseLayerSpec): NetworkSpec => ({ inputs: spec.inputs, layers: spec.layers.map((l, k) => (k === i ? layer : l)) });
  for (let i = 0; i < depth; i++) {
    const list = i === depth - 1 ? b.outputActivations : b.activations;
    const at = list.indexOf(spec.layers[i].activation);
    for (const k of [...new Set([0, at - 1])]) if (k >= 0 && k < at) yield replace(i, { ...spec.layers[i], activation: list[k] });
  }
  if (b.bias !== 'mixed') return;
  for (let i = 0; i < depth; i++) if (!spec.layers[i].bias) yield replace(i, { ...spec.layers[i], bias: true });
}

function key(spec: NetworkSpec): string {
  return JSON.stringify([spec.inputs, spec.layers.map((l) => [l.outputs, l.activation, l.bias])]);
}

/**
 * The architectures smaller than `spec` that `architecture(bounds)` can generate, each once, most
 * reductive first: one layer fewer, then narrower, then plainer activations and bias.
 *
 * @example
 * ```ts
 * const sigmoid = { outputs: 1, activation: 'sigmoid', bias: true } as const;
 * const identity = { outputs: 1, activation: 'identity', bias: true } as const;
 * [...smallerArchitectures({ inputs: 1, layers: [sigmoid, identity] }, architectureBounds())][0];
 * // { inputs: 1, layers: [sigmoid] }: the output layer removed, the hidden sigmoid now the output
 * ```
 */
export function* smallerArchitectures(spec: NetworkSpec, bounds: ArchitectureBounds): Generator<NetworkSpec> {
  const seen = new Set([key(spec)]);
  const all = function* (): Generator<NetworkSpec> {
    if (spec.layers.length > bounds.minDepth) yield* fewerLayers(spec);
    yield* narrower(spec, bounds);
    yield* plainer(spec, bounds);
  };
  for (const candidate of all()) {
    const k = key(candidate);
    if (seen.has(k) || !isWithinBounds(candidate, bounds)) continue;
    seen.add(k);
    yield candidate;
  }
}
