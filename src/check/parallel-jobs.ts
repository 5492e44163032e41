/**
 * The work a thread of `checkNetworkParallel` does: rebuild the network case and compute the
 * entry-by-entry numeric derivatives of the entries it is given, as a DerivativeTable.
 */
import { Network } from '../engine/network.js';
import type { NetworkSpec } from '../engine/dense-layer.js';
import type { Reduction } from '../engine/loss.js';
import { CoordinateLine } from './coordinate-line.js';
import { DerivativeTable } from './derivative-table.js';
import { incrementalNetworkObjective } from './incremental-network-objective.js';
import { networkObjective } from './network-objective.js';
import { DerivativeWorkspace, numericDerivativeInto } from './numeric-derivative.js';
import type { Tolerances } from './tolerance.js';

/** One batch of entries to differentiate: everything is plain data, so it crosses threads. */
export interface WorkerJob {
  readonly spec: NetworkSpec;
  readonly params: Float64Array;
  readonly inputs: { rows: number; cols: number; data: Float64Array };
  readonly targets: { rows: number; cols: number; data: Float64Array };
  readonly reduction: Reduction;
  readonly includeInputs: boolean;
  readonly objective: 'incremental' | 'plain';
  readonly levels: number;
  readonly tolerances: Tolerances;
  readonly indices: Int32Array;
}

export function differentiate(job: WorkerJob): DerivativeTable {
  const network = new Network(job.spec);
  const c = { network, params: job.params, inputs: job.inputs, targets: job.targets, reduction: job.reduction };
  const objective = job.objective === 'plain' ? networkObjective(c, job.includeInputs) : incrementalNetworkObjective(c, job.includeInputs);
  const table = new DerivativeTable(objective.point.length);
  const line = new CoordinateLine(objective);
  const w = new DerivativeWorkspace();
  const f0 = objective.value();
  let tensor = 0;
  for (const index of job.indices) {
    while (index >= objective.tensors[tensor].offset + objective.tensors[tensor].rows * objective.tensors[tensor].cols) tensor++;
    line.tensor = objective.tensors[tensor];
    line.index = index;
    numericDerivativeInto(w, line, f0, objective.point[index], job.levels, job.tolerances);
    table.record(index, w);
  }
  return table;
}
