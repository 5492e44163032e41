/**
 * Seeded parameters and data for examples, benchmarks and tests: reproducible from one integer.
 */
import { arc4Random } from './arc4-random.js';
import type { Network } from './network.js';
import { createMatrix, type Matrix } from './matrix.js';

/** A source of uniform draws in [0, 1), such as `Math.random` or a seeded generator. */
export type Random = () => number;

/** seedrandom's ARC4 stream for `seed` (arc4-random.ts): the same draws as `seedrandom(String(seed))`. */
export function seededRandom(seed: number | string): Random {
  return arc4Random(String(seed));
}

/** A standard normal draw (Box–Muller on two uniforms in (0, 1]). */
export function gaussian(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Weights ~ N(0, scale²/fan_in) (Glorot-like, so sigmoids start unsaturated); biases ~ N(0, 0.1²). */
export function randomParameters(network: Network, random: Random, scale = 1): Float64Array {
  const params = new Float64Array(network.parameterCount);
  for (const layer of network.layers) {
    const std = scale / Math.sqrt(layer.inputs);
    for (let k = 0; k < layer.inputs * layer.outputs; k++) params[layer.weightOffset + k] = std * gaussian(random);
    if (layer.bias) for (let j = 0; j < layer.outputs; j++) params[layer.biasOffset + j] = 0.1 * gaussian(random);
  }
  return params;
}

/** A rows × cols matrix of N(0, 1) entries. */
export function randomMatrix(rows: number, cols: number, random: Random): Matrix {
  const m = createMatrix(rows, cols);
  for (let k = 0; k < m.data.length; k++) m.data[k] = gaussian(random);
  return m;
}
