/**
 * Checks gradients of a reference-engine network: by default the engine's own analytic gradients,
 * or any claimed dL/dθ (and dL/dx) for the same network, loss and data.
 */
import { describeNetwork } from '../engine/dense-layer.js';
import { GradcheckError } from '../errors.js';
import { checkGradients } from './check-gradients.js';
import { describeShapes } from './validate-problem.js';
import type { CheckOptions } from './check-options.js';
import { networkObjective, type NetworkCase } from './network-objective.js';
import type { GradientReport } from './report.js';

export interface NetworkCheckOptions extends CheckOptions {
  /** Claimed gradients to check instead of the engine's own. `inputs` may be omitted to skip dL/dx. */
  readonly claimed?: { readonly parameters: Float64Array; readonly inputs?: Float64Array };
  /** Also check dL/dx. Default: true unless `claimed` omits inputs. */
  readonly includeInputs?: boolean;
}

export function describeCase(c: Pick<NetworkCase, 'network' | 'inputs' | 'reduction'>): string {
  return `${describeNetwork(c.network.spec)}, batch ${c.inputs.rows}, MSE ${c.reduction}`;
}

export function checkNetwork(c: NetworkCase, options: NetworkCheckOptions = {}): GradientReport {
  c.network.validate('checkNetwork', c.params, c.inputs, c.targets);
  const includeInputs = options.includeInputs ?? (options.claimed ? options.claimed.inputs !== undefined : true);
  const objective = networkObjective(c, includeInputs);
  let parameters: Float64Array;
  let inputs: Float64Array | undefined;
  if (options.claimed) {
    ({ parameters, inputs } = options.claimed);
  } else {
    const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
    parameters = g.parameters;
    inputs = g.inputs;
  }
  const p = c.network.parameterCount;
  if (parameters.length !== p) {
    throw new GradcheckError('checkNetwork', `claimed.parameters has ${parameters.length} entries; expected ${p} (${describeShapes(c.network.tensors)})`);
  }
  const claimed = new Float64Array(objective.point.length);
  claimed.set(parameters);
  if (includeInputs) {
    if (!inputs || inputs.length !== c.inputs.data.length) {
      throw new GradcheckError('checkNetwork', `claimed.inputs has ${inputs?.length ?? 0} entries; expected ${c.inputs.data.length} (x ${c.inputs.rows}×${c.inputs.cols})`);
    }
    claimed.set(inputs, p);
  }
  return checkGradients({ objective, claimed, tensors: objective.tensors }, { label: describeCase(c), ...options }, 'checkNetwork');
}
