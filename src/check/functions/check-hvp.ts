/**
 * Checks a Hessian–vector product: H·v is the directional derivative of the gradient along v, so a
 * claimed HVP is checked as the JVP of the gradient function (`checkJvp`), entry by entry, by the
 * same estimator and judge. The gradient itself is taken as given: check it first with `checkVjp`.
 */
import type { CheckOptions } from '../strategies/check-options.js';
import { GradcheckError } from '../../errors.js';
import { checkJvp } from './check-jvp.js';
import { splitSpec } from './function-options.js';
import type { FunctionReport } from './function-report.js';
import type { NamedTensors, TensorLike } from './tensor.js';

/** What `checkHvp` checks: a scalar function's gradient, the claimed Hessian–vector product, and the point. */
export interface HvpProblem {
  /** ∇f by input name (the function whose derivative is checked): `(inputs) => ({ x: ∂f/∂x, … })`. */
  readonly gradient: (inputs: NamedTensors) => Readonly<Record<string, TensorLike>>;
  /** The claimed H·v by input name, for the direction v (one tensor per differentiated input). */
  readonly hvp: (inputs: NamedTensors, vector: NamedTensors) => Readonly<Record<string, TensorLike>>;
  readonly inputs: Readonly<Record<string, TensorLike>>;
  /** v. Default: N(0, 1) entries drawn from `seed`. */
  readonly vector?: Readonly<Record<string, TensorLike>> | TensorLike;
  readonly wrt?: readonly string[];
  readonly name?: string;
}

const HVP_KEYS = ['gradient', 'hvp', 'inputs', 'vector', 'wrt', 'name'] as const;

/**
 * Checks a claimed Hessian–vector product against finite differences of the gradient along v; wrong
 * entries are located by the gradient's input name and index.
 *
 * @param spec - `{ gradient, hvp, inputs, vector?, wrt?, name? }` and any `CheckOptions` fields.
 * @returns a `FunctionReport` (`check: 'jvp'` of the gradient), one tensor per input.
 * @example
 * ```ts
 * // f(x) = Σ x⁴ / 4: ∇f = x³, H·v = 3x²·v
 * checkHvp({ gradient: ({ x }) => ({ x: x.data.map((u) => u ** 3) }), hvp: ({ x }, { x: v }) => ({ x: x.data.map((u, i) => 3 * u * u * v.data[i]) }), inputs: { x: Float64Array.of(1, -2) } });
 * ```
 */
export function checkHvp(spec: HvpProblem & CheckOptions, options?: CheckOptions): FunctionReport {
  const where = 'checkHvp';
  const { problem, options: checkOptions } = splitSpec<HvpProblem>(where, spec, options, HVP_KEYS);
  if (typeof problem.gradient !== 'function') throw new GradcheckError(where, `gradient is ${typeof problem.gradient}; expected a function (inputs) => { input: ∂f/∂input }`);
  if (typeof problem.hvp !== 'function') throw new GradcheckError(where, `hvp is ${typeof problem.hvp}; expected a function (inputs, vector) => { input: (H·v) entries }`);
  const name = problem.name ?? 'f';
  const label = checkOptions.label ?? `${name} Hessian–vector product, ${problem.vector === undefined ? `random vector (seed ${checkOptions.seed ?? 0})` : 'given vector'}`;
  return checkJvp(
    { f: problem.gradient, jvp: problem.hvp, inputs: problem.inputs, name: `∇${name}`, ...(problem.wrt && { wrt: problem.wrt }), ...(problem.vector !== undefined && { tangent: problem.vector }) },
    { ...checkOptions, label },
  );
}
