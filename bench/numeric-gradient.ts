/**
 * The numeric gradient a full `checkNetwork` compares against, entry by entry: the screen's value where
 * the screen settled the entry, the entry-by-entry Richardson estimate elsewhere (the same code paths,
 * options and objective as the check). For the benchmark's "numeric error" column.
 */
import { SCREEN_AUTO_ENTRIES, type NetworkCheckOptions } from '../src/check/strategies/check-network.js';
import { CoordinateLine } from '../src/check/strategies/coordinate-line.js';
import { resolveCheckOptions } from '../src/check/strategies/check-options.js';
import { incrementalNetworkObjective } from '../src/check/objective/incremental-network-objective.js';
import type { NetworkCase } from '../src/check/objective/network-objective.js';
import { EstimateWorkspace, estimateInto } from '../src/check/numerics/estimator.js';
import { screenNetwork } from '../src/check/strategies/screen-network.js';

export function numericGradient(c: NetworkCase, claimed: Float64Array, options: NetworkCheckOptions = {}): Float64Array {
  const settings = resolveCheckOptions(options);
  const objective = incrementalNetworkObjective(c, true);
  const screen = options.screen ?? 'auto';
  const first = screen === true || (screen === 'auto' && claimed.length >= SCREEN_AUTO_ENTRIES) ? screenNetwork(c, true, claimed, settings) : undefined;
  const line = new CoordinateLine(objective);
  const w = new EstimateWorkspace();
  const f0 = objective.value();
  const numeric = new Float64Array(objective.point.length);
  for (const tensor of objective.tensors) {
    line.tensor = tensor;
    for (let index = tensor.offset; index < tensor.offset + tensor.rows * tensor.cols; index++) {
      if (first !== undefined && first.accepted[index] === 1) {
        numeric[index] = first.value[index];
        continue;
      }
      line.index = index;
      estimateInto(w, line, f0, objective.point[index], settings.estimator);
      numeric[index] = w.value;
    }
  }
  return numeric;
}
