/**
 * Probe cases: the counterexample's network changed in one dimension at a time, at fresh seeded
 * values, so that hypotheses which coincide on the counterexample predict different answers. Every
 * dimension a hypothesis can depend on is varied: the batch size, the widths (no square layer left
 * square where it can be helped), the reduction (with several outputs and samples, so N, K and N·K
 * differ), each layer's activation (every layer gets each other activation once), the depth (a
 * sigmoid layer added at the input side, so places counted from the output keep their meaning), the
 * biases (all switched), and the values alone.
 */
import type { NetworkSpec } from '../engine/dense-layer.js';
import type { ActivationName } from '../engine/activation.js';
import { reductions, type Reduction } from '../engine/loss.js';
import { Network } from '../engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../engine/random-parameters.js';
import type { NetworkCase } from '../check/objective/network-objective.js';

/** The dimensions a probe varies, in words for the diagnosis. */
export type ProbeDimension = 'batch' | 'widths' | 'reduction' | 'activations' | 'depth' | 'bias' | 'values';

/** One probe case and the dimension it varies from the counterexample. */
export interface Probe {
  readonly varies: ProbeDimension;
  readonly nc: NetworkCase;
  /** The same variation at the counterexample's widths, for an implementation that fails on other widths. */
  readonly fallback?: NetworkCase;
}

/** Rotations of the activations: each layer gets each other activation in one of the two probes. */
const NEXT: Readonly<Record<ActivationName, ActivationName>> = { sigmoid: 'relu', relu: 'identity', identity: 'sigmoid' };
const PREVIOUS: Readonly<Record<ActivationName, ActivationName>> = { sigmoid: 'identity', relu: 'sigmoid', identity: 'relu' };

/** The probe cases for a counterexample, seeded by its replay seed (the same probes every time). */
export function probeCases(nc: NetworkCase, seed: number): Probe[] {
  const spec = nc.network.spec;
  const n = nc.inputs.rows;
  const depth = spec.layers.length;
  const out: Probe[] = [];
  const add = (varies: ProbeDimension, s: NetworkSpec, batch: number, reduction: Reduction = nc.reduction, fallback?: NetworkSpec) => {
    const stream = `${seed}:probe:${out.length + 1}`;
    out.push({ varies, nc: probe(s, batch, reduction, stream), fallback: fallback && probe(fallback, batch, reduction, `${stream}:fallback`) });
  };

  add('batch', spec, n + 2);
  // Layer l's outputs grow by l + 1 and the inputs by 1: a square layer k × k becomes (k + l) × (k + l + 1).
  // The fallback keeps the output width, for an implementation with a fixed number of outputs.
  const widths = (output: boolean): NetworkSpec => ({ ...spec, inputs: spec.inputs + 1, layers: spec.layers.map((l, i) => ({ ...l, outputs: i < depth - 1 || output ? l.outputs + i + 2 : l.outputs })) });
  add('widths', widths(true), n, nc.reduction, widths(false));
  const wider: NetworkSpec = { ...spec, layers: spec.layers.map((l, i) => (i === depth - 1 ? { ...l, outputs: l.outputs + 1 } : l)) };
  for (const r of reductions) if (r !== nc.reduction) add('reduction', wider, n + 1, r, spec);
  add('activations', { ...spec, layers: spec.layers.map((l) => ({ ...l, activation: NEXT[l.activation] })) }, n);
  add('activations', { ...spec, layers: spec.layers.map((l) => ({ ...l, activation: PREVIOUS[l.activation] })) }, n);
  add('depth', { ...spec, layers: [{ outputs: spec.inputs + 1, activation: 'sigmoid', bias: true }, ...spec.layers] }, n);
  add('bias', { ...spec, layers: spec.layers.map((l) => ({ ...l, bias: l.bias === false })) }, n);
  add('values', spec, n);
  return out;
}

function probe(spec: NetworkSpec, batch: number, reduction: Reduction, stream: string): NetworkCase {
  const network = new Network(spec);
  const random = seededRandom(stream);
  return {
    network,
    params: randomParameters(network, random),
    inputs: randomMatrix(batch, network.inputCount, random),
    targets: randomMatrix(batch, network.outputCount, random),
    reduction,
  };
}
