/**
 * Activations: value and derivative side by side, and where each is not differentiable.
 */
export type ActivationName = 'sigmoid' | 'relu' | 'identity';

/** An activation: its value, derivative and kinks (one definition of each, used by the engine and the checker). */
export interface Activation {
  readonly name: ActivationName;
  /** σ(z). */
  value(z: number): number;
  /** dσ/dz. At a kink this returns the conventional one-sided value documented per activation. */
  derivative(z: number): number;
  /** True when the activation is piecewise and has kinks at which it is not differentiable. */
  readonly piecewise: boolean;
  /**
   * Which smooth piece z lies on (for ReLU: −1 below 0, 0 exactly at the kink, +1 above).
   * Finite-difference stencils that change a unit's region crossed a kink. Smooth activations return 1.
   */
  region(z: number): number;
  /**
   * σ continued from the smooth piece `region` (a `region` value, read at θ) to any z: the activation
   * with its pieces frozen at θ's. For ReLU the identity on piece +1 and 0 on −1; a unit exactly on
   * its kink (region 0) has no piece of its own and stays σ. A smooth activation has one piece, so
   * `value(z)`. Near θ, where no unit off its kink changes piece, the frozen network computes the same
   * loss as the network.
   */
  onPiece(z: number, region: number): number;
  /**
   * Whether σ′(−z) = σ′(z) for every z: a numeric σ′ may then be taken at −|z| (for the sigmoid, where
   * σ is small and so is its rounding, instead of near 1; check/strategies/pre-activation-derivatives.ts).
   */
  readonly evenDerivative: boolean;
}

/** Logistic sigmoid, computed without overflow for any finite z: exp is only taken of −|z|. */
export const sigmoid: Activation = {
  name: 'sigmoid',
  value(z) {
    if (z >= 0) return 1 / (1 + Math.exp(-z));
    const e = Math.exp(z);
    return e / (1 + e);
  },
  // σ'(z) = σ(z)·σ(−z); written this way, 1 − σ(z) never cancels for large z.
  derivative(z) {
    const e = Math.exp(-Math.abs(z));
    const d = 1 + e;
    return e / (d * d);
  },
  piecewise: false,
  region: () => 1,
  onPiece(z) {
    return sigmoid.value(z);
  },
  // σ(−z) = 1 − σ(z), so σ′(−z) = σ′(z).
  evenDerivative: true,
};

/** ReLU. Its derivative at exactly 0 is taken as 0 (PyTorch's and NumPy courses' `z > 0` convention). */
export const relu: Activation = {
  name: 'relu',
  value: (z) => (z > 0 ? z : 0),
  derivative: (z) => (z > 0 ? 1 : 0),
  piecewise: true,
  region: (z) => (z > 0 ? 1 : z < 0 ? -1 : 0),
  onPiece: (z, region) => (region > 0 ? z : region < 0 ? 0 : z > 0 ? z : 0),
  evenDerivative: false,
};

export const identity: Activation = {
  name: 'identity',
  value: (z) => z,
  derivative: () => 1,
  piecewise: false,
  region: () => 1,
  onPiece: (z) => z,
  evenDerivative: true,
};

export const activations: Readonly<Record<ActivationName, Activation>> = { sigmoid, relu, identity };

export const activationNames = Object.keys(activations) as ActivationName[];
