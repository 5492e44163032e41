/**
 * Checks gradients of a reference-engine network: by default the engine's own analytic gradients,
 * or any claimed dL/dθ (and dL/dx) for the same network, loss and data.
 */
import { describeNetwork } from '../../engine/dense-layer.js';
import { GradcheckError, rejectUnknownOptions } from '../../errors.js';
import { checkGradients } from './check-gradients.js';
import type { EntryScreen, GradientProblem } from './gradient-problem.js';
import { describeShapes, validateProblem } from './validate-problem.js';
import { validateNetworkCase } from '../objective/validate-case.js';
import { CHECK_OPTION_KEYS, resolveCheckOptions, type CheckOptions } from './check-options.js';
import { incrementalNetworkObjective } from '../objective/incremental-network-objective.js';
import { networkObjective, type NetworkCase } from '../objective/network-objective.js';
import type { GradientReport } from '../report/report.js';
import { NetworkRows } from '../objective/row-propagation.js';
import { screenNetwork } from './screen-network.js';
import { LossEnvelopes, networkClaimedRounding, networkLayerLossRounding, networkLossRounding } from '../objective/claimed-rounding.js';
import type { Precision } from '../numerics/precision.js';
import type { LossRounding } from '../numerics/rounding.js';
import { networkConventionIntervals, type ConventionIntervals } from '../objective/convention-intervals.js';

/** Options of `checkNetwork`: every `CheckOptions` field, the claimed gradients, and how the loss is re-evaluated. */
export interface NetworkCheckOptions extends CheckOptions {
  /** Claimed gradients to check instead of the engine's own. `inputs` may be omitted to skip dL/dx. */
  readonly claimed?: { readonly parameters: Float64Array; readonly inputs?: Float64Array };
  /** Also check dL/dx. Default: true unless `claimed` omits inputs. */
  readonly includeInputs?: boolean;
  /**
   * How the loss is re-evaluated at stencil points: `incremental` re-runs only what a perturbation
   * changes (incremental-network-objective.ts; same values to rounding), `plain` the whole forward
   * pass (network-objective.ts). Default `incremental`.
   */
  readonly objective?: 'incremental' | 'plain';
  /**
   * Full mode: a first pass from pre-activation derivatives that accepts only entries passing with their
   * numeric error budget spent as a penalty, or passing on an estimate at least as precise as the
   * entry-by-entry one could be; all others are checked entry by entry (screen-network.ts).
   * The verdict is the entry-by-entry verdict; accepted entries report the first pass's numbers.
   * `auto` screens when θ (parameters and inputs) has at least 20 entries, where it starts to pay:
   * below that the entry-by-entry check is as fast. Default `auto`.
   */
  readonly screen?: boolean | 'auto';
}

/** `screen: 'auto'` screens full checks of at least this many entries. */
export const SCREEN_AUTO_ENTRIES = 20;

export function describeCase(c: Pick<NetworkCase, 'network' | 'inputs' | 'reduction'>): string {
  return `${describeNetwork(c.network.spec)}, batch ${c.inputs.rows}, MSE ${c.reduction}`;
}

/** The fields of `NetworkCheckOptions`. */
export const NETWORK_OPTION_KEYS = [...CHECK_OPTION_KEYS, 'claimed', 'includeInputs', 'objective', 'screen'] as const;

/** The case's rounding models (objective/claimed-rounding.ts), each computed on first read. */
function lazyRounding(c: NetworkCase, includeInputs: boolean, precision: Precision, envelopes: LossEnvelopes): { readonly claimedRounding: Float64Array; readonly lossRoundingByLayer: LossRounding[]; readonly conventions: ConventionIntervals | undefined } {
  let claimed: Float64Array | undefined;
  let byLayer: LossRounding[] | undefined;
  let conventions: { value: ConventionIntervals | undefined } | undefined;
  return {
    get conventions() {
      return (conventions ??= { value: networkConventionIntervals(c, includeInputs) }).value;
    },
    get claimedRounding() {
      return (claimed ??= networkClaimedRounding(c, includeInputs, precision));
    },
    get lossRoundingByLayer() {
      return (byLayer ??= networkLayerLossRounding(c, 'float64', envelopes));
    },
  };
}

/**
 * Checks the gradients of a reference-engine network case, entry by entry, against central differences
 * with Richardson extrapolation and an error estimate per entry. Without `claimed` it checks the
 * engine's own backward pass; with it, your gradients (in the engine's flat layout).
 *
 * @param c - the case: network, flat parameters, inputs, targets and reduction.
 * @param options - `NetworkCheckOptions`; misspelt fields are rejected.
 * @returns a `GradientReport` whose verdict is `pass`, `fail` or `inconclusive`.
 * @example
 * ```ts
 * const report = checkNetwork({ network, params, inputs, targets, reduction: 'mean' }, { claimed: { parameters: mine } });
 * console.log(renderReport(report));
 * ```
 */
export function checkNetwork(c: NetworkCase, options: NetworkCheckOptions = {}): GradientReport {
  rejectUnknownOptions('checkNetwork', options, NETWORK_OPTION_KEYS);
  const prepared = prepareNetworkCheck(c, options);
  return checkGradients(prepared.problem, prepared.options, 'checkNetwork');
}

/** What `checkNetwork` hands to `checkGradients`, validated (also used by the benchmarks' numeric-error column). */
export interface PreparedNetworkCheck {
  readonly problem: GradientProblem;
  readonly options: CheckOptions;
  readonly includeInputs: boolean;
  readonly objective: 'incremental' | 'plain';
}

export function prepareNetworkCheck(c: NetworkCase, options: NetworkCheckOptions = {}): PreparedNetworkCheck {
  validateNetworkCase(c, 'checkNetwork');
  c.network.validate('checkNetwork', c.params, c.inputs, c.targets);
  const includeInputs = options.includeInputs ?? (options.claimed ? options.claimed.inputs !== undefined : true);
  const kind = options.objective ?? 'incremental';
  if (kind !== 'incremental' && kind !== 'plain') {
    throw new GradcheckError('checkNetwork', `options.objective is ${JSON.stringify(kind)}; expected "incremental" or "plain"`);
  }
  const screen = options.screen ?? 'auto';
  if (screen !== true && screen !== false && screen !== 'auto') {
    throw new GradcheckError('checkNetwork', `options.screen is ${JSON.stringify(screen)}; expected true, false or "auto"`);
  }
  const rows = kind === 'incremental' || screen !== false ? new NetworkRows(c.network, c.params, c.inputs.data, c.inputs.rows) : undefined;
  const objective = kind === 'plain' ? networkObjective(c, includeInputs) : incrementalNetworkObjective(c, includeInputs, rows);
  let parameters: Float64Array;
  let inputs: Float64Array | undefined;
  if (options.claimed) {
    ({ parameters, inputs } = options.claimed);
  } else {
    const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
    parameters = g.parameters;
    inputs = g.inputs;
  }
  const p = c.network.parameterCount;
  if (parameters.length !== p) {
    throw new GradcheckError('checkNetwork', `claimed.parameters has ${parameters.length} entries; expected ${p} (${describeShapes(c.network.tensors)})`);
  }
  const claimed = new Float64Array(objective.point.length);
  claimed.set(parameters);
  if (includeInputs) {
    if (!inputs || inputs.length !== c.inputs.data.length) {
      throw new GradcheckError('checkNetwork', `claimed.inputs has ${inputs?.length ?? 0} entries; expected ${c.inputs.data.length} (x ${c.inputs.rows}×${c.inputs.cols})`);
    }
    claimed.set(inputs, p);
  }
  const settings = resolveCheckOptions(options, 'checkNetwork');
  // What a correct backward pass in the claimed precision may itself get wrong, entry by entry, and the
  // per-layer loss rounding: each model costs a few backward passes, computed when first read (fast
  // mode reads them only when a probe is not clean or an entry is checked on its own).
  // The loss-rounding envelopes, computed once for the whole loss, its layers and the screen's rows.
  const envelopes = new LossEnvelopes(c);
  const rounding = lazyRounding(c, includeInputs, settings.precision, envelopes);
  let first: EntryScreen | undefined;
  if (settings.strategy === 'full' && (screen === true || (screen === 'auto' && claimed.length >= SCREEN_AUTO_ENTRIES))) {
    validateProblem({ objective, claimed, tensors: objective.tensors }, 'checkNetwork');
    first = screenNetwork(c, includeInputs, claimed, settings, { rows, claimedRounding: rounding.claimedRounding, gains: objective.gains, lossRoundingByLayer: rounding.lossRoundingByLayer, envelopes });
  }
  return {
    // The numeric side is the engine's loss, always float64, whatever the claimed precision.
    problem: {
      objective,
      claimed,
      tensors: objective.tensors,
      screen: first,
      lossPrecision: 'float64',
      lossRounding: networkLossRounding(c, 'float64', 0, envelopes),
      get claimedRounding() {
        return rounding.claimedRounding;
      },
      get lossRoundingByLayer() {
        return rounding.lossRoundingByLayer;
      },
      // The numeric side is the engine's network, so its kinks' conventions are known, whoever claims.
      get conventions() {
        return rounding.conventions;
      },
    },
    options: { label: describeCase(c), ...options },
    includeInputs,
    objective: kind,
  };
}
