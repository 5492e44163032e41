/**
 * The reference engine as an `Objective`: θ is the flat parameter vector followed (optionally) by the
 * input batch x, and every evaluation reports how many ReLU pre-activations changed sign relative to θ,
 * which is how the checker sees kinks.
 */
import type { Matrix } from '../../engine/matrix.js';
import type { Network } from '../../engine/network.js';
import { mseLoss, type Reduction } from '../../engine/loss.js';
import { forwardErrorBounds } from '../../engine/gradient-envelope.js';
import { ENGINE_UNIT_ROUNDOFF, unitsOnKinks } from '../../engine/units-on-kinks.js';
import type { ParameterTensor } from '../../engine/layout.js';
import type { Objective } from './objective.js';
import { coordinateGains } from './coordinate-gains.js';

/** A network at a point: what a gradient check of the reference engine needs. */
export interface NetworkCase {
  readonly network: Network;
  readonly params: Float64Array;
  readonly inputs: Matrix;
  readonly targets: Matrix;
  readonly reduction: Reduction;
}

export interface NetworkObjective extends Objective {
  /** The parameter tensors, then `x` when inputs are included. */
  readonly tensors: readonly ParameterTensor[];
}

export function networkObjective(c: NetworkCase, includeInputs = true): NetworkObjective {
  const { network, targets, reduction } = c;
  const p = network.parameterCount;
  const n = c.inputs.rows;
  const size = p + (includeInputs ? c.inputs.data.length : 0);
  const point = new Float64Array(size);
  point.set(c.params);
  if (includeInputs) point.set(c.inputs.data, p);
  const work = Float64Array.from(point);
  const params = work.subarray(0, p);
  const inputs = includeInputs ? work.subarray(p) : c.inputs.data;
  const trace = network.createTrace(n);
  const piecewise = network.layers.map((l) => l.activation.piecewise);

  let frozen: readonly (Float64Array | null)[] | undefined;
  const forwardLoss = (): number => {
    network.forwardInto(params, inputs, trace, frozen);
    return mseLoss(network.prediction(trace), targets.data, reduction);
  };
  const baseLoss = forwardLoss();
  const gains = coordinateGains(network, c.params, trace.activations, n, includeInputs);
  const baseRegions = network.layers.map((l, i) =>
    piecewise[i] ? Float64Array.from(trace.preActivations[i], (z) => l.activation.region(z)) : null,
  );
  const onKink = piecewise.some(Boolean) ? unitsOnKinks(network, trace.preActivations, forwardErrorBounds(network, c.params, c.inputs).z, ENGINE_UNIT_ROUNDOFF) : piecewise.map(() => null);
  let crossings = 0;
  let departures = 0;
  const countCrossings = (): void => {
    crossings = 0;
    departures = 0;
    network.layers.forEach((l, i) => {
      const base = baseRegions[i];
      if (!base) return;
      const z = trace.preActivations[i];
      for (let k = 0; k < z.length; k++) {
        if (l.activation.region(z[k]) === base[k] || (frozen !== undefined && base[k] !== 0)) continue;
        crossings++;
        if (onKink[i]![k] === 0) departures++;
      }
    });
  };

  const tensors: ParameterTensor[] = [...network.tensors];
  if (includeInputs) tensors.push({ name: 'x', layer: 0, kind: 'x', rows: n, cols: network.inputCount, offset: p });

  return {
    point,
    tensors,
    value: () => baseLoss,
    shifted(index, t) {
      work[index] = point[index] + t;
      const loss = forwardLoss();
      countCrossings();
      work[index] = point[index];
      return loss;
    },
    along(direction, t) {
      for (let i = 0; i < size; i++) work[i] = point[i] + t * direction[i];
      const loss = forwardLoss();
      countCrossings();
      work.set(point);
      return loss;
    },
    kinkCrossings: () => crossings,
    kinkDepartures: () => departures,
    kinkAtPoint: onKink.some((r) => r !== null && r.includes(1)),
    get frozenPieces() {
      return frozen !== undefined;
    },
    set frozenPieces(on: boolean) {
      frozen = on ? baseRegions : undefined;
    },
    gains,
  };
}
