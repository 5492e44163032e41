/**
 * The true gradient split into the batch's samples: g_s, the reference engine's backward pass on
 * sample s alone, scaled so that Σ_s g_s is the batch's gradient. The loss is a sum over samples
 * (engine/loss.ts): under `sum` and `half-sum` each sample's loss is its own term; under `mean` the
 * batch divides by N·K where one sample alone divides by K, so g_s carries a further 1/N. dL/dx of
 * sample s lives in row s only.
 */
import { createMatrix } from '../../engine/matrix.js';
import type { NetworkCase } from '../../check/objective/network-objective.js';

const cache = new WeakMap<NetworkCase, Float64Array[]>();

/** g_s for every sample s, in the diagnosis case's layout (dL/dθ, then dL/dx when `withInputs`). */
export function perSampleGradients(nc: NetworkCase, withInputs: boolean): Float64Array[] {
  const cached = cache.get(nc);
  if (cached && (cached[0]?.length ?? 0) === nc.network.parameterCount + (withInputs ? nc.inputs.data.length : 0)) return cached;
  const n = nc.inputs.rows;
  const d = nc.inputs.cols;
  const k = nc.targets.cols;
  const scale = nc.reduction === 'mean' ? 1 / n : 1;
  const p = nc.network.parameterCount;
  const out: Float64Array[] = [];
  for (let s = 0; s < n; s++) {
    const x = createMatrix(1, d, nc.inputs.data.slice(s * d, (s + 1) * d));
    const y = createMatrix(1, k, nc.targets.data.slice(s * k, (s + 1) * k));
    const g = nc.network.gradients(nc.params, x, y, nc.reduction);
    const v = new Float64Array(p + (withInputs ? n * d : 0));
    for (let q = 0; q < p; q++) v[q] = scale * g.parameters[q];
    if (withInputs) for (let j = 0; j < d; j++) v[p + s * d + j] = scale * g.inputs[j];
    out.push(v);
  }
  cache.set(nc, out);
  return out;
}
