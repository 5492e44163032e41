/**
 * Seeded network cases for the worker tests: reproducible from the seed, parameters Glorot-scaled so
 * sigmoids are unsaturated.
 */
import { Network, randomParameters } from '../../src/index.js';
import { randomMatrix, seededRandom } from '../../src/engine/random-parameters.js';
import { toGradientCase } from '../../src/adapters/gradient-case.js';
import { resolveConventions } from '../../src/adapters/conventions.js';
import type { DenseLayerSpec, GradientCase, NetworkCase, Reduction } from '../../src/index.js';
import { PYTHON } from './processes.js';

export { PYTHON, ROOT, isRunning, runningWith } from './processes.js';
export const faultWorker = (mode: string): string[] => [PYTHON, 'test/workers/fault_worker.py', mode];
export const exampleWorker = (script: string): string[] => [PYTHON, `examples/python/${script}`];

export function networkCase(seed: number, inputs: number, layers: DenseLayerSpec[], batch: number, reduction: Reduction): NetworkCase {
  const network = new Network({ inputs, layers });
  const random = seededRandom(seed);
  return {
    network,
    params: randomParameters(network, random),
    inputs: randomMatrix(batch, inputs, random),
    targets: randomMatrix(batch, network.outputCount, random),
    reduction,
  };
}

/** [3 → sigmoid 2 → identity 1], batch 2: small, non-square, every tensor present. */
export function smallCase(seed = 1): NetworkCase {
  return networkCase(seed, 3, [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }], 2, 'mean');
}

/** Gradient cases of `smallCase`, with the given seeds and ids 1, 2, … */
export function gradientCases(seeds: readonly number[]): GradientCase[] {
  return seeds.map((seed, k) => toGradientCase(smallCase(), resolveConventions(), k + 1, seed));
}

