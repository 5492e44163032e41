/**
 * fast-check generators of a differentiable function's inputs: shapes drawn within the function's
 * declared dimension ranges, and values in the regimes where backward rules go wrong. Everything
 * shrinks towards the smallest case: each dimension to its minimum, the regime to `unit`, the value
 * seed to 0.
 */
import fc from 'fast-check';
import { GradcheckError } from '../errors.js';
import { gaussian, seededRandom, type Random } from '../engine/random-parameters.js';
import { shapeText, type Tensor } from '../check/functions/tensor.js';

/** One input of a function: its shape (sizes or dimension names), whether it is differentiated, and its values. */
export interface FunctionInputSpec {
  /** Sizes, or names of dimensions declared in `FunctionSignature.dims` (shared between inputs). `[]`: a scalar. */
  readonly shape: readonly (number | string)[];
  /** Whether the input is differentiated. Default true; false holds it fixed (labels, targets, masks). */
  readonly differentiable?: boolean;
  /**
   * Its values: `real` (default, regime-scaled Gaussian), `probabilities` (rows on the simplex along the
   * last axis, such as a cross-entropy target) or `positive` (e^N(0,1), such as a variance).
   */
  readonly values?: 'real' | 'probabilities' | 'positive';
}

/** What a function takes: its inputs and the ranges of their named dimensions. */
export interface FunctionSignature {
  readonly inputs: Readonly<Record<string, FunctionInputSpec>>;
  /** Each named dimension's range, inclusive. */
  readonly dims?: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
  /** Input values where the function is not differentiable (0 for ReLU, |x|); enables the `near-kink` regime. */
  readonly kinks?: readonly number[];
}

/**
 * Where an input's real values are drawn:
 * - `unit`: N(0, 1);
 * - `large`: N(0, 100²), two decades up, where saturating functions saturate (tanh(100) is 1 in float64)
 *   and exponentials need their max-shift;
 * - `small`: N(0, 0.01²), two decades down, where cancellation shows (a layer norm of entries 0.01
 *   apart has a variance of 1e-4, ten times its ε = 1e-5);
 * - `near-kink`: a declared kink plus ±10^U(−6, −2): offsets straddling the estimator's steps, from the
 *   central step ε^(1/3) ≈ 6e-6 to the Richardson base step ε^(1/7) ≈ 6e-3 (numerics/step.ts), so
 *   kinks fall inside the stencil.
 */
export type ValueRegime = 'unit' | 'large' | 'small' | 'near-kink';

/** Every regime, `unit` first (what a failure shrinks to). */
export const VALUE_REGIMES: readonly ValueRegime[] = ['unit', 'large', 'small', 'near-kink'];

/** A regime's scale of N(0, scale²); see `ValueRegime`. */
const REGIME_SCALE: Readonly<Record<Exclude<ValueRegime, 'near-kink'>, number>> = { unit: 1, large: 100, small: 0.01 };

/** One drawn case: the sizes of the dimensions, the regime, the value seed, and the inputs they give. */
export interface FunctionInputCase {
  readonly dims: Readonly<Record<string, number>>;
  readonly regime: ValueRegime;
  readonly seed: number;
  readonly inputs: Readonly<Record<string, Tensor>>;
  /** The differentiated inputs, in declaration order. */
  readonly wrt: readonly string[];
  /** `B=2, C=3, regime unit, values seed 0: z 2×3, p 2×3`. */
  readonly description: string;
}

/** Constraints on the cases drawn: narrower dimension ranges, fewer regimes. */
export interface FunctionInputConstraints {
  /** Per dimension, a range within the signature's (intersected with it). */
  readonly dims?: Readonly<Record<string, { readonly min?: number; readonly max?: number }>>;
  /** Regimes to draw from. Default: every regime (`near-kink` only with declared kinks). */
  readonly regimes?: readonly ValueRegime[];
}

/**
 * The arbitrary of a function's input cases within `constraints`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(functionInputs({ inputs: { x: { shape: ['N'] } }, dims: { N: { min: 1, max: 8 } } }), (c) => …));
 * ```
 */
export function functionInputs(signature: FunctionSignature, constraints: FunctionInputConstraints = {}, where = 'functionInputs'): fc.Arbitrary<FunctionInputCase> {
  const ranges = dimensionRanges(signature, constraints, where);
  const regimes = (constraints.regimes ?? VALUE_REGIMES).filter((r) => r !== 'near-kink' || (signature.kinks?.length ?? 0) > 0);
  for (const r of constraints.regimes ?? []) {
    if (!VALUE_REGIMES.includes(r)) throw new GradcheckError(where, `constraints.regimes names ${JSON.stringify(r)}; expected some of ${VALUE_REGIMES.join(', ')}`);
    if (r === 'near-kink' && !(signature.kinks?.length)) throw new GradcheckError(where, 'constraints.regimes names "near-kink" but the signature declares no kinks');
  }
  if (regimes.length === 0) throw new GradcheckError(where, 'constraints.regimes is empty; expected at least one regime');
  const dims = fc.record(Object.fromEntries(Object.entries(ranges).map(([name, r]) => [name, fc.integer({ min: r.min, max: r.max })])));
  return fc
    .record({ dims, regime: fc.constantFrom(...regimes), seed: fc.nat({ max: 2 ** 31 - 1 }) })
    .map(({ dims, regime, seed }) => drawFunctionInputs(signature, dims, regime, seed, where));
}

/** The dimension ranges of a signature narrowed by constraints; throws on names that are not declared or empty ranges. */
export function dimensionRanges(signature: FunctionSignature, constraints: FunctionInputConstraints = {}, where = 'functionInputs'): Record<string, { min: number; max: number }> {
  const declared = signature.dims ?? {};
  const ranges: Record<string, { min: number; max: number }> = {};
  for (const [name, r] of Object.entries(declared)) {
    if (!Number.isInteger(r.min) || !Number.isInteger(r.max) || r.min < 1 || r.max < r.min) {
      throw new GradcheckError(where, `dims.${name} is ${JSON.stringify(r)}; expected { min, max } with integers 1 ≤ min ≤ max`);
    }
    const c = constraints.dims?.[name] ?? {};
    const min = Math.max(r.min, c.min ?? r.min);
    const max = Math.min(r.max, c.max ?? r.max);
    if (min > max) throw new GradcheckError(where, `dimension ${name}: the function takes ${r.min}…${r.max} and the constraints ask for ${c.min ?? r.min}…${c.max ?? r.max}; the ranges do not meet`);
    ranges[name] = { min, max };
  }
  for (const name of Object.keys(constraints.dims ?? {})) {
    if (!(name in declared)) throw new GradcheckError(where, `constraints.dims.${name} is not a dimension of the function; expected one of ${Object.keys(declared).join(', ') || '(none)'}`);
  }
  for (const [input, spec] of Object.entries(signature.inputs)) {
    for (const d of spec.shape) {
      if (typeof d === 'string' && !(d in declared)) throw new GradcheckError(where, `inputs.${input}.shape names dimension ${JSON.stringify(d)}, which dims does not declare`);
      if (typeof d === 'number' && !(Number.isInteger(d) && d >= 1)) throw new GradcheckError(where, `inputs.${input}.shape has size ${d}; expected integers ≥ 1 or dimension names`);
    }
  }
  return ranges;
}

/** The inputs of one case, built deterministically from the dimension sizes, the regime and the seed. */
export function drawFunctionInputs(signature: FunctionSignature, dims: Readonly<Record<string, number>>, regime: ValueRegime, seed: number, where = 'drawFunctionInputs'): FunctionInputCase {
  const random = seededRandom(`${seed}:function-inputs`);
  const inputs: Record<string, Tensor> = {};
  const wrt: string[] = [];
  for (const [name, spec] of Object.entries(signature.inputs)) {
    const shape = spec.shape.map((d) => {
      const size = typeof d === 'number' ? d : dims[d];
      if (size === undefined) throw new GradcheckError(where, `inputs.${name}.shape names dimension ${JSON.stringify(d)}, which has no size`);
      return size;
    });
    inputs[name] = { shape, data: drawValues(shape, spec.values ?? 'real', regime, signature.kinks ?? [], random) };
    if (spec.differentiable ?? true) wrt.push(name);
  }
  const sizes = Object.entries(dims).map(([d, n]) => `${d}=${n}`).join(', ');
  const shapes = Object.entries(inputs).map(([n, t]) => `${n} ${shapeText(t.shape)}`).join(', ');
  return { dims, regime, seed, inputs, wrt, description: `${sizes ? `${sizes}, ` : ''}regime ${regime}, values seed ${seed}: ${shapes}` };
}

function drawValues(shape: readonly number[], kind: NonNullable<FunctionInputSpec['values']>, regime: ValueRegime, kinks: readonly number[], random: Random): Float64Array {
  const n = shape.reduce((a, d) => a * d, 1);
  const data = new Float64Array(n);
  if (kind === 'probabilities') {
    // softmax of N(0, 1) logits along the last axis: every row positive and summing to 1.
    const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
    for (let r = 0; r < n / cols; r++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += data[r * cols + c] = Math.exp(gaussian(random));
      for (let c = 0; c < cols; c++) data[r * cols + c] /= sum;
    }
    return data;
  }
  for (let k = 0; k < n; k++) {
    if (kind === 'positive') data[k] = Math.exp(gaussian(random));
    else if (regime === 'near-kink') {
      const kink = kinks[Math.floor(random() * kinks.length)];
      data[k] = kink + (random() < 0.5 ? -1 : 1) * 10 ** (-6 + 4 * random());
    } else data[k] = REGIME_SCALE[regime] * gaussian(random);
  }
  return data;
}
