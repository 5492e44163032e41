/**
 * Mean squared error with the reductions people actually use, each with its gradient.
 *   mean:     L = (1 / (N·K)) Σ (ŷ − y)²     dL/dŷ = 2 (ŷ − y) / (N·K)
 *   sum:      L = Σ (ŷ − y)²                 dL/dŷ = 2 (ŷ − y)
 *   half-sum: L = ½ Σ (ŷ − y)²               dL/dŷ = ŷ − y
 * N is the batch size and K the number of outputs; `mean` averages over all N·K elements.
 */
export type Reduction = 'mean' | 'sum' | 'half-sum';

export const reductions: readonly Reduction[] = ['mean', 'sum', 'half-sum'];

/** The factor c in L = c · Σ r² for `count` residuals. */
export function reductionScale(reduction: Reduction, count: number): number {
  switch (reduction) {
    case 'mean':
      return 1 / count;
    case 'sum':
      return 1;
    case 'half-sum':
      return 0.5;
  }
}

export function mseLoss(prediction: Float64Array, target: Float64Array, reduction: Reduction): number {
  let s = 0;
  for (let i = 0; i < prediction.length; i++) {
    const r = prediction[i] - target[i];
    s += r * r;
  }
  return reductionScale(reduction, prediction.length) * s;
}

/** Writes dL/dŷ into `out`. */
export function mseGradientInto(out: Float64Array, prediction: Float64Array, target: Float64Array, reduction: Reduction): void {
  const c = 2 * reductionScale(reduction, prediction.length);
  for (let i = 0; i < prediction.length; i++) out[i] = c * (prediction[i] - target[i]);
}
