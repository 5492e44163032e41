/**
 * Random network architectures: depth, widths, an activation per layer, bias on or off. Each depth,
 * width and activation is drawn independently and uniformly from its constraint; a failing network
 * shrinks by structural reductions (`smallerArchitectures`): a layer fewer (the output may take over
 * the removed layer's activation or width), dimensions of one size together (a square layer stays
 * square), then each dimension, then activations towards the first of their list and bias on. So a
 * failure ends as the shallowest, narrowest network that shows it.
 */
import fc from 'fast-check';
import { activationNames, type ActivationName } from '../engine/activation.js';
import type { DenseLayerSpec, NetworkSpec } from '../engine/dense-layer.js';
import { GradcheckError } from '../errors.js';
import { choiceListField, integerField, orderedPair, rejectUnknownFields } from './constraint-checks.js';
import { isWithinBounds, smallerArchitectures, type ArchitectureBounds } from './smaller-architectures.js';

/** Bias on every layer (`true`), on none (`false`), or chosen per layer (`'mixed'`, shrinks to bias on). */
export type BiasChoice = boolean | 'mixed';

/** Limits on generated architectures: depth, widths, inputs, outputs, activations and bias; every field optional with a documented default. */
export interface ArchitectureConstraints {
  /** Fewest dense layers, counting the output layer (1 = no hidden layer). @default 1 */
  readonly minDepth?: number;
  /** Most dense layers, counting the output layer. @default 4 */
  readonly maxDepth?: number;
  /** Narrowest hidden layer. @default 1 */
  readonly minWidth?: number;
  /** Widest hidden layer. @default 4 */
  readonly maxWidth?: number;
  /** Fewest input features. @default 1 */
  readonly minInputs?: number;
  /** Most input features. @default 4 */
  readonly maxInputs?: number;
  /** Fewest outputs. @default 1 */
  readonly minOutputs?: number;
  /** Most outputs. @default 3 */
  readonly maxOutputs?: number;
  /** Activations of hidden layers; shrinking goes towards the first. @default ['identity', 'sigmoid', 'relu'] */
  readonly activations?: readonly ActivationName[];
  /** Activations of the output layer; shrinking goes towards the first. @default ['identity', 'sigmoid', 'relu'] */
  readonly outputActivations?: readonly ActivationName[];
  /** Bias rows: on every layer, on none, or per layer. @default 'mixed' */
  readonly bias?: BiasChoice;
}

export const ARCHITECTURE_FIELDS = [
  'minDepth', 'maxDepth', 'minWidth', 'maxWidth', 'minInputs', 'maxInputs',
  'minOutputs', 'maxOutputs', 'activations', 'outputActivations', 'bias',
] as const;

/** Identity first: a shrunk counterexample keeps a non-linearity only when the failure needs it. */
const DEFAULT_ACTIVATIONS: readonly ActivationName[] = ['identity', 'sigmoid', 'relu'];
/**
 * The most dense layers. Depth multiplies the cost of every loss evaluation and nothing real needs
 * more; 64 layers of width 4 (the default widths) are still checked in milliseconds.
 */
export const MAX_DEPTH = 64;
/**
 * The widest layer, input or output count: real sizes, MNIST's 784 inputs and hidden layers in the
 * hundreds, fit. A 1024 × 1024 layer holds 1,049,600 parameters (8.4 MB per float64 copy); a case of
 * that size takes seconds even with the fast strategy (costs: docs/cli.md). The defaults (4 and 3)
 * stay small: large cases are asked for, never drawn by surprise.
 */
export const MAX_WIDTH = 1024;

/**
 * The constraints of `architecture` validated and resolved to their values (defaults filled in);
 * throws a `GradcheckError` naming the field of the first invalid one.
 */
export function architectureBounds(constraints: ArchitectureConstraints = {}): ArchitectureBounds {
  const where = 'architecture';
  rejectUnknownFields(where, constraints, ARCHITECTURE_FIELDS);
  const c = constraints;
  const minDepth = integerField(where, 'minDepth', c.minDepth, 1, 1, MAX_DEPTH);
  const maxDepth = integerField(where, 'maxDepth', c.maxDepth, Math.max(4, minDepth), 1, MAX_DEPTH);
  orderedPair(where, 'minDepth', minDepth, 'maxDepth', maxDepth);
  const minWidth = integerField(where, 'minWidth', c.minWidth, 1, 1, MAX_WIDTH);
  const maxWidth = integerField(where, 'maxWidth', c.maxWidth, Math.max(4, minWidth), 1, MAX_WIDTH);
  orderedPair(where, 'minWidth', minWidth, 'maxWidth', maxWidth);
  const minInputs = integerField(where, 'minInputs', c.minInputs, 1, 1, MAX_WIDTH);
  const maxInputs = integerField(where, 'maxInputs', c.maxInputs, Math.max(4, minInputs), 1, MAX_WIDTH);
  orderedPair(where, 'minInputs', minInputs, 'maxInputs', maxInputs);
  const minOutputs = integerField(where, 'minOutputs', c.minOutputs, 1, 1, MAX_WIDTH);
  const maxOutputs = integerField(where, 'maxOutputs', c.maxOutputs, Math.max(3, minOutputs), 1, MAX_WIDTH);
  orderedPair(where, 'minOutputs', minOutputs, 'maxOutputs', maxOutputs);
  const hidden = choiceListField(where, 'activations', c.activations, DEFAULT_ACTIVATIONS, activationNames);
  const output = choiceListField(where, 'outputActivations', c.outputActivations, DEFAULT_ACTIVATIONS, activationNames);
  const bias = c.bias ?? 'mixed';
  if (bias !== true && bias !== false && bias !== 'mixed') {
    throw new GradcheckError(where, `constraints.bias is ${JSON.stringify(c.bias)}; expected true, false or 'mixed'`);
  }
  return { minDepth, maxDepth, minWidth, maxWidth, minInputs, maxInputs, minOutputs, maxOutputs, activations: hidden, outputActivations: output, bias };
}

/**
 * A fast-check arbitrary of architectures within `constraints` (every field optional, defaults above).
 *
 * @example
 * ```ts
 * fc.sample(architecture({ maxDepth: 2, activations: ['relu'] }), 3);
 * ```
 */
export function architecture(constraints: ArchitectureConstraints = {}): fc.Arbitrary<NetworkSpec> {
  const bounds = architectureBounds(constraints);
  const { minDepth, maxDepth, minWidth, maxWidth, minInputs, maxInputs, minOutputs, maxOutputs, activations: hidden, outputActivations: output, bias } = bounds;
  const biasArb = bias === 'mixed' ? fc.constantFrom(true, false) : fc.constant(bias);
  const layer = (min: number, max: number, names: readonly ActivationName[]): fc.Arbitrary<DenseLayerSpec> =>
    fc.record({ outputs: fc.integer({ min, max }), activation: fc.constantFrom(...names), bias: biasArb });
  const drawn = fc
    .record({
      hidden: fc.array(layer(minWidth, maxWidth, hidden), { minLength: minDepth - 1, maxLength: maxDepth - 1, size: 'max' }),
      output: layer(minOutputs, maxOutputs, output),
      inputs: fc.integer({ min: minInputs, max: maxInputs }),
    })
    .map(({ hidden: h, output: o, inputs }) => ({ inputs, layers: [...h, o] }));
  return new ArchitectureArbitrary(drawn, bounds);
}

/**
 * Draws as `drawn` does (the distribution is the plain one: independent uniform choices) and shrinks
 * by `smallerArchitectures`, which needs no context: any architecture within the bounds shrinks.
 */
class ArchitectureArbitrary extends fc.Arbitrary<NetworkSpec> {
  constructor(
    private readonly drawn: fc.Arbitrary<NetworkSpec>,
    private readonly bounds: ArchitectureBounds,
  ) {
    super();
  }

  generate(random: fc.Random, biasFactor: number | undefined): fc.Value<NetworkSpec> {
    return new fc.Value(this.drawn.generate(random, biasFactor).value, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is NetworkSpec {
    const spec = value as NetworkSpec;
    return typeof spec === 'object' && spec !== null && Array.isArray(spec.layers) && isWithinBounds(spec, this.bounds);
  }

  shrink(value: NetworkSpec): fc.Stream<fc.Value<NetworkSpec>> {
    return new fc.Stream(smallerArchitectures(value, this.bounds)).map((spec) => new fc.Value(spec, undefined));
  }
}
