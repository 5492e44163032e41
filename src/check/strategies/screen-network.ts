/**
 * A first pass for full checks of the reference engine: every entry's numeric derivative from
 * numeric derivatives of the loss with respect to pre-activations, escalating to the entry-by-entry
 * check whatever does not clearly pass.
 *
 * Why it is exact. The loss depends on W_l and b_l only through z_l = a_{l−1}·W_l + b_l, and on x only
 * through z_1, and batch rows are independent, so (the chain rule through a linear map, no approximation)
 *   ∂L/∂W_l[i][j] = Σ_n a_{l−1}[n][i]·D_l[n][j],  ∂L/∂b_l[j] = Σ_n D_l[n][j],  ∂L/∂x[n][k] = Σ_j W_1[k][j]·D_1[n][j],
 * with D_l[n][j] = ∂L_n/∂z_l[n][j] for row n's share L_n of the loss. Each D comes with its error
 * estimate and rounding bound (pre-activation-derivatives.ts: the output layer's by Richardson-refined
 * central differences of L_n along z_L[n][j], a hidden layer's by the chain rule through the next layer,
 * σ′ a central difference of the activation itself); an entry's numeric value is then the
 * sum above, with truncation Σ|coefficient|·truncation(D) (systematic: summed as it is) and rounding
 * √(Σ(coefficient·rounding(D))² + Σ(γ_N·term)²) (independent errors of different stencils and of the
 * sum's own operations, in quadrature under the loss-rounding model; Higham's γ_N = Nε/(1 − Nε); an
 * input entry's D of one row share rounding and add linearly). Cost: Σ_l N·m_l derivatives instead of
 * one per entry, each of a scalar function but the output layer's.
 *
 * Why it is strict. The judge (numerics/judge.ts) passes an entry when |claimed − numeric| ≤ U +
 * allowance(claimed, numeric), U the estimate's uncertainty. This pass accepts an entry (`acceptable`)
 * only if the judge passes the claim against both ends numeric ± U of its interval as exact values, that
 * is, with its own whole error budget charged against the claim instead of granted to it (if both
 * estimates are within their uncertainty of the true derivative, an accepted entry then passes the
 * entry-by-entry check too), or if the judge passes it on the screen's estimate and that estimate is at
 * least as precise as any the entry-by-entry check could produce (its rounding floor,
 * `leastCentralUncertainty`): the judge grants either estimate its uncertainty, and granting the
 * narrower one passes no claim the wider one's rule could not. Every other entry (near-cancelling sums,
 * large uncertainties, failures) gets exactly that check: the verdict is the judge's, never more lenient
 * than the entry-by-entry check's rule.
 * (Inactive ReLU units whose stencil stays inactive have D = 0 exactly: L does not depend on them.)
 *
 * Kinks. A D whose own stencil crossed a kink is not used. For networks with ReLU layers, an entry is
 * also escalated unless KinkMargins proves that its entry-by-entry stencil (steps up to
 * richardsonStep(θ, levels, precision, gain)·|coefficient|) crosses no kink, so kink detection and reporting are unchanged.
 */
import { mseLoss, reductionScale } from '../../engine/loss.js';
import type { EntryScreen } from './gradient-problem.js';
import { KinkMargins } from '../objective/kink-margins.js';
import { leastCentralUncertainty, type EstimatorSettings } from '../numerics/estimator.js';
import { preActivationDerivatives, rowLoss } from './pre-activation-derivatives.js';
import type { LossRounding } from '../numerics/rounding.js';
import { agrees, type Tolerances } from '../numerics/judge.js';
import { gamma } from '../numerics/rounding.js';
import { unitRoundoff } from '../numerics/precision.js';
import { LossEnvelopes, networkLayerLossRounding, networkRowLossRounding } from '../objective/claimed-rounding.js';
import type { NetworkCase } from '../objective/network-objective.js';
import { NetworkRows } from '../objective/row-propagation.js';
import { stepFactor, stepScale } from '../numerics/step.js';
import { coordinateGains } from '../objective/coordinate-gains.js';

export interface ScreenSettings {
  readonly levels: number;
  readonly tolerances: Tolerances;
}

export interface NetworkScreen extends EntryScreen {
  /** Entries accepted by the first pass, and all entries. */
  readonly acceptedCount: number;
  readonly entries: number;
}

/** What the caller may already have computed for the same case at θ (each computed here when not given). */
export interface ScreenInputs {
  /** May be shared with the incremental objective. */
  readonly rows?: NetworkRows;
  /** The claimed side's rounding per entry (`networkClaimedRounding`); none when absent. */
  readonly claimedRounding?: Float64Array;
  /** The coordinates' gains in θ's layout (objective/coordinate-gains.ts). */
  readonly gains?: Float64Array;
  /** The entry-by-entry check's loss rounding per tensor layer (`networkLayerLossRounding`). */
  readonly lossRoundingByLayer?: readonly LossRounding[];
  /** The case's loss-rounding envelopes, shared with those bounds. */
  readonly envelopes?: LossEnvelopes;
}

export function screenNetwork(c: NetworkCase, includeInputs: boolean, claimed: Float64Array, s: ScreenSettings, known: ScreenInputs = {}): NetworkScreen {
  const { claimedRounding, lossRoundingByLayer } = known;
  const envelopes = known.envelopes ?? new LossEnvelopes(c);
  const { network } = c;
  const p = network.parameterCount;
  const batch = c.inputs.rows;
  const size = p + (includeInputs ? c.inputs.data.length : 0);
  const rows = known.rows ?? new NetworkRows(network, c.params, c.inputs.data, batch);
  const width = rows.outputs;
  const targets = c.targets.data;
  const scale = reductionScale(c.reduction, batch * width);
  const loss = Math.abs(mseLoss(rows.prediction, targets, c.reduction));
  if (!Number.isFinite(loss)) return emptyScreen(size);

  // 1. D_l[n][j] with error, floor and step; ok = central, no kink crossed, finite (pre-activation-derivatives.ts).
  let units = 0;
  let piecewise = false;
  for (let l = 0; l < rows.depth; l++) {
    units += batch * rows.fanOut[l];
    if (rows.region[l] !== null) piecewise = true;
  }
  // One allocation for everything (typed arrays above 64 bytes are slow to allocate one by one):
  // numbers, then flags (ok per D, bad and accepted per entry).
  const floats = 4 * units + batch + (piecewise ? 5 : 4) * size;
  const memory = new ArrayBuffer(8 * floats + units + 2 * size);
  const numbers = new Float64Array(memory, 0, floats);
  const rowLosses = numbers.subarray(4 * units, 4 * units + batch);
  const bytes = new Uint8Array(memory, 8 * floats);
  for (let n = 0; n < batch; n++) rowLosses[n] = rowLoss(rows.prediction, n * width, targets, n * width, width, scale);
  // The engine computes in float64; each row's share of the loss, moved from layer l on, has its own
  // rounding bound (claimed-rounding.ts).
  const rowSettings: (EstimatorSettings[] | undefined)[] = [];
  const settingsFrom = (l: number): EstimatorSettings[] =>
    (rowSettings[l] ??= networkRowLossRounding(c, 'float64', l, envelopes).map((lossRounding) => ({ levels: s.levels, precision: 'float64', lossRounding })));
  const { d: D, e: E, f: F, h: H, ok, chained } = preActivationDerivatives(rows, targets, scale, rowLosses, { derivatives: numbers.subarray(0, 4 * units), flags: bytes.subarray(0, units) }, s.levels, settingsFrom);

  // 2. Kink-free radii (ReLU networks only): 1/radius per pre-activation.
  const margins = piecewise ? new KinkMargins(rows) : null;
  const inverseRadius: Float64Array[] = [];
  if (piecewise) {
    for (let l = 0; l < rows.depth; l++) {
      const m = rows.fanOut[l];
      const inv = new Float64Array(batch * m);
      for (let n = 0; n < batch; n++) for (let j = 0; j < m; j++) inv[n * m + j] = 1 / margins!.unitRadius(n, l, j);
      inverseRadius.push(inv);
    }
  }

  // 3. Combine into every entry.
  const columns = numbers.subarray(4 * units + batch);
  const value = columns.subarray(0, size);
  const error = columns.subarray(size, 2 * size);
  const floor = columns.subarray(2 * size, 3 * size);
  const step = columns.subarray(3 * size, 4 * size);
  const flags = bytes.subarray(units);
  const bad = flags.subarray(0, size);
  /** max over rows of |coefficient| / radius: the entry's stencil must stay below 1 / this. */
  const reach = piecewise ? columns.subarray(4 * size, 5 * size) : null;
  for (let l = 0; l < rows.depth; l++) {
    const k = rows.fanIn[l];
    const m = rows.fanOut[l];
    const input = rows.a[l];
    const [d, e, f, h, good] = [D[l], E[l], F[l], H[l], ok[l]];
    const inv = piecewise ? inverseRadius[l] : null;
    // The sum's own rounding, γ_N·Σ|terms| (Higham), goes straight into the floor.
    const rounding = gamma(batch, unitRoundoff('float64'));
    const wOffset = rows.weightOffset[l];
    const bOffset = rows.biasOffset[l];
    // Smooth layer with every D usable (the common case): only the four sums, steps set afterwards.
    let allGood = inv === null;
    for (let u = 0; u < good.length && allGood; u++) allGood = good[u] === 1;
    for (let u = 0; u < input.length && allGood; u++) allGood = input[u] !== 0;
    for (let n = 0; n < batch; n++) {
      const dRow = n * m;
      for (let i = 0; i < k; i++) {
        const a = input[n * k + i];
        if (a === 0) continue; // the entry's stencil does not move this row
        const aa = Math.abs(a);
        const at = wOffset + i * m;
        if (allGood) {
          for (let j = 0; j < m; j++) {
            const term = a * d[dRow + j];
            value[at + j] += term;
            error[at + j] += aa * e[dRow + j];
            floor[at + j] += (aa * f[dRow + j]) ** 2 + (rounding * term) ** 2;
          }
          continue;
        }
        for (let j = 0; j < m; j++) {
          const term = a * d[dRow + j];
          value[at + j] += term;
          error[at + j] += aa * e[dRow + j];
          floor[at + j] += (aa * f[dRow + j]) ** 2 + (rounding * term) ** 2;
          step[at + j] = Math.max(step[at + j], h[dRow + j]);
          if (good[dRow + j] === 0) bad[at + j] = 1;
          if (inv !== null) reach![at + j] = Math.max(reach![at + j], aa * inv[dRow + j]);
        }
      }
      if (bOffset >= 0) {
        for (let j = 0; j < m; j++) {
          const at = bOffset + j;
          const term = d[dRow + j];
          value[at] += term;
          error[at] += e[dRow + j];
          floor[at] += f[dRow + j] ** 2 + (rounding * term) ** 2;
          step[at] = Math.max(step[at], h[dRow + j]);
          if (good[dRow + j] === 0) bad[at] = 1;
          if (reach !== null) reach[at] = Math.max(reach[at], inv![dRow + j]);
        }
      }
    }
    if (allGood) {
      // No zero coefficient: every row moves every entry, so an entry's step is its column's largest.
      for (let j = 0; j < m; j++) {
        let largest = 0;
        for (let n = 0; n < batch; n++) largest = Math.max(largest, h[n * m + j]);
        for (let i = 0; i < k; i++) step[wOffset + i * m + j] = largest;
      }
    }
  }
  if (includeInputs) {
    const k = rows.fanIn[0];
    const m = rows.fanOut[0];
    const weights = c.params;
    const wOffset = rows.weightOffset[0];
    const [d, e, f, h, good] = [D[0], E[0], F[0], H[0], ok[0]];
    const rounding = gamma(m, unitRoundoff('float64'));
    // D_1 of one row by the chain rule share their rounding: added linearly, then squared (pre-activation-derivatives.ts).
    const shared = chained[0];
    for (let n = 0; n < batch; n++) {
      for (let i = 0; i < k; i++) {
        const at = p + n * k + i;
        let linear = 0;
        for (let j = 0; j < m; j++) {
          const wij = weights[wOffset + i * m + j];
          if (wij === 0) continue;
          const term = wij * d[n * m + j];
          value[at] += term;
          error[at] += Math.abs(wij) * e[n * m + j];
          if (shared) {
            linear += Math.abs(wij) * f[n * m + j];
            floor[at] += (rounding * term) ** 2;
          } else floor[at] += (Math.abs(wij) * f[n * m + j]) ** 2 + (rounding * term) ** 2;
          step[at] = Math.max(step[at], h[n * m + j]);
          if (good[n * m + j] === 0) bad[at] = 1;
        }
        floor[at] += linear * linear;
        if (reach !== null) reach[at] = 1 / margins!.inputRadius(n, i);
      }
    }
  }

  // The rounding of different D's comes from different stencils: independent errors, which under the
  // loss-rounding model (Higham and Mary's, engine/gradient-envelope.ts) add in quadrature, as the
  // summation's own roundings do. Their bounds already carry the model's confidence factor λ.
  for (let at = 0; at < size; at++) floor[at] = Math.sqrt(floor[at]);

  // 4. Accept what the entry-by-entry check would pass (`acceptable`).
  const accepted = flags.subarray(size, 2 * size);
  let acceptedCount = 0;
  const baseStep = stepFactor(2 + 2 * s.levels); // the estimator's base step is this × stepScale(θ, gain)
  const gain = known.gains ?? coordinateGains(network, c.params, rows.a, batch, includeInputs);
  // The entry-by-entry check's settings per tensor layer (1-based; 0 the inputs), as check-gradients.ts builds them.
  const byLayer = (lossRoundingByLayer ?? networkLayerLossRounding(c, 'float64', envelopes)).map((lossRounding): EstimatorSettings => ({ levels: s.levels, precision: 'float64', lossRounding }));
  const entryLayer = (at: number): number => {
    if (at >= p) return 0;
    let l = 0;
    while (l + 1 < rows.depth && at >= rows.weightOffset[l + 1]) l++;
    return l + 1;
  };
  for (let at = 0; at < size; at++) {
    if (bad[at] === 1) continue;
    const v = value[at];
    if (!Number.isFinite(v) || !Number.isFinite(error[at]) || !Number.isFinite(floor[at])) continue;
    const x = at < p ? c.params[at] : c.inputs.data[at - p];
    // The entry-by-entry stencil's largest step must cross no kink.
    if (reach !== null && !(baseStep * stepScale(x, gain[at]) * (1 + 1e-9) * reach[at] < 1)) continue;
    const least = leastCentralUncertainty(loss, x, byLayer[entryLayer(at)], gain[at]);
    if (acceptable(claimed[at], v, error[at] + floor[at], least, s.tolerances, claimedRounding ? claimedRounding[at] : 0)) {
      accepted[at] = 1;
      acceptedCount++;
    }
  }
  return { accepted, value, truncation: error, rounding: floor, step, acceptedCount, entries: size };
}

/**
 * Whether the screen settles an entry (numeric value v, uncertainty u) as a pass, either way by the judge:
 * - strict: the judge passes the claim against both ends v ± u as exact values (its own error budget
 *   charged against the claim): if both estimates are within their uncertainty of the truth, the
 *   entry-by-entry check passes it too;
 * - or the judge passes the claim on the screen's estimate itself (|claim − v| ≤ u + allowance, the
 *   judge's rule for a converged estimate) and that estimate is at least as precise as any the
 *   entry-by-entry check could produce (u ≤ `least`, its rounding floor at its base step,
 *   `leastCentralUncertainty`). The judge grants an estimate its uncertainty; granting the screen's
 *   smaller one passes no claim further from the truth (allowance + 2u) than the entry-by-entry
 *   check's own rule could (allowance + 2·least). Entries whose |g|·rtol lies below the finite-difference
 *   floor (the rounding-bound entries of a smooth network, 2.9% of the largest bench:compare network's)
 *   are passed by that check only through its wider uncertainty; the screen settles them with its narrower one.
 */
function acceptable(claim: number, v: number, u: number, least: number, t: Tolerances, allowance: number): boolean {
  if (agrees(claim, v - u, 0, t, allowance) && agrees(claim, v + u, 0, t, allowance)) return true;
  return u <= least && agrees(claim, v, u, t, allowance);
}

function emptyScreen(size: number): NetworkScreen {
  const zeros = new Float64Array(size);
  return { accepted: new Uint8Array(size), value: zeros, truncation: zeros, rounding: zeros, step: zeros, acceptedCount: 0, entries: size };
}
