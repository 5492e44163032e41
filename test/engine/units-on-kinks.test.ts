/**
 * A ReLU unit is on its kink when z = 0 or |z| ≤ u·e_z (engine/units-on-kinks.ts). Expected bounds by
 * hand from forwardErrorBounds' formula (gradient-envelope.ts): for [1 → relu 1] at x = 1, w = 1,
 * e_z = e_x·|w| + (fan-in + 2)·(|x|·|w| + |b|) = 1 + 3·(1 + |b|), with e_x = |x| (inputs count as
 * rounded once); b ≈ −1 gives e_z ≈ 7, so u·e_z ≈ 7·2^−53 ≈ 7.8e-16.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { forwardErrorBounds } from '../../src/engine/gradient-envelope.js';
import { ENGINE_UNIT_ROUNDOFF, unitsOnKinks } from '../../src/engine/units-on-kinks.js';

const network = new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
const inputs = matrixFromRows([[1]]);

function onKink(b: number): { z: number; bound: number; on: number } {
  const params = Float64Array.from([1, b, 1, 0]);
  const { z, trace } = forwardErrorBounds(network, params, inputs);
  const units = unitsOnKinks(network, trace.preActivations, z, ENGINE_UNIT_ROUNDOFF);
  expect(units[1]).toBeNull();
  return { z: trace.preActivations[0][0], bound: ENGINE_UNIT_ROUNDOFF * z[0][0], on: units[0]![0] };
}

describe('units on their kinks', () => {
  it('the rounding bound is the one derived by hand', () => {
    const b = -1 + 2 ** -40;
    const { bound } = onKink(b);
    expect(bound / ((1 + 3 * (1 + Math.abs(b))) * 2 ** -53)).toBeCloseTo(1, 14);
  });

  it.each([
    ['z = 0 exactly', -1, 1],
    ['z = 2^−52, within its rounding (7.8e-16)', -1 + 2 ** -52, 1],
    ['z = 2^−50 = 8.9e-16, just beyond it', -1 + 2 ** -50, 0],
    ['z = 2^−40, far beyond it', -1 + 2 ** -40, 0],
    ['z = −2^−52 on the other side', -1 - 2 ** -52, 1],
  ])('%s', (_, b, expected) => {
    expect(onKink(b).on).toBe(expected);
  });
});
