/**
 * `npm run bench:regimes`: the verdict promise on regimes the project's generators (src/arbitraries)
 * do not draw, built here from their own seeded construction (a mulberry32 stream, not fast-check):
 *
 *   npx tsx bench/regimes.ts [--cases N] [--seed S] [--write]
 *
 * - trained: ReLU and sigmoid networks with one and two hidden layers, trained with plain gradient
 *   descent on the engine's own gradients (a step halved whenever the loss rises) until the loss is ~0
 *   (≤ 1e-30) or stops falling, interpolating a small dataset (6 points in 2-D). Training drives ReLU
 *   pre-activations onto their kinks and residuals to rounding;
 * - small integers: ReLU networks whose weights, biases, inputs and targets are integers in −3…3, so
 *   pre-activations are integers and many are exactly 0 (units on their kinks, several at once);
 * - unnormalised inputs: inputs of size s = 1e3, 1e4, 1e5 with first-layer weights ~1/s
 *   (pre-activations O(1)), sigmoid hidden layers;
 * - loss exactly 0: targets set to the network's own float64 prediction (every residual and gradient 0).
 * For each regime: the full check and fast mode on the engine's gradients (false alarms: `fail`;
 * inconclusive cases; unresolved entries of the full check, by cause, bench/unresolved-causes.ts), and
 * one parameter entry with |g| ≥ 1e-3·max|g| scaled by 1 + r, r = 1e-2 and 1e-3 (caught: `fail`).
 * `--write` replaces the "Regimes outside the generators" section of BENCHMARKS.md.
 */
import { integerCase, stream, trainedCase, unnormalisedCase, zeroLossCase, type Built } from './regime-cases.js';
import { checkNetwork } from '../src/check/strategies/check-network.js';
import type { GradientReport } from '../src/check/report/report.js';
import { describeMachine, loadLine, machineLine, sourceRevision } from './machine.js';
import { markdownTable, writeSection } from './markdown.js';
import { causeLines, explainUnresolved } from './unresolved-causes.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
/** Cases per regime (the small-integer regime draws 10× as many: they are tiny). */
const CASES = flag('--cases', 50);
const SEED = flag('--seed', 20);
const ERRORS = [1e-2, 1e-3];

/** mulberry32: a 32-bit seeded stream, independent of fast-check and of the engine's seedrandom. */
interface Regime {
  readonly name: string;
  readonly cases: number;
  readonly build: (seed: number) => Built;
}

const REGIMES: readonly Regime[] = [
  { name: 'trained to optimum, [2 → relu 16 → 1]', cases: CASES, build: (k) => trainedCase('relu', 1, k) },
  { name: 'trained to optimum, [2 → relu 12 → relu 12 → 1]', cases: CASES, build: (k) => trainedCase('relu', 2, k) },
  { name: 'trained to optimum, [2 → sigmoid 16 → 1]', cases: CASES, build: (k) => trainedCase('sigmoid', 1, k) },
  { name: 'trained to optimum, [2 → sigmoid 12 → sigmoid 12 → 1]', cases: CASES, build: (k) => trainedCase('sigmoid', 2, k) },
  { name: 'small integers (−3…3), ReLU', cases: 10 * CASES, build: integerCase },
  { name: 'unnormalised inputs, s = 1e3', cases: CASES, build: (k) => unnormalisedCase(1e3, k) },
  { name: 'unnormalised inputs, s = 1e4', cases: CASES, build: (k) => unnormalisedCase(1e4, k) },
  { name: 'unnormalised inputs, s = 1e5', cases: CASES, build: (k) => unnormalisedCase(1e5, k) },
  { name: 'loss exactly 0', cases: CASES, build: zeroLossCase },
];

interface Tally {
  cases: number;
  fullAlarms: number;
  fullInconclusive: number;
  fastAlarms: number;
  fastInconclusive: number;
  entries: number;
  unresolved: number;
  planted: number;
  caughtFull: number[];
  caughtFast: number[];
  causes: Map<string, number>;
  notes: string[];
}

/** The engine's gradients with one parameter entry scaled by 1 + r. */
function plantedClaim(parameters: Float64Array, inputs: Float64Array, index: number, r: number): { parameters: Float64Array; inputs: Float64Array } {
  const wrong = parameters.slice();
  wrong[index] *= 1 + r;
  return { parameters: wrong, inputs };
}

/** A parameter entry with |g| ≥ 1e-3·max|g| (g ≠ 0), chosen by the case's stream; −1 when every gradient is 0. */
function plantIndex(g: Float64Array, random: () => number): number {
  let max = 0;
  for (const x of g) max = Math.max(max, Math.abs(x));
  if (max === 0) return -1;
  const eligible: number[] = [];
  g.forEach((x, i) => {
    if (Math.abs(x) >= 1e-3 * max) eligible.push(i);
  });
  return eligible[Math.floor(random() * eligible.length)];
}

function note(report: GradientReport, label: string, what: string): string {
  const first = report.failures[0] ?? report.unresolved[0];
  return `${what} (${label})${first ? `: ${first.tensor}[${first.row},${first.col}] claimed ${first.claimed.toPrecision(6)}, numeric ${first.numeric.toPrecision(6)}` : ''}`;
}

function runRegime(regime: Regime, index: number): Tally {
  const t: Tally = { cases: 0, fullAlarms: 0, fullInconclusive: 0, fastAlarms: 0, fastInconclusive: 0, entries: 0, unresolved: 0, planted: 0, caughtFull: ERRORS.map(() => 0), caughtFast: ERRORS.map(() => 0), causes: new Map(), notes: [] };
  for (let k = 0; k < regime.cases; k++) {
    const seed = SEED * 1_000_003 + index * 10_007 + k;
    const { c, label } = regime.build(seed);
    const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
    const claimed = { parameters: g.parameters, inputs: g.inputs };
    const full = checkNetwork(c, { claimed });
    const fast = checkNetwork(c, { claimed, strategy: 'fast', seed });
    t.cases++;
    t.entries += full.counts.checked;
    t.unresolved += full.counts.unresolved;
    if (full.verdict === 'fail') t.fullAlarms++;
    if (full.verdict === 'inconclusive') t.fullInconclusive++;
    if (fast.verdict === 'fail') t.fastAlarms++;
    if (fast.verdict === 'inconclusive') t.fastInconclusive++;
    if (full.verdict !== 'pass' && t.notes.length < 3) t.notes.push(note(full, `seed ${seed}, ${label}`, `full ${full.verdict}`));
    if (fast.verdict !== 'pass' && t.notes.length < 3) t.notes.push(note(fast, `seed ${seed}, ${label}`, `fast ${fast.verdict}`));
    for (const x of explainUnresolved(c, claimed, 'float64', full.unresolved)) {
      const key = x.units > 1 ? `${x.cause} [${x.units} units]` : x.cause;
      t.causes.set(key, (t.causes.get(key) ?? 0) + 1);
    }
    const at = plantIndex(g.parameters, stream(seed ^ 0x5eed));
    if (at < 0) continue;
    t.planted++;
    ERRORS.forEach((r, j) => {
      const wrong = plantedClaim(g.parameters, g.inputs, at, r);
      if (checkNetwork(c, { claimed: wrong }).verdict === 'fail') t.caughtFull[j]++;
      if (checkNetwork(c, { claimed: wrong, strategy: 'fast', seed }).verdict === 'fail') t.caughtFast[j]++;
    });
  }
  return t;
}

const pct = (a: number, b: number): string => {
  if (b === 0) return '-';
  if (a === b) return '100%';
  const p = (100 * a) / b;
  return p >= 10 ? `${p.toFixed(1)}%` : `${p.toPrecision(2)}%`;
};

function main(): void {
  const machine = describeMachine();
  const started = performance.now();
  const load = loadLine();
  const rows: string[][] = [];
  const details: string[] = [];
  REGIMES.forEach((regime, i) => {
    const t0 = performance.now();
    const t = runRegime(regime, i);
    const seconds = (performance.now() - t0) / 1000;
    process.stderr.write(`regimes: ${regime.name} done in ${seconds.toFixed(1)} s\n`);
    rows.push([
      regime.name,
      String(t.cases),
      String(t.fullAlarms),
      `${t.fullInconclusive} (${pct(t.fullInconclusive, t.cases)})`,
      `${t.unresolved} of ${t.entries.toLocaleString('en-US')} (${pct(t.unresolved, t.entries)})`,
      String(t.fastAlarms),
      `${t.fastInconclusive} (${pct(t.fastInconclusive, t.cases)})`,
      ...ERRORS.map((_, j) => `${pct(t.caughtFull[j], t.planted)} / ${pct(t.caughtFast[j], t.planted)}`),
      `${seconds.toPrecision(3)} s`,
    ]);
    const causes = causeLines(t.causes);
    if (causes.length > 0 || t.notes.length > 0) details.push(`- ${regime.name}: ${[...causes, ...t.notes].join('; ')}`);
  });
  const total = ((performance.now() - started) / 1000).toFixed(0);
  const context = [
    `\`npx tsx bench/regimes.ts${args.length ? ` ${args.join(' ')}` : ''}\` (\`npm run bench:regimes\`). ${machineLine(machine)}; ${load} at the start; ${sourceRevision()}; ${total} s in all.`,
    `Cases built by bench/regimes.ts itself (a mulberry32 stream, seed ${SEED}; not the project's generators): ${CASES} per regime (${10 * CASES} small-integer cases). The engine's own float64 gradients, checked by \`checkNetwork\` (full check, every entry of θ and x, rtol 1e-6) and in fast mode; planted: one parameter entry with |g| ≥ 1e-3·max|g| scaled by 1 + r (caught = \`fail\`; full / fast).`,
  ].join('\n\n');
  const table = markdownTable(
    ['regime', 'cases', 'false alarms (full)', 'inconclusive (full)', 'unresolved entries (full)', 'false alarms (fast)', 'inconclusive (fast)', ...ERRORS.map((r) => `caught at r = ${r} (full / fast)`), 'time'],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', ...ERRORS.map(() => 'r' as const), 'r'],
  );
  const body = `${context}\n\n${table}\n\n${details.length ? `Unresolved entries by cause (bench/unresolved-causes.ts) and the first cases not passing:\n\n${details.join('\n')}\n` : 'Every case passed, full and fast.\n'}`;
  process.stdout.write(`${body}\n`);
  if (args.includes('--write')) writeSection(new URL('../BENCHMARKS.md', import.meta.url).pathname, 'Regimes outside the generators', body);
}

main();
