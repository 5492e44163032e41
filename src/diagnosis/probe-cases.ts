/**
 * Probe cases: the same kind of network at fresh seeded points, with a larger batch and one more
 * output, so causes that coincide on the failing case (a ratio 2 that is also N·K = 2, a scale that
 * is also 1/σ'(z) of a single unit) predict different answers.
 */
import type { NetworkSpec } from '../engine/dense-layer.js';
import { Network } from '../engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../engine/random-parameters.js';
import type { NetworkCase } from '../check/objective/network-objective.js';

export function probeCases(nc: NetworkCase, seed: number): NetworkCase[] {
  const spec = nc.network.spec;
  const n = nc.inputs.rows;
  const wider: NetworkSpec = { ...spec, layers: spec.layers.map((l, i) => (i === spec.layers.length - 1 ? { ...l, outputs: l.outputs + 1 } : l)) };
  return [probe(spec, n + 1, nc, `${seed}:probe:1`), probe(wider, n + 2, nc, `${seed}:probe:2`)];
}

function probe(spec: NetworkSpec, batch: number, nc: NetworkCase, stream: string): NetworkCase {
  const network = new Network(spec);
  const random = seededRandom(stream);
  return {
    network,
    params: randomParameters(network, random),
    inputs: randomMatrix(batch, network.inputCount, random),
    targets: randomMatrix(batch, network.outputCount, random),
    reduction: nc.reduction,
  };
}
