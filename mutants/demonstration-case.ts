/**
 * A seeded case for a catalogue entry: the network, batch and reduction of its smallest case (or any
 * other spec), weights N(0, 1/fan_in) and biases N(0, 0.1²) from the engine's generator, inputs and
 * targets N(0, 1). `saturated` multiplies sigmoid layers' weights and biases by 10, so some |z| ≳ 7.
 */
import type { NetworkSpec } from '../src/engine/dense-layer.js';
import type { Reduction } from '../src/engine/loss.js';
import { Network } from '../src/engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../src/engine/random-parameters.js';
import type { NetworkCase } from '../src/check/objective/network-objective.js';
import { checkImplementationCase, idCounter, type ImplementationReport } from '../src/adapters/check-implementation.js';
import type { Implementation } from '../src/adapters/implementation.js';
import type { SmallestCase } from './catalogue/mutant.js';

export interface CaseShape {
  readonly network: NetworkSpec;
  readonly batch: number;
  readonly reduction: Reduction;
  readonly saturated?: boolean;
}

export const SATURATION = 10;

export function demonstrationCase(shape: CaseShape | SmallestCase, seed: number): NetworkCase {
  const network = new Network(shape.network);
  const random = seededRandom(`demonstration:${seed}`);
  const params = randomParameters(network, random);
  if (shape.saturated) {
    for (const layer of network.layers) {
      if (layer.activation.name !== 'sigmoid') continue;
      const end = layer.bias ? layer.biasOffset + layer.outputs : layer.weightOffset + layer.inputs * layer.outputs;
      for (let k = layer.weightOffset; k < end; k++) params[k] *= SATURATION;
    }
  }
  const inputs = randomMatrix(shape.batch, network.inputCount, random);
  const targets = randomMatrix(shape.batch, network.outputCount, random);
  return { network, params, inputs, targets, reduction: shape.reduction };
}

/**
 * Checks an implementation on a case the way a run would meet it: stateful mutants (`calls` > 1) are
 * first called on other cases of the same architecture, then checked on this one.
 */
export async function checkOnCase(impl: Implementation, shape: CaseShape & { readonly calls?: number; readonly shares?: SmallestCase['shares'] }, seed: number, nextId: () => number = idCounter()): Promise<{ nc: NetworkCase; report: ImplementationReport }> {
  const nc = demonstrationCase(shape, seed);
  for (let k = 1; k < (shape.calls ?? 1); k++) {
    const other = demonstrationCase(shape, seed + 1000 * k);
    // A cache keyed by part of a case is tripped only by an earlier case that shares that part.
    const earlier = shape.shares === 'inputs' ? { ...other, inputs: nc.inputs, targets: nc.targets } : shape.shares === 'weights' ? { ...other, params: nc.params } : other;
    await checkImplementationCase(impl, earlier, { seed, nextId });
  }
  return { nc, report: await checkImplementationCase(impl, nc, { seed, nextId }) };
}
