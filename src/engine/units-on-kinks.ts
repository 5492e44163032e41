/**
 * Which ReLU units sit on their kink at θ. A unit is on its kink when z = 0 in the engine's float64
 * forward pass, or when |z| is within z's own rounding bound u·e_z (forwardErrorBounds,
 * engine/gradient-envelope.ts, worst case; Higham (3.5)): then a correct forward pass in another
 * summation order may put z on either side, so no piece is that unit's own, and each of its slopes in
 * [0, 1] is a valid convention (engine/kink-conventions.ts). One definition, read by the conventions,
 * the claimed side's kink ambiguity and the objectives' kink probes.
 */
import type { Network } from './network.js';

/** |z| within its rounding bound u·e_z of the kink (z = 0 included). */
export function withinKinkRounding(z: number, zError: number, u: number): boolean {
  return Math.abs(z) <= u * zError;
}

/** Per layer, 1 for each unit on its kink (module comment); null for smooth layers. `zErrors` in units of u, as forwardErrorBounds gives them. */
export function unitsOnKinks(network: Network, preActivations: readonly Float64Array[], zErrors: readonly Float64Array[], u: number): (Uint8Array | null)[] {
  return network.layers.map((layer, l) => {
    if (!layer.activation.piecewise) return null;
    const z = preActivations[l];
    const e = zErrors[l];
    const on = new Uint8Array(z.length);
    for (let k = 0; k < z.length; k++) if (withinKinkRounding(z[k], e[k], u)) on[k] = 1;
    return on;
  });
}

/** The float64 unit roundoff 2^−53 (numerics/precision.ts, `unitRoundoff`): the engine's own arithmetic. */
export const ENGINE_UNIT_ROUNDOFF = 2 ** -53;
