/**
 * Seeded random cotangents and tangents: N(0, 1) entries, so that a wrong row or column of the Jacobian
 * moves the checked product with probability 1 (a nonzero vector is orthogonal to a Gaussian one with
 * probability 0), reproducible from the seed printed in the report.
 */
import { gaussian, seededRandom } from '../../engine/random-parameters.js';
import type { Tensor } from './tensor.js';
import type { TensorSlot } from './differentiable-function.js';

/** One N(0, 1) tensor per slot, drawn from `seed` and `purpose` (`cotangent`, `tangent`). */
export function drawTensors(slots: readonly TensorSlot[], seed: number, purpose: string): Record<string, Tensor> {
  const random = seededRandom(`${seed}:${purpose}`);
  const out: Record<string, Tensor> = {};
  for (const s of slots) {
    const data = new Float64Array(s.size);
    for (let k = 0; k < data.length; k++) data[k] = gaussian(random);
    out[s.name] = { shape: s.shape, data };
  }
  return out;
}
