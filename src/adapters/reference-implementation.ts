/**
 * The reference engine wrapped as an `Implementation`, in any declared conventions: a correct
 * implementation to test the property runner and the adapters against, and a template for planted
 * bugs (wrap it and change one number).
 */
import { createMatrix, matrixFromRows, matrixToRows } from '../engine/matrix.js';
import { Network } from '../engine/network.js';
import { resolveConventions, returnedScale, type Conventions } from './conventions.js';
import { claimedFromResult, layersFromFlat } from './gradient-case.js';
import type { GradientCase, GradientResult, Implementation } from './implementation.js';

/** Options of `referenceImplementation`. */
export interface ReferenceImplementationOptions {
  /** Shown in reports. @default 'reference engine' */
  readonly name?: string;
  /** The conventions to answer in. @default DEFAULT_CONVENTIONS (in-out, gradient, batch) */
  readonly conventions?: Partial<Conventions>;
  /** Return dL/dx too. @default true */
  readonly inputs?: boolean;
  /** Return the loss value too. @default true */
  readonly loss?: boolean;
}

/**
 * The reference engine as an `Implementation`, in any conventions: a correct twin to compare with, or
 * to test a harness.
 *
 * @example
 * ```ts
 * await expect(referenceImplementation({ conventions: { weightLayout: 'out-in' } })).toHaveCorrectGradients();
 * ```
 */
export function referenceImplementation(options: ReferenceImplementationOptions = {}): Implementation {
  const name = options.name ?? 'reference engine';
  const conventions = resolveConventions(options.conventions, `${name}: conventions`);
  const scale = returnedScale(conventions);
  const asGradient: Conventions = { ...conventions, returns: 'gradient', learningRate: undefined };
  const evaluate = (c: GradientCase) => {
    const network = new Network(c.network);
    // The parameters arrive in the declared layout; reading them like a returned gradient maps them back.
    const { parameters } = claimedFromResult({ parameters: c.parameters }, network, asGradient, c.inputs.length, `${name}: case ${c.id}`);
    const inputs = matrixFromRows(c.inputs, `${name}: case ${c.id} inputs`);
    const targets = matrixFromRows(c.targets, `${name}: case ${c.id} targets`);
    return { network, parameters, inputs, targets };
  };
  return {
    name,
    conventions,
    gradients(c: GradientCase): GradientResult {
      const { network, parameters, inputs, targets } = evaluate(c);
      const g = network.gradients(parameters, inputs, targets, c.reduction);
      const result: { parameters: GradientResult['parameters']; inputs?: number[][]; loss?: number } = {
        parameters: layersFromFlat(network, g.parameters.map((v) => scale * v), conventions.weightLayout),
      };
      if (options.inputs ?? true) result.inputs = matrixToRows(createMatrix(inputs.rows, inputs.cols, g.inputs.map((v) => scale * v)));
      if (options.loss ?? true) result.loss = g.loss;
      return result;
    },
    loss(c: GradientCase): number {
      const { network, parameters, inputs, targets } = evaluate(c);
      return network.loss(parameters, inputs, targets, c.reduction);
    },
  };
}
