/**
 * Conventions an implementation declares, which gradcheck maps instead of forcing one layout.
 */
import { GradcheckError } from '../errors.js';
import type { Reduction } from '../engine/loss.js';
import { parsePrecision, type Precision } from '../check/numerics/precision.js';

/** `in-out`: W is (inputs × outputs), as in the notebooks; `out-in`: (outputs × inputs), as in PyTorch and many textbooks. */
export type WeightLayout = 'in-out' | 'out-in';
/** `gradient`: dL/dθ; `negative-gradient`: −dL/dθ; `update`: the step −rate·dL/dθ (give `learningRate`). */
export type ReturnedQuantity = 'gradient' | 'negative-gradient' | 'update';
/** `batch`: one call per case, gradient of the batch loss; `per-sample`: one call per input row, gradients summed by gradcheck. */
export type BatchHandling = 'batch' | 'per-sample';

/**
 * How an implementation lays out and scales what it returns, so gradcheck reads it as dL/dθ:
 * weight layout, returned quantity (gradient, negative gradient or update), batch handling and precision.
 * Defaults: `in-out`, `gradient`, `batch`, `float64`.
 */
export interface Conventions {
  /** Default `in-out`. */
  readonly weightLayout: WeightLayout;
  /** Default `gradient`. */
  readonly returns: ReturnedQuantity;
  /** Required (and only allowed) with `returns: 'update'`. */
  readonly learningRate?: number;
  /** The only loss reduction the implementation supports; cases are generated with it. Default: any (read `case.reduction`). */
  readonly reduction?: Reduction;
  /** Default `batch`. */
  readonly batch: BatchHandling;
  /**
   * The floating-point format the implementation computes in. Default `float64`. The claimed side's
   * rounding allowance (reference mode) and the steps and rounding floors of its own loss (self mode)
   * follow from this format's unit roundoff (check/numerics/precision.ts).
   */
  readonly precision: Precision;
}

export const DEFAULT_CONVENTIONS: Conventions = { weightLayout: 'in-out', returns: 'gradient', batch: 'batch', precision: 'float64' };

export function resolveConventions(partial: Partial<Conventions> = {}, where = 'conventions'): Conventions {
  const c: Conventions = { ...DEFAULT_CONVENTIONS, ...stripUndefined(partial) };
  oneOf(where, 'weightLayout', c.weightLayout, ['in-out', 'out-in']);
  oneOf(where, 'returns', c.returns, ['gradient', 'negative-gradient', 'update']);
  oneOf(where, 'batch', c.batch, ['batch', 'per-sample']);
  parsePrecision(c.precision, where);
  if (c.reduction !== undefined) oneOf(where, 'reduction', c.reduction, ['mean', 'sum', 'half-sum']);
  if (c.returns === 'update') {
    if (!(typeof c.learningRate === 'number' && Number.isFinite(c.learningRate) && c.learningRate > 0)) {
      throw new GradcheckError(where, `learningRate is ${String(c.learningRate)}; expected a positive number with returns: 'update'`);
    }
  } else if (c.learningRate !== undefined) {
    throw new GradcheckError(where, `learningRate is set but returns is '${c.returns}'; a learning rate only applies with returns: 'update'`);
  }
  return c;
}

/** The factor s with returned = s · dL/dθ. */
export function returnedScale(c: Conventions): number {
  switch (c.returns) {
    case 'gradient':
      return 1;
    case 'negative-gradient':
      return -1;
    case 'update':
      return -c.learningRate!;
  }
}

/** One line naming the conventions, for reports. */
export function describeConventions(c: Conventions): string {
  const returns = c.returns === 'update' ? `update (−${c.learningRate}·gradient)` : c.returns;
  const precision = c.precision === 'float64' ? '' : `, ${c.precision}`;
  return `weights ${c.weightLayout}, returns ${returns}, reduction ${c.reduction ?? 'any'}, ${c.batch}${precision}`;
}

function oneOf(where: string, field: string, value: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(value as string)) {
    throw new GradcheckError(where, `${field} is ${JSON.stringify(value)}; expected one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
