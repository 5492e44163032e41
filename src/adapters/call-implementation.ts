/**
 * Calls an implementation for many cases at once, using its batched forms when it has them, and
 * turns every failure into an error naming the implementation, the case and its seed.
 */
import { GradcheckError } from '../errors.js';
import type { GradientCase, GradientResult, Implementation } from './implementation.js';

export function caseLabel(impl: Implementation, c: GradientCase): string {
  return `${impl.name}: case ${c.id} (seed ${c.seed})`;
}

export async function gradientsOf(impl: Implementation, cases: readonly GradientCase[]): Promise<GradientResult[]> {
  const results = impl.gradientsMany ? await impl.gradientsMany(cases) : await sequential(cases, (c) => impl.gradients(c));
  return results.map((r, k) => unwrap(impl, cases[k], r, 'gradients'));
}

export async function lossesOf(impl: Implementation, cases: readonly GradientCase[]): Promise<number[]> {
  const loss = impl.loss?.bind(impl);
  if (!impl.lossMany && !loss) {
    throw new GradcheckError(impl.name, "mode 'self' needs the implementation's own loss; expected a loss(case) function (or a worker with the 'loss' capability)");
  }
  const results = impl.lossMany ? await impl.lossMany(cases) : await sequential(cases, (c) => loss!(c));
  return results.map((r, k) => {
    const v = unwrap(impl, cases[k], r, 'loss');
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new GradcheckError(caseLabel(impl, cases[k]), `loss is ${String(v)}; expected a finite number`);
    }
    return v;
  });
}

async function sequential<T>(cases: readonly GradientCase[], call: (c: GradientCase) => T | Promise<T>): Promise<(T | Error)[]> {
  const out: (T | Error)[] = [];
  for (const c of cases) {
    try {
      out.push(await call(c));
    } catch (error) {
      out.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return out;
}

function unwrap<T>(impl: Implementation, c: GradientCase, r: T | Error, what: string): T {
  if (r instanceof GradcheckError) throw r;
  if (r instanceof Error) throw new GradcheckError(caseLabel(impl, c), `${what} failed: ${r.message}`);
  return r;
}
