/**
 * When an implementation fails, says whether a different declared convention would make it pass:
 * negated gradients, a learning-rate factor (an update), a reduction factor (2, ½, the element count or
 * batch size), transposed square weights. A hint is only given after the claimed values, re-read with
 * that convention, pass the checker against the reference engine with the report's tolerances.
 */
import { Network } from '../engine/network.js';
import { matrixFromRows } from '../engine/matrix.js';
import { reductions, type Reduction } from '../engine/loss.js';
import { checkNetwork } from '../check/strategies/check-network.js';
import { compareLoss } from '../check/objective/loss-comparison.js';
import type { NetworkCase } from '../check/objective/network-objective.js';
import { returnedScale, type Conventions } from './conventions.js';
import type { ClaimedGradients } from './gradient-case.js';
import type { ImplementationReport } from './check-implementation.js';
import type { LayerParameters } from './implementation.js';

/** A declaration under which the claimed gradients would pass: a mismatch of conventions rather than a bug. */
export interface ConventionHint {
  /** The convention fields to declare instead (only those that change). */
  readonly declare: Partial<Conventions>;
  /** One sentence, e.g. "these match if negated — declare returns: 'negative-gradient'". */
  readonly text: string;
}

interface Candidate {
  readonly declare: Partial<Conventions>;
  /** Conventions changed: layout, returns (with its rate), reduction. */
  readonly changes: number;
  readonly reasons: readonly string[];
  readonly claimed: ClaimedGradients;
  readonly loss?: number;
  readonly reduction: Reduction;
  /** The case as this reading sees it (the weights in the layout it declares). */
  readonly nc: NetworkCase;
}

/** A loose first filter before the real check: re-read values must be within 0.1% of the reference. */
const SCREEN = 1e-3;

/**
 * Hints for a failed report, simplest first (fewest changed fields); [] when it passed or nothing fits.
 * `reference` (the engine's `network.gradients(...)` for the case) is computed when not given.
 */
export function conventionHints(report: ImplementationReport, reference?: { readonly parameters: Float64Array }): ConventionHint[] {
  if (report.verdict === 'pass') return [];
  const declared = report.conventions;
  const network = new Network(report.case.network);
  const nc: NetworkCase = {
    network,
    params: flatFromLayers(network, report.case.parameters, declared.weightLayout),
    inputs: matrixFromRows(report.case.inputs),
    targets: matrixFromRows(report.case.targets),
    reduction: report.case.reduction,
  };
  const references = new Map<string, Float64Array>();
  const referenceFor = (r: Reduction, at: NetworkCase = nc): Float64Array => {
    const key = `${r}:${at === nc ? 'declared' : 'other'}`;
    if (!references.has(key)) {
      references.set(key, r === nc.reduction && at === nc && reference ? reference.parameters : network.gradients(at.params, at.inputs, at.targets, r).parameters);
    }
    return references.get(key)!;
  };
  const candidates = [...enumerate(report, nc, referenceFor)];
  for (let n = 1; n <= 3; n++) {
    const passing = candidates.filter((c) => c.changes === n && screens(c.claimed.parameters, referenceFor(c.reduction, c.nc), SCREEN) && confirms(report, c));
    if (passing.length > 0) return passing.map(toHint);
  }
  return [];
}

function* enumerate(report: ImplementationReport, nc: NetworkCase, referenceFor: (r: Reduction, at?: NetworkCase) => Float64Array): Generator<Candidate> {
  const declared = report.conventions;
  const layouts: { declare: Partial<Conventions>; reasons: string[]; claimed: ClaimedGradients; nc: NetworkCase }[] = [{ declare: {}, reasons: [], claimed: report.claimed, nc }];
  if (nc.network.layers.every((l) => l.inputs === l.outputs) && nc.network.layers.some((l) => l.inputs > 1)) {
    // Only square weights can be read in the wrong layout without a shape error; 1×1 ones look the same either way.
    const weightLayout = declared.weightLayout === 'in-out' ? 'out-in' : 'in-out';
    // Read in the other layout, the case's weights are transposed too: the implementation computed at those.
    const other = { ...nc, params: flatFromLayers(nc.network, report.case.parameters, weightLayout) };
    layouts.push({ declare: { weightLayout }, reasons: ['the weights are read transposed'], claimed: transposeWeights(nc.network, report.claimed), nc: other });
  }
  const batchCount = nc.inputs.rows;
  for (const layout of layouts) {
    for (const reduction of reductions) {
      // The implementation's values stay the same; a per-sample sum is weighted by 1/N for `mean` only.
      const weight = declared.batch === 'per-sample' ? perSampleWeight(reduction, batchCount) / perSampleWeight(nc.reduction, batchCount) : 1;
      const reductionChange = reduction === nc.reduction ? {} : { reduction };
      const reductionReason = reduction === nc.reduction ? [] : [`read as gradients of the '${reduction}' loss, ${factorName(nc.reduction, reduction, nc)}`];
      const ref = referenceFor(reduction, layout.nc);
      for (const returns of returnsOptions(declared, scale(layout.claimed, weight).parameters, ref, report.report.tolerances.rtol)) {
        const factor = (weight * returnedScale(declared)) / returnedScale(returns.conventions);
        yield {
          declare: { ...layout.declare, ...returns.declare, ...reductionChange },
          changes: layout.reasons.length + returns.reasons.length + reductionReason.length,
          reasons: [...layout.reasons, ...returns.reasons, ...reductionReason],
          claimed: scale(layout.claimed, factor),
          loss: report.loss === undefined ? undefined : report.loss.claimed * weight,
          reduction,
          nc: layout.nc,
        };
      }
    }
  }
}

/** The declared `returns`, then each alternative; an update's rate is fitted, then shortened. */
function* returnsOptions(declared: Conventions, claimed: Float64Array, ref: Float64Array, rtol: number): Generator<{ conventions: Conventions; declare: Partial<Conventions>; reasons: string[] }> {
  yield { conventions: declared, declare: {}, reasons: [] };
  const raw = returnedScale(declared); // what the implementation returned is raw · dL/dθ as read
  if (declared.returns !== 'gradient') {
    yield { conventions: { ...declared, returns: 'gradient', learningRate: undefined }, declare: { returns: 'gradient' }, reasons: [declared.returns === 'negative-gradient' ? 'negated' : 'read as plain gradients, not updates'] };
  }
  if (declared.returns !== 'negative-gradient') {
    yield { conventions: { ...declared, returns: 'negative-gradient', learningRate: undefined }, declare: { returns: 'negative-gradient' }, reasons: [declared.returns === 'gradient' ? 'negated' : 'read as negative gradients, not updates'] };
  }
  const fit = dot(claimed, ref) / dot(ref, ref); // claimed ≈ fit · ref
  const rate = -raw * fit; // returned ≈ −rate · ref
  if (!(rate > 0) || !Number.isFinite(rate) || rate === 1) return;
  // Rates people write are short decimals: the shortest one within the check's relative tolerance.
  const learningRate = shortest(rate, (lr) => screens(Float64Array.from(claimed, (v) => (v * raw) / -lr), ref, Math.max(rtol, 1e-12)));
  if (declared.returns === 'update' && learningRate === declared.learningRate) return;
  const declare: Partial<Conventions> = declared.returns === 'update' ? { learningRate } : { returns: 'update', learningRate };
  const reason = declared.returns === 'update' ? `read as updates with learning rate ${learningRate}, not ${declared.learningRate}` : `read as updates −${learningRate}·gradient`;
  yield { conventions: { ...declared, returns: 'update', learningRate }, declare, reasons: [reason] };
}

function confirms(report: ImplementationReport, c: Candidate): boolean {
  const nc = c.nc;
  const options = { rtol: report.report.tolerances.rtol, atol: report.report.tolerances.atol, levels: report.report.levels, precision: report.report.precision };
  const candidateCase = { ...nc, reduction: c.reduction };
  if (checkNetwork(candidateCase, { ...options, claimed: c.claimed, includeInputs: c.claimed.inputs !== undefined }).verdict !== 'pass') return false;
  if (c.loss === undefined) return true;
  return compareLoss(c.loss, nc, report.report.precision, report.report.tolerances, c.reduction).agrees;
}

function toHint(c: Candidate): ConventionHint {
  const fields = Object.entries(c.declare).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : v}`);
  return { declare: c.declare, text: `these match if ${c.reasons.join(' and ')} — declare ${fields.join(', ')}` };
}

/** Whether every entry is within `relative` × the largest reference entry. */
function screens(claimed: Float64Array, ref: Float64Array, relative: number): boolean {
  let scaleOf = 0;
  for (const r of ref) scaleOf = Math.max(scaleOf, Math.abs(r));
  if (scaleOf === 0) return false;
  for (let i = 0; i < ref.length; i++) if (!(Math.abs(claimed[i] - ref[i]) <= relative * scaleOf)) return false;
  return true;
}

/** The fewest significant digits of x that still pass `ok` (x itself otherwise). */
function shortest(x: number, ok: (v: number) => boolean): number {
  for (let digits = 1; digits <= 17; digits++) {
    const v = Number(x.toPrecision(digits));
    if (ok(v)) return v;
  }
  return x;
}

/** How the `to` loss relates to the `from` loss: `2 × the 'half-sum' loss`, `6 × the 'mean' loss (the 3×2 element count)`. */
function factorName(from: Reduction, to: Reduction, nc: NetworkCase): string {
  const n = nc.inputs.rows;
  const count = nc.targets.data.length;
  const what = count === n ? 'the batch size' : `the ${n}×${count / n} element count`;
  const factors: Record<string, [string, string]> = {
    'half-sum→sum': ['2', ''],
    'sum→half-sum': ['½', ''],
    'mean→sum': [`${count}`, ` (${what})`],
    'sum→mean': [`1/${count}`, ` (1 over ${what})`],
    'mean→half-sum': [`${count / 2}`, ` (half ${what})`],
    'half-sum→mean': [`2/${count}`, ` (2 over ${what})`],
  };
  const [factor, why] = factors[`${from}→${to}`];
  return `${factor} × the '${from}' loss${why}`;
}

function perSampleWeight(reduction: Reduction, n: number): number {
  return reduction === 'mean' ? 1 / n : 1;
}

function scale(claimed: ClaimedGradients, factor: number): ClaimedGradients {
  return {
    parameters: Float64Array.from(claimed.parameters, (v) => v * factor),
    inputs: claimed.inputs && Float64Array.from(claimed.inputs, (v) => v * factor),
  };
}

function transposeWeights(network: Network, claimed: ClaimedGradients): ClaimedGradients {
  const parameters = Float64Array.from(claimed.parameters);
  for (const layer of network.layers) {
    const n = layer.outputs;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) parameters[layer.weightOffset + i * n + j] = claimed.parameters[layer.weightOffset + j * n + i];
  }
  return { parameters, inputs: claimed.inputs };
}

/** The flat parameter vector (W in-out, row-major, then b, per layer) from a case's layers. */
function flatFromLayers(network: Network, layers: readonly LayerParameters[], layout: Conventions['weightLayout']): Float64Array {
  const flat = new Float64Array(network.parameterCount);
  network.layers.forEach((layer, l) => {
    const { W, b } = layers[l];
    for (let i = 0; i < layer.inputs; i++) {
      for (let j = 0; j < layer.outputs; j++) flat[layer.weightOffset + i * layer.outputs + j] = layout === 'in-out' ? W[i][j] : W[j][i];
    }
    if (layer.bias && b) flat.set(b, layer.biasOffset);
  });
  return flat;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
