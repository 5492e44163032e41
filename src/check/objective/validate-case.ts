/**
 * A network case as the APIs receive it from JavaScript, where types do not hold: every field of the
 * wrong kind (a plain array for a Matrix, a spec for a Network, an unknown reduction) is named with
 * what to pass instead, before any arithmetic turns it into NaN or a TypeError.
 */
import { GradcheckError } from '../../errors.js';
import { Network } from '../../engine/network.js';
import { reductions } from '../../engine/loss.js';
import type { NetworkCase } from './network-objective.js';

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a plain array';
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return JSON.stringify(value) ?? String(value);
}

function isMatrix(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const m = value as { rows?: unknown; cols?: unknown; data?: unknown };
  return Number.isInteger(m.rows) && Number.isInteger(m.cols) && m.data instanceof Float64Array;
}

/** Throws a GradcheckError naming `where` and the field when `c` is not a well-formed network case. */
export function validateNetworkCase(c: NetworkCase, where: string): void {
  if (c === null || typeof c !== 'object') {
    throw new GradcheckError(where, `the case is ${describe(c)}; expected { network, params, inputs, targets, reduction }`);
  }
  if (!(c.network instanceof Network)) {
    throw new GradcheckError(where, `network is ${describe(c.network)}; expected a Network (new Network({ inputs, layers }))`);
  }
  if (!(c.params instanceof Float64Array)) {
    throw new GradcheckError(where, `params is ${describe(c.params)}; expected a Float64Array of ${c.network.parameterCount} entries (Float64Array.from(values))`);
  }
  for (const field of ['inputs', 'targets'] as const) {
    if (!isMatrix(c[field])) {
      throw new GradcheckError(where, `${field} is ${describe(c[field])}; expected a Matrix { rows, cols, data: Float64Array } (matrixFromRows(rows))`);
    }
  }
  if (!reductions.includes(c.reduction)) {
    throw new GradcheckError(where, `reduction is ${describe(c.reduction)}; expected one of ${reductions.map((r) => JSON.stringify(r)).join(', ')}`);
  }
}
