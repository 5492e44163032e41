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
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = layer.bias ? Math.abs(params[layer.biasOffset + j]) : 0;
        for (let p = 0; p < layer.inputs; p++) s += prev[i * layer.inputs + p] * Math.abs(params[layer.weightOffset + p * m + j]);
        next[i * m + j] = layer.activation.name === 'sigmoid' ? 1 : s;
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

export function gradientEnvelope(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction): GradientEnvelope {
  return backwardEnvelope(network, params, inputs, targets, reduction);
}

/**
 * The envelope's backward pass in magnitudes. With `mask`, only paths through the masked units of
 * layer `mask.layer` count: their |δ| is kept (times 1, the largest change a piece can make to a
 * ReLU's derivative), every other unit of that layer gets 0, and nothing is accumulated above it.
 */
function backwardEnvelope(
  network: Network,
  params: Float64Array,
  inputs: Matrix,
  targets: Matrix,
  reduction: Reduction,
  mask?: { layer: number; units: Uint8Array },
  deltas?: Float64Array[],
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
    delta[k] = c * (Math.abs(p - y) + outputBound[k] + Math.abs(y));
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
export function forwardErrorEnvelope(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction): GradientEnvelope {
  const n = inputs.rows;
  const layers = network.layers;
  const deltas: Float64Array[] = [];
  backwardEnvelope(network, params, inputs, targets, reduction, undefined, deltas);
  const { z: ez, trace } = forwardErrorBounds(network, params, inputs);
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
 * First-order bound on the loss's rounding, in units of u: |fl(L) − L| ≤ u·(2·√(s·L)·‖e_r‖₂ + (N + 2)·L),
 * where e_r bounds the residuals' errors, propagated through a forward pass in magnitudes (per layer,
 * e_z = e_a·|W| + (fan-in + 2)·(|a|·|W| + |b|) by Higham (3.5) with the bias and the weight's own
 * rounding; e_a = Lip(σ)·e_z + ops(σ)·|a|), then e_r = e_ŷ + |ŷ| + 2|y| (the subtraction and the
 * target's own rounding). L = s·Σr² turns them into Σ 2s·|r|·e_r ≤ 2√(s·L)·‖e_r‖₂ (Cauchy–Schwarz, so
 * the bound holds at every stencil point from that point's L alone) plus the rounding of the N squares,
 * their sum and the scale, γ_(N+2)·L. Returns the two coefficients.
 */
export interface LossRoundingEnvelope {
  /** 2·√s·‖e_r‖₂. */
  readonly residual: number;
  /** N + 2. */
  readonly sum: number;
}

/**
 * e_z per layer, in units of u: a bound on how far a correct forward pass in a format with unit
 * roundoff u may put each pre-activation from the exact one (see `lossRoundingEnvelope`); and e_a of
 * the output. Computed at θ from the actual magnitudes.
 */
export function forwardErrorBounds(network: Network, params: Float64Array, inputs: Matrix): { readonly z: Float64Array[]; readonly output: Float64Array; readonly trace: ReturnType<Network['createTrace']> } {
  const n = inputs.rows;
  const trace = network.createTrace(n);
  network.forwardInto(params, inputs.data, trace);
  let error = Float64Array.from(inputs.data, Math.abs);
  const zErrors: Float64Array[] = [];
  network.layers.forEach((layer, l) => {
    const m = layer.outputs;
    const k = layer.inputs;
    const previous = trace.activations[l];
    const a = trace.activations[l + 1];
    const ez = new Float64Array(n * m);
    const next = new Float64Array(n * m);
    const ops = ACTIVATION_OPS[layer.activation.name].value;
    const lip = LIPSCHITZ[layer.activation.name];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let propagated = 0;
        let magnitude = layer.bias ? Math.abs(params[layer.biasOffset + j]) : 0;
        for (let p = 0; p < k; p++) {
          const w = Math.abs(params[layer.weightOffset + p * m + j]);
          propagated += error[i * k + p] * w;
          magnitude += Math.abs(previous[i * k + p]) * w;
        }
        ez[i * m + j] = propagated + (k + 2) * magnitude;
        next[i * m + j] = lip * ez[i * m + j] + ops * Math.abs(a[i * m + j]);
      }
    }
    zErrors.push(ez);
    error = next;
  });
  return { z: zErrors, output: error, trace };
}

export function lossRoundingEnvelope(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction): LossRoundingEnvelope {
  const { output: error, trace } = forwardErrorBounds(network, params, inputs);
  const prediction = network.prediction(trace);
  let squares = 0;
  for (let q = 0; q < prediction.length; q++) {
    const y = Math.abs(targets.data[q]);
    const er = error[q] + Math.abs(prediction[q]) + 2 * y;
    squares += er * er;
  }
  const s = reductionScale(reduction, prediction.length);
  return { residual: 2 * Math.sqrt(s) * Math.sqrt(squares), sum: prediction.length + 2 };
}

/**
 * Kink ambiguity: a ReLU unit whose |z| is within its rounding bound u·e_z may sit on either piece in a
 * correct implementation (another summation order, another precision), and its derivative then differs
 * by 1. Per entry, a bound on what that can change: the gradient envelope restricted to paths through
 * such units (`backwardEnvelope` masked to them), summed over the layers that have any. Zero when no
 * unit is that close to its kink.
 */
export function kinkAmbiguityEnvelope(network: Network, params: Float64Array, inputs: Matrix, targets: Matrix, reduction: Reduction, u: number): GradientEnvelope {
  const { z: zErrors, trace } = forwardErrorBounds(network, params, inputs);
  const total: GradientEnvelope = { parameters: new Float64Array(network.parameterCount), inputs: new Float64Array(inputs.data.length) };
  network.layers.forEach((layer, l) => {
    if (!layer.activation.piecewise) return;
    const z = trace.preActivations[l];
    const units = new Uint8Array(z.length);
    let any = false;
    for (let k = 0; k < z.length; k++) {
      // z exactly 0 is θ on the kink, which the estimator and the judge handle with both one-sided
      // derivatives; the ambiguity is for units merely within rounding of it.
      if (z[k] !== 0 && Math.abs(z[k]) <= u * zErrors[l][k]) {
        units[k] = 1;
        any = true;
      }
    }
    if (!any) return;
    const part = backwardEnvelope(network, params, inputs, targets, reduction, { layer: l, units });
    for (let i = 0; i < total.parameters.length; i++) total.parameters[i] += part.parameters[i];
    for (let i = 0; i < total.inputs.length; i++) total.inputs[i] += part.inputs[i];
  });
  return total;
}
