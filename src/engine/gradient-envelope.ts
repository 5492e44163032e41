/**
 * The gradient envelope: backprop with every factor replaced by a bound on its magnitude: |W|, the
 * activations' magnitude bounds ā (from a forward pass in absolute values, with a sigmoid's output
 * bounded by its range 1), the largest derivative of each activation, and 2c(|ŷ − y| + ā_L + |y|).
 *
 * A float64 backward pass computes each entry g_i as sums of chain-rule products; its rounding error
 * is about κ·ε·G_i, where G_i sums the magnitudes of those products' factors (first-order error
 * analysis, Higham, "Accuracy and Stability of Numerical Algorithms", §3.1). G_i bounds what a
 * *correct* implementation may get wrong, e.g. σ'(z) = a(1 − a) has absolute error ≈ ε when the
 * sigmoid saturates, and σ(z) computed as ½(1 + tanh(z/2)) has absolute error ε near 0: large relative
 * errors of tiny gradients, but not bugs.
 */
import type { Matrix } from './matrix.js';
import type { Network } from './network.js';
import { reductionScale, type Reduction } from './loss.js';
import { withinKinkRounding } from './units-on-kinks.js';

/** The largest |σ'| of each activation: sigmoid ¼, ReLU and identity 1. */
const MAX_DERIVATIVE = { sigmoid: 0.25, relu: 1, identity: 1 } as const;

/**
 * ā_l: a forward pass in magnitudes, z̄ = ā_{l−1}·|W| + |b|, with ā = 1 for sigmoid (its range) and
 * ā = z̄ for ReLU and identity. Bounds the size of every term a correct forward pass adds up.
 */
function activationBounds(network: Network, params: Float64Array, inputs: Matrix): Float64Array[] {
  const n = inputs.rows;
  const bounds = [Float64Array.from(inputs.data, Math.abs)];
  for (const layer of network.layers) {
    const prev = bounds[bounds.length - 1];
    const m = layer.outputs;
    const next = new Float64Array(n * m);
    if (layer.activation.name === 'sigmoid') next.fill(1);
    else {
      // Row i's sums for every unit j at once, each over p in order (W read row by row).
      for (let i = 0; i < n; i++) {
        const at = i * m;
        for (let j = 0; j < m; j++) next[at + j] = layer.bias ? Math.abs(params[layer.biasOffset + j]) : 0;
        for (let p = 0; p < layer.inputs; p++) {
          const ap = prev[i * layer.inputs + p];
          const row = layer.weightOffset + p * m;
          for (let j = 0; j < m; j++) next[at + j] += ap * Math.abs(params[row + j]);
        }
      }
    }
    bounds.push(next);
  }
  return bounds;
}

export interface GradientEnvelope {
  /** G for every parameter, in the flat layout. */
  readonly parameters: Float64Array;
  /** G for every input entry (batch × inputs). */
  readonly inputs: Float64Array;
}

/** `deltas`, when given, receives each layer's |δ| bound (for `forwardErrorEnvelope`, which needs them too). */
export function gradientEnvelope(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction, deltas?: Float64Array[]): GradientEnvelope {
  return backwardEnvelope(network, params, inputs, targets, reduction, undefined, deltas);
}

/**
 * The gradient envelope under the probable error model (see `ErrorModel`): the same backward pass in
 * magnitudes, with the actual |a| at θ and the largest |σ′|, but every sum taken in quadrature,
 * √Σ(term²): independent rounding errors of the products a gradient entry is made of add that way
 * (Higham and Mary 2019, Model 2.1). Far below the worst-case envelope where many paths cancel (deep
 * networks, large batches), and never above it.
 */
export function probableGradientEnvelope(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction): GradientEnvelope {
  const n = inputs.rows;
  const trace = network.createTrace(n);
  network.forwardInto(params, inputs.data, trace);
  const prediction = network.prediction(trace);
  const c = 2 * reductionScale(reduction, prediction.length);
  const layers = network.layers;
  const squares = new Float64Array(network.parameterCount);
  let delta = Float64Array.from(prediction, (p, k) => c * (Math.abs(p - targets.data[k]) + Math.abs(p) + Math.abs(targets.data[k])));
  let dInputs = new Float64Array(0);
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    const m = layer.outputs;
    const k0 = layer.inputs;
    const d = MAX_DERIVATIVE[layer.activation.name];
    for (let q = 0; q < delta.length; q++) delta[q] *= d;
    const a = trace.activations[l];
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < k0; p++) {
        const ap = a[i * k0 + p];
        for (let j = 0; j < m; j++) squares[layer.weightOffset + p * m + j] += (ap * delta[i * m + j]) ** 2;
      }
      if (layer.bias) for (let j = 0; j < m; j++) squares[layer.biasOffset + j] += delta[i * m + j] ** 2;
    }
    const previous = new Float64Array(n * k0);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < k0; p++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += (delta[i * m + j] * params[layer.weightOffset + p * m + j]) ** 2;
        previous[i * k0 + p] = Math.sqrt(s);
      }
    }
    if (l === 0) dInputs = previous;
    delta = previous;
  }
  return { parameters: squares.map(Math.sqrt), inputs: dInputs };
}

/** What `forwardErrorBounds` returns. */
export type ForwardErrors = ReturnType<typeof forwardErrorBounds>;

/**
 * The envelope's backward pass in magnitudes. With `mask`, only paths through the masked units of
 * layer `mask.layer` count: their |δ| is kept (times 1, the largest change a piece can make to a
 * ReLU's derivative), every other unit of that layer gets 0, and nothing is accumulated above it.
 * `seed`: the output δ's magnitudes to start from (default: the rounding envelope's, c·(|ŷ − y| + |ŷ|'s
 * bound + |y|), which bounds what the residual's rounding is relative to, not the residual).
 */
function backwardEnvelope(
  network: Network,
  params: Float64Array,
  inputs: Matrix,
  targets: Matrix,
  reduction: Reduction,
  mask?: { layer: number; units: Uint8Array },
  deltas?: Float64Array[],
  seed?: Float64Array,
): GradientEnvelope {
  const n = inputs.rows;
  const trace = network.createTrace(n);
  network.forwardInto(params, inputs.data, trace);
  const prediction = network.prediction(trace);
  const c = 2 * reductionScale(reduction, prediction.length);
  const layers = network.layers;
  const bounds = activationBounds(network, params, inputs);
  const outputBound = bounds[bounds.length - 1];
  const grad = new Float64Array(network.parameterCount);
  let delta = new Float64Array(prediction.length);
  for (let k = 0; k < delta.length; k++) {
    const y = targets.data[k];
    const p = prediction[k];
    delta[k] = seed !== undefined ? seed[k] : c * (Math.abs(p - y) + outputBound[k] + Math.abs(y));
  }
  let dInputs = new Float64Array(0);
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    const m = layer.outputs;
    const d = mask?.layer === l ? 1 : MAX_DERIVATIVE[layer.activation.name];
    for (let k = 0; k < delta.length; k++) delta[k] *= d;
    if (mask?.layer === l) for (let k = 0; k < delta.length; k++) if (mask.units[k] === 0) delta[k] = 0;
    if (deltas) deltas[l] = Float64Array.from(delta);
    const accumulate = mask === undefined || l <= mask.layer;
    const a = bounds[l];
    if (accumulate) {
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < layer.inputs; p++) {
          const ap = a[i * layer.inputs + p];
          for (let j = 0; j < m; j++) grad[layer.weightOffset + p * m + j] += ap * delta[i * m + j];
        }
        if (layer.bias) for (let j = 0; j < m; j++) grad[layer.biasOffset + j] += delta[i * m + j];
      }
    }
    const previous = new Float64Array(n * layer.inputs);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < layer.inputs; p++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += delta[i * m + j] * Math.abs(params[layer.weightOffset + p * m + j]);
        previous[i * layer.inputs + p] = s;
      }
    }
    if (l === 0) dInputs = previous;
    delta = previous;
  }
  return { parameters: grad, inputs: dInputs };
}

/**
 * Floating-point operations per activation on a value's dependency chain, counted as rounding
 * errors of size u: the sigmoid's value 1/(1 + e^(−z)) (or e^z/(1 + e^z)) is an exp within 1 ulp
 * (2u; fdlibm, used by V8, and glibc's libm, used by NumPy, document < 1 ulp), an addition and a
 * division: 4; its derivative e/(1 + e)² adds the exp (2), an addition, a product and a division: 5.
 * ReLU and identity are exact.
 */
export const ACTIVATION_OPS = { sigmoid: { value: 4, derivative: 5 }, relu: { value: 0, derivative: 0 }, identity: { value: 0, derivative: 0 } } as const;

/** The largest |σ'|, which propagates an error in z to σ(z). */
const LIPSCHITZ = MAX_DERIVATIVE;

/** The largest |σ''|: sigmoid √3/18 (at σ = ½ ± 1/(2√3), where σ(1 − σ)(1 − 2σ) peaks); ReLU and identity 0 off their kinks. */
const MAX_SECOND_DERIVATIVE = { sigmoid: Math.sqrt(3) / 18, relu: 0, identity: 0 } as const;

/**
 * How far a correct implementation's gradient may move because its forward pass is off, per unit of u:
 * the backward pass evaluated at forward values each within u·e of the exact ones (forwardErrorBounds)
 * changes, to first order, by
 *   Δδ_L = c·(e_ŷ·σ′ + |ŷ − y|·σ″·e_z),  Δδ_l = (Δδ_{l+1}·|W|ᵀ)·σ′ + (|δ_{l+1}|·|W|ᵀ)·σ″·e_z,
 *   Δ(∂L/∂W_l) = e_aᵀ·|δ_l| + |a|ᵀ·Δδ_l,  Δ(∂L/∂b_l) = Σ_n Δδ_l,  Δ(∂L/∂x) = Δδ_1·|W_1|ᵀ,
 * with |δ| the gradient envelope's deltas and σ′, σ″ the activations' largest derivatives. It matters
 * where a forward value is the small difference of large terms (a catastrophic cancellation, far more
 * visible in float32), so the forward rounding is large next to what the gradient depends on.
 */
export function forwardErrorEnvelope(
  network: Network,
  params: Float64Array,
  inputs: Matrix,
  targets: Matrix,
  reduction: Reduction,
  /** The gradient envelope's deltas and the worst-case forward errors, when already computed. */
  known?: { readonly deltas: Float64Array[]; readonly errors: ForwardErrors },
): GradientEnvelope {
  const n = inputs.rows;
  const layers = network.layers;
  let deltas = known?.deltas;
  if (deltas === undefined) {
    deltas = [];
    backwardEnvelope(network, params, inputs, targets, reduction, undefined, deltas);
  }
  const { z: ez, trace } = known?.errors ?? forwardErrorBounds(network, params, inputs);
  // e_a per layer (a_0 = x: e = |x|), as forwardErrorBounds propagates them.
  const ea: Float64Array[] = [Float64Array.from(inputs.data, Math.abs)];
  layers.forEach((layer, l) => {
    const a = trace.activations[l + 1];
    const ops = ACTIVATION_OPS[layer.activation.name].value;
    ea.push(Float64Array.from(ez[l], (e, k) => LIPSCHITZ[layer.activation.name] * e + ops * Math.abs(a[k])));
  });
  const prediction = network.prediction(trace);
  const c = 2 * reductionScale(reduction, prediction.length);
  const grad = new Float64Array(network.parameterCount);
  let dInputs = new Float64Array(0);
  let d = new Float64Array(prediction.length);
  const last = layers.length - 1;
  for (let k = 0; k < d.length; k++) {
    const name = layers[last].activation.name;
    d[k] = c * (ea[last + 1][k] * MAX_DERIVATIVE[name] + Math.abs(prediction[k] - targets.data[k]) * MAX_SECOND_DERIVATIVE[name] * ez[last][k]);
  }
  for (let l = last; l >= 0; l--) {
    const layer = layers[l];
    const m = layer.outputs;
    const k0 = layer.inputs;
    const a = trace.activations[l];
    const delta = deltas[l];
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < k0; p++) {
        const ap = Math.abs(a[i * k0 + p]);
        const ep = ea[l][i * k0 + p];
        for (let j = 0; j < m; j++) grad[layer.weightOffset + p * m + j] += ep * delta[i * m + j] + ap * d[i * m + j];
      }
      if (layer.bias) for (let j = 0; j < m; j++) grad[layer.biasOffset + j] += d[i * m + j];
    }
    const previous = new Float64Array(n * k0);
    if (l > 0) {
      const below = layers[l - 1].activation.name;
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < k0; p++) {
          let s1 = 0;
          let s2 = 0;
          for (let j = 0; j < m; j++) {
            const w = Math.abs(params[layer.weightOffset + p * m + j]);
            s1 += d[i * m + j] * w;
            // |δ_{l+1}| before σ′ of layer l: the envelope delta of layer l+1 already holds σ′ of l+1.
            s2 += delta[i * m + j] * w;
          }
          previous[i * k0 + p] = s1 * MAX_DERIVATIVE[below] + s2 * MAX_SECOND_DERIVATIVE[below] * ez[l - 1][i * k0 + p];
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < k0; p++) {
          let s1 = 0;
          for (let j = 0; j < m; j++) s1 += d[i * m + j] * Math.abs(params[layer.weightOffset + p * m + j]);
          previous[i * k0 + p] = s1;
        }
      }
      dInputs = previous;
    }
    d = previous;
  }
  return { parameters: grad, inputs: dInputs };
}

/**
 * The longest chain of rounded operations behind one gradient entry of a correct implementation, in
 * any order of evaluation: every entry depends on the whole forward pass (per layer an inner product of
 * fan-in terms, the bias, the weight's own rounding to the implementation's format, the activation), on
 * the residual and its scale (3), on the backward pass (per layer an inner product of fan-out terms,
 * the product with σ′ and σ′ itself), on the sum over the batch, and on the rounding of the inputs (1).
 * With γ_k (Higham Lemma 3.1) this bounds the relative rounding of each term of the gradient envelope.
 */
export function backpropChainLength(network: Network, batch: number): number {
  let k = 3 + batch + 1;
  for (const layer of network.layers) {
    const ops = ACTIVATION_OPS[layer.activation.name];
    k += layer.inputs + 2 + ops.value;
    k += layer.outputs + 1 + ops.derivative;
  }
  return k;
}

/**
 * How forward-pass rounding errors combine. `worst`: every error at its bound and all of one sign,
 * summed (Higham, §3.1): a strict bound. `probable`: Higham and Mary's probabilistic model ("A new
 * approach to probabilistic rounding error analysis", SIAM J. Sci. Comput. 41(5), 2019, Model 2.1:
 * rounding errors independent, mean zero), under which independent errors add in quadrature; the
 * result, times λ, bounds the error with probability at least 1 − 2·exp(−λ²(1 − u)²/2) (ibid.,
 * Theorem 2.4); λ is applied by the caller (ROUNDING_CONFIDENCE).
 */
export type ErrorModel = 'worst' | 'probable';

/**
 * e_z per layer, in units of u: how far a correct forward pass in a format with unit roundoff u may put
 * each pre-activation from the exact one, under `model`; and e_a of the output. Per layer,
 * e_z = e_a·|W| + (fan-in + 2)·(|a|·|W| + |b|) (Higham (3.5), with the bias and the weight's own
 * rounding) and e_a = Lip(σ)·e_z + ops(σ)·|a|, sums taken in quadrature under `probable` (the
 * fan-in + 2 own roundings then contributing √(fan-in + 2)). Computed at θ from the actual magnitudes.
 */
export function forwardErrorBounds(
  network: Network,
  params: Float64Array,
  inputs: Matrix,
  model: ErrorModel = 'worst',
  /** 0-based layer from which rounding counts: layers before it (and the inputs) are taken as exact. */
  fromLayer = 0,
): { readonly z: Float64Array[]; readonly output: Float64Array; readonly trace: ReturnType<Network['createTrace']> } {
  const n = inputs.rows;
  const trace = network.createTrace(n);
  network.forwardInto(params, inputs.data, trace);
  const quadrature = model === 'probable';
  let error = fromLayer === 0 ? Float64Array.from(inputs.data, Math.abs) : new Float64Array(inputs.data.length);
  const zErrors: Float64Array[] = [];
  network.layers.forEach((layer, l) => {
    const m = layer.outputs;
    const k = layer.inputs;
    const previous = trace.activations[l];
    const a = trace.activations[l + 1];
    const ez = new Float64Array(n * m);
    const next = new Float64Array(n * m);
    zErrors.push(ez);
    if (l < fromLayer) {
      error = next;
      return;
    }
    const ops = ACTIVATION_OPS[layer.activation.name].value;
    const lip = LIPSCHITZ[layer.activation.name];
    // Row i's sums for every unit j at once, each still taken over p in order (the same values as one
    // unit at a time), so that W is read row by row.
    const propagated = new Float64Array(m);
    const magnitude = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        propagated[j] = 0;
        magnitude[j] = layer.bias ? Math.abs(params[layer.biasOffset + j]) : 0;
      }
      for (let p = 0; p < k; p++) {
        const ep = error[i * k + p];
        const ap = Math.abs(previous[i * k + p]);
        const row = layer.weightOffset + p * m;
        for (let j = 0; j < m; j++) {
          const w = Math.abs(params[row + j]);
          const e = ep * w;
          propagated[j] += quadrature ? e * e : e;
          magnitude[j] += ap * w;
        }
      }
      for (let j = 0; j < m; j++) {
        const at = i * m + j;
        if (quadrature) {
          ez[at] = Math.sqrt(propagated[j] + (k + 2) * magnitude[j] * magnitude[j]);
          next[at] = Math.sqrt((lip * ez[at]) ** 2 + ops * a[at] * a[at]);
        } else {
          ez[at] = propagated[j] + (k + 2) * magnitude[j];
          next[at] = lip * ez[at] + ops * Math.abs(a[at]);
        }
      }
    }
    error = next;
  });
  return { z: zErrors, output: error, trace };
}

/**
 * Confidence multiplier of the probable loss-rounding bound: with λ = 8, Higham and Mary's Theorem 2.4
 * bounds the error with probability at least 1 − 2·exp(−32) ≈ 1 − 2.5e-14 per evaluation.
 */
export const ROUNDING_CONFIDENCE = 8;

/**
 * The loss's rounding, in units of u: |fl(L) − L| ≤ λ·u·(2·√(s·L)·‖e_r‖₂ + √(N + 2)·L) + (λ·u)²·s·‖e_r‖²,
 * λ = ROUNDING_CONFIDENCE, with e_r the residuals' errors under the probable model (forwardErrorBounds),
 * e_r² = e_ŷ² + (|ŷ| + |y|)² + y² (the subtraction and the target's own rounding). L = s·Σr² turns them
 * into Σ 2s·|r|·e_r ≤ 2√(s·L)·‖e_r‖₂ (Cauchy–Schwarz, so the bound holds at every stencil point from that
 * point's L alone), plus the N squares, their sum and the scale, and the second-order term that is all
 * there is where the residual is 0. The probable model, not the worst case, because what a difference
 * quotient divides by its step is the loss's noise: the worst case, every error of one sign through
 * every layer, overstates it by orders of magnitude on networks of any size, and with it the numeric
 * uncertainty. Per row too (`rows`): a row's share of the loss, as the screen differentiates it.
 * `fromLayer`: along a line that moves only layer l and what follows it, the layers before l compute
 * the same floating-point values at every stencil point, so their rounding is the same at all of them
 * and cancels from every difference; only rounding from layer l on is noise there.
 */
export interface LossRoundingEnvelope {
  /** 2·√s·‖e_r‖₂ over the whole batch. */
  readonly residual: number;
  /** √(N + 2). */
  readonly sum: number;
  /** Per row n: 2·√s·‖e_r,n‖₂ and √(outputs + 2). */
  readonly rows: readonly { readonly residual: number; readonly sum: number }[];
  /** s·‖e_r‖² over the whole batch (the second-order term, per unit (λu)²). */
  readonly second: number;
}

export function lossRoundingEnvelope(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction, fromLayer = 0): LossRoundingEnvelope {
  const { output: error, trace } = forwardErrorBounds(network, params, inputs, 'probable', fromLayer);
  const prediction = network.prediction(trace);
  const width = network.outputCount;
  const s = reductionScale(reduction, prediction.length);
  let squares = 0;
  const rows: { residual: number; sum: number }[] = [];
  for (let n = 0; n < inputs.rows; n++) {
    let rowSquares = 0;
    for (let k = 0; k < width; k++) {
      const q = n * width + k;
      const y = Math.abs(targets.data[q]);
      const e2 = error[q] ** 2 + (Math.abs(prediction[q]) + y) ** 2 + y * y;
      rowSquares += e2;
    }
    squares += rowSquares;
    rows.push({ residual: 2 * Math.sqrt(s) * Math.sqrt(rowSquares), sum: Math.sqrt(width + 2) });
  }
  return { residual: 2 * Math.sqrt(s) * Math.sqrt(squares), sum: Math.sqrt(prediction.length + 2), rows, second: s * squares };
}

/**
 * Kink ambiguity: a ReLU unit whose |z| is within its rounding bound u·e_z may sit on either piece in a
 * correct implementation (another summation order, another precision), and its derivative then differs
 * by 1. Per entry, a bound on what that can change: the backward pass in magnitudes restricted to paths
 * through such units (`backwardEnvelope` masked to them), summed over the layers that have any, seeded
 * with the largest |δ| a correct implementation may have at the output: c·(|ŷ − y| + 2u·(e_ŷ + |ŷ| + |y|)),
 * the engine's residual plus both forward passes' errors (u·e_ŷ each, forwardErrorBounds) and the
 * subtraction's rounding. (Seeded with the rounding envelope's c·(|ŷ − y| + |ŷ| + |y|) instead, it was
 * O(1) at a trained optimum where every gradient is 1e-14, and passed a claim 1e-6 off: the planted
 * errors of test/check/regime-replays.test.ts.) Zero when no unit is that close to its kink.
 */
export function kinkAmbiguityEnvelope(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction, u: number, errors?: ForwardErrors): GradientEnvelope {
  const total: GradientEnvelope = { parameters: new Float64Array(network.parameterCount), inputs: new Float64Array(inputs.data.length) };
  if (!network.layers.some((layer) => layer.activation.piecewise)) return total;
  const { z: zErrors, trace, output } = errors ?? forwardErrorBounds(network, params, inputs);
  const prediction = network.prediction(trace);
  const c = 2 * reductionScale(reduction, prediction.length);
  const seed = Float64Array.from(prediction, (p, k) => {
    const y = targets.data[k];
    return c * (Math.abs(p - y) + 2 * u * (output[k] + Math.abs(p) + Math.abs(y)));
  });
  network.layers.forEach((layer, l) => {
    if (!layer.activation.piecewise) return;
    const z = trace.preActivations[l];
    const units = new Uint8Array(z.length);
    let any = false;
    for (let k = 0; k < z.length; k++) {
      // z exactly 0 is θ on the kink, which the estimator and the judge handle with both one-sided
      // derivatives; the ambiguity is for units merely within rounding of it.
      if (z[k] !== 0 && withinKinkRounding(z[k], zErrors[l][k], u)) {
        units[k] = 1;
        any = true;
      }
    }
    if (!any) return;
    const part = backwardEnvelope(network, params, inputs, targets, reduction, { layer: l, units }, undefined, seed);
    for (let i = 0; i < total.parameters.length; i++) total.parameters[i] += part.parameters[i];
    for (let i = 0; i < total.inputs.length; i++) total.inputs[i] += part.inputs[i];
  });
  return total;
}
