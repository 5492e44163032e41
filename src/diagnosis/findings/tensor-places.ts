/**
 * A tensor named so the name carries over to a probe of another depth: the kind (W, b, x) and the
 * layer counted from the output or from the input. On the counterexample both countings name the same
 * tensor; the depth probe (a layer added at the input side) tells them apart.
 */
import type { ParameterTensor } from '../../engine/layout.js';

/** `{ kind: 'W', from: 'output', k: 1 }`: the output layer's weights; x has no layer. */
export interface TensorPlace {
  readonly kind: 'W' | 'b' | 'x';
  readonly from: 'output' | 'input';
  /** 1-based. */
  readonly k: number;
}

/** The places that name tensor `t` in a network of `depth` layers (both countings, x alone). */
export function placesOf(t: ParameterTensor, depth: number): TensorPlace[] {
  if (t.kind === 'x') return [{ kind: 'x', from: 'input', k: 0 }];
  const kind = t.kind as 'W' | 'b';
  const fromOutput: TensorPlace = { kind, from: 'output', k: depth - t.layer + 1 };
  const fromInput: TensorPlace = { kind, from: 'input', k: t.layer };
  return depth === 1 || fromOutput.k === 1 ? [fromOutput, fromInput] : [fromInput, fromOutput];
}

/** The tensor at `place` among `tensors` (a network of `depth` layers), if there is one. */
export function tensorAt(place: TensorPlace, tensors: readonly ParameterTensor[], depth: number): ParameterTensor | undefined {
  if (place.kind === 'x') return tensors.find((t) => t.kind === 'x');
  const layer = place.from === 'input' ? place.k : depth - place.k + 1;
  return tensors.find((t) => t.kind === place.kind && t.layer === layer);
}

/** `W of the output layer`, `b of layer 2 counting from the output`, `W of the first layer`, `dL/dx`. */
export function describePlace(p: TensorPlace): string {
  if (p.kind === 'x') return 'dL/dx';
  const layer = p.from === 'output' ? (p.k === 1 ? 'the output layer' : `layer ${p.k} counting from the output`) : p.k === 1 ? 'the first layer' : `layer ${p.k} counting from the input`;
  return `${p.kind} of ${layer}`;
}

function samePlace(a: TensorPlace, b: TensorPlace): boolean {
  return a.kind === b.kind && a.from === b.from && a.k === b.k;
}
