/**
 * The numeric gradient a full `checkNetwork` compares against, entry by entry: the screen's value where
 * the screen settled the entry, the entry-by-entry estimate elsewhere, with the same problem the check
 * builds (`prepareNetworkCheck`: objective, screen, claimed rounding, loss rounding per layer). For the
 * benchmark's "numeric error" column.
 */
import { prepareNetworkCheck, type NetworkCheckOptions } from '../src/check/strategies/check-network.js';
import { CoordinateLine } from '../src/check/strategies/coordinate-line.js';
import { resolveCheckOptions } from '../src/check/strategies/check-options.js';
import type { NetworkCase } from '../src/check/objective/network-objective.js';
import { EstimateWorkspace, estimateInto } from '../src/check/numerics/estimator.js';

export function numericGradient(c: NetworkCase, claimed: Float64Array, options: NetworkCheckOptions = {}): Float64Array {
  const prepared = prepareNetworkCheck(c, { ...options, claimed: { parameters: claimed.subarray(0, c.network.parameterCount), inputs: claimed.subarray(c.network.parameterCount) } });
  const { objective, screen, lossRoundingByLayer, lossRounding } = prepared.problem;
  const settings = resolveCheckOptions(options);
  const line = new CoordinateLine(objective);
  const w = new EstimateWorkspace();
  const f0 = objective.value();
  const numeric = new Float64Array(objective.point.length);
  for (const tensor of prepared.problem.tensors) {
    line.tensor = tensor;
    const estimator = { ...settings.estimator, lossRounding: lossRoundingByLayer?.[tensor.layer] ?? lossRounding };
    for (let index = tensor.offset; index < tensor.offset + tensor.rows * tensor.cols; index++) {
      if (screen !== undefined && screen.accepted[index] === 1) {
        numeric[index] = screen.value[index];
        continue;
      }
      line.index = index;
      estimateInto(w, line, f0, objective.point[index], estimator);
      numeric[index] = w.value;
    }
  }
  return numeric;
}
