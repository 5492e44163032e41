/**
 * The root probe's resolution on a network case (docs/fast-mode.md, "What it finds"): fast mode's
 * first probe over all of θ, with the weights and settings fast mode uses, and its resolution
 * ρ_G = 2·(U + R_G) + atol·Σ|vᵢ| (atol 0 by default). A single wrong entry whose error exceeds 2·ρ_G
 * cannot be missed; below it nothing is promised. For the fast-mode benchmark's prediction and the
 * property that holds fast mode to that promise, not for the check itself.
 */
import { prepareNetworkCheck, type NetworkCheckOptions } from './check-network.js';
import type { NetworkCase } from '../objective/network-objective.js';
import { GroupProbe, type ProbeOutcome } from './group-probe.js';
import { resolveCheckOptions } from './check-options.js';
import { probeWeights } from './targeted-probes.js';
import { EstimateWorkspace } from '../numerics/estimator.js';

export interface RootProbe {
  /** The root probe's outcome on the case's claim. */
  readonly outcome: ProbeOutcome;
  /** ρ_G, with R_G always counted (the probe itself reads it only when it is needed). */
  readonly resolution: number;
}

export function rootProbeResolution(c: NetworkCase, options: NetworkCheckOptions = {}): RootProbe {
  const { problem } = prepareNetworkCheck(c, { ...options, strategy: 'fast' });
  const resolved = resolveCheckOptions({ ...options, strategy: 'fast' }, 'checkNetwork');
  const n = problem.objective.point.length;
  const weights = probeWeights(resolved.seed, n);
  const probe = new GroupProbe({ ...problem, claimedRounding: () => problem.claimedRounding }, problem.objective.value(), { ...resolved.estimator, lossRounding: problem.lossRounding }, resolved.tolerances);
  const w = new EstimateWorkspace();
  const place = { tensor: 'θ', layer: 0, kind: 'θ', index: -1, row: -1, col: -1, direction: 0 };
  const result = probe.probeAtBestScale(0, n, weights, new Uint8Array(n), w, place);
  let rounding = 0;
  let weightSum = 0;
  const r = problem.claimedRounding;
  for (let i = 0; i < n; i++) {
    rounding += (r?.[i] ?? 0) * Math.abs(weights[i]);
    weightSum += Math.abs(weights[i]);
  }
  return { outcome: result.outcome, resolution: 2 * (w.truncation + w.rounding + rounding) + resolved.tolerances.atol * weightSum };
}
