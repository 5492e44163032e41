/**
 * Fast mode (docs/fast-mode.md), figures not tests: on bench/compare.ts's networks, with sigmoid and
 * with ReLU hidden layers,
 *   - its time and cost in forward passes on the engine's own (correct) gradients, against the full check;
 *   - the detection of a single entry off by 0.1%: P times, one entry of θ (weights, biases, inputs)
 *     drawn uniformly is scaled by 1 ± 0.001 (sign drawn too) and fast mode runs with seed = the trial;
 *     a trial counts as found when the report names that entry among its failures. The full check
 *     (the same judge entry by entry) runs on the same trials, for the reference;
 *   - the prediction: the share of entries whose 0.1% error exceeds twice the root probe's resolution
 *     2·(U + R_G) + atol·Σ|vᵢ| (each |vᵢ| ≥ ½), where detection is certain, measured on the correct claim.
 *
 *   npx tsx bench/fast-mode.ts            print the table (npm run bench:fast)
 *   --trials <P>                          plants per network (default 60; 20 on the largest)
 *   --write                               also replace the "Fast mode" section of BENCHMARKS.md
 */
import { checkNetwork, prepareNetworkCheck, type NetworkCheckOptions } from '../src/check/strategies/check-network.js';
import { checkGradients } from '../src/check/strategies/check-gradients.js';
import type { NetworkCase } from '../src/check/objective/network-objective.js';
import type { Objective } from '../src/check/objective/objective.js';
import { Network } from '../src/engine/network.js';
import type { ActivationName } from '../src/engine/activation.js';
import { randomMatrix, randomParameters, seededRandom } from '../src/engine/random-parameters.js';
import { rootProbeResolution } from '../src/check/strategies/probe-resolution.js';
import { describeMachine, loadLine, machineLine, sourceRevision } from './machine.js';
import { formatMs, markdownTable, writeSection } from './markdown.js';

const SHAPES: readonly { sizes: readonly number[]; batch: number }[] = [
  { sizes: [4, 3, 2, 1], batch: 1 },
  { sizes: [8, 3, 8], batch: 1 },
  { sizes: [8, 16, 16, 4], batch: 8 },
  { sizes: [32, 64, 64, 10], batch: 16 },
  { sizes: [64, 128, 128, 10], batch: 32 },
];
const RELATIVE_ERROR = 1e-3;

function networkCase(sizes: readonly number[], batch: number, hidden: ActivationName): NetworkCase {
  const network = new Network({ inputs: sizes[0], layers: sizes.slice(1).map((outputs, i) => ({ outputs, activation: i === sizes.length - 2 ? 'identity' : hidden })) });
  // bench/compare.ts's seeds for sigmoid, so its networks are these.
  const random = seededRandom(hidden === 'sigmoid' ? `compare-${sizes.join('-')}-${batch}` : `fast-${hidden}-${sizes.join('-')}-${batch}`);
  return { network, params: randomParameters(network, random), inputs: randomMatrix(batch, sizes[0], random), targets: randomMatrix(batch, sizes[sizes.length - 1], random), reduction: 'mean' };
}

/** Counts the objective's evaluations: `along` is one forward pass (from the first layer it moves), `shifted` a partial one. */
function counted(o: Objective): { objective: Objective; counts: { along: number; shifted: number } } {
  const counts = { along: 0, shifted: 0 };
  const objective: Objective = {
    point: o.point,
    value: () => o.value(),
    along: (d, t) => (counts.along++, o.along(d, t)),
    shifted: (i, t) => (counts.shifted++, o.shifted(i, t)),
    kinkCrossings: o.kinkCrossings && (() => o.kinkCrossings!()),
    kinkDepartures: o.kinkDepartures && (() => o.kinkDepartures!()),
    get kinkAtPoint() {
      return o.kinkAtPoint;
    },
  };
  return { objective, counts };
}

function run(c: NetworkCase, options: NetworkCheckOptions): { verdict: string; failures: Set<number>; along: number; shifted: number } {
  const prepared = prepareNetworkCheck(c, options);
  const { objective, counts } = counted(prepared.problem.objective);
  const problem = Object.create(prepared.problem, { objective: { value: objective } }) as typeof prepared.problem;
  const report = checkGradients(problem, prepared.options, 'checkNetwork');
  return { verdict: report.verdict, failures: new Set(report.failures.filter((f) => f.direction === undefined).map((f) => f.index)), ...counts };
}

function meanMs(call: () => void, budget: number): number {
  call();
  let runs = 0;
  const start = performance.now();
  while (runs < 2 || performance.now() - start < budget) {
    call();
    runs++;
  }
  return (performance.now() - start) / runs;
}

/** The share of entries whose 0.1% error the root probe is certain to see (docs/fast-mode.md). */
function predictedShare(c: NetworkCase): { share: number; resolution: number } {
  const { outcome, resolution } = rootProbeResolution(c);
  const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
  const claimed = [...g.parameters, ...g.inputs];
  let seen = 0;
  for (const gi of claimed) if (RELATIVE_ERROR * Math.abs(gi) > 2 * resolution) seen++;
  return { share: outcome === 'clean' ? seen / claimed.length : NaN, resolution };
}

function measure(c: NetworkCase, trials: number, budget: number) {
  const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
  const claimed = Float64Array.from([...g.parameters, ...g.inputs]);
  const p = g.parameters.length;
  const correct = run(c, { strategy: 'fast' });
  const fastMs = meanMs(() => checkNetwork(c, { strategy: 'fast' }), budget);
  const fullMs = meanMs(() => checkNetwork(c), budget);
  const max = Math.max(...claimed.map(Math.abs));
  const tally = { fast: 0, full: 0, large: 0, largeFast: 0, along: 0, shifted: 0 };
  for (let trial = 0; trial < trials; trial++) {
    const random = seededRandom(`fast-plant-${trial}`);
    const index = Math.floor(random() * claimed.length);
    const wrong = Float64Array.from(claimed);
    wrong[index] *= random() < 0.5 ? 1 - RELATIVE_ERROR : 1 + RELATIVE_ERROR;
    const options = { claimed: { parameters: wrong.subarray(0, p), inputs: wrong.subarray(p) } };
    const fast = run(c, { ...options, strategy: 'fast', seed: trial });
    const full = run(c, options);
    const found = fast.failures.has(index);
    tally.fast += found ? 1 : 0;
    tally.full += full.failures.has(index) ? 1 : 0;
    tally.along += fast.along;
    tally.shifted += fast.shifted;
    if (Math.abs(claimed[index]) >= 1e-3 * max) {
      tally.large++;
      tally.largeFast += found ? 1 : 0;
    }
  }
  return { entries: claimed.length, correct, fastMs, fullMs, tally, trials, predicted: predictedShare(c) };
}

function main(): void {
  const args = process.argv.slice(2);
  const flag = (f: string): string | undefined => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);
  const trials = Number(flag('--trials') ?? 60);
  const budget = 1000 * Number(flag('--budget') ?? 1);
  const rows: string[][] = [];
  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}% (${a}/${b})`);
  for (const hidden of ['sigmoid', 'relu'] as const) {
    for (const shape of SHAPES) {
      const c = networkCase(shape.sizes, shape.batch, hidden);
      const m = measure(c, shape.sizes[1] >= 128 ? Math.min(trials, 20) : trials, budget);
      process.stderr.write(`fast mode: ${hidden} [${shape.sizes}]×${shape.batch} done\n`);
      rows.push([
        `[${shape.sizes.join(',')}]×${shape.batch} ${hidden}`,
        m.entries.toLocaleString('en-US'),
        `${formatMs(m.fastMs)} (${m.correct.verdict})`,
        formatMs(m.fullMs),
        `${m.correct.along} + ${m.correct.shifted}`,
        `${(m.tally.along / m.trials).toFixed(0)} + ${(m.tally.shifted / m.trials).toFixed(0)}`,
        Number.isNaN(m.predicted.share) ? 'root probe not clean' : `${(100 * m.predicted.share).toFixed(1)}%`,
        pct(m.tally.fast, m.trials),
        pct(m.tally.largeFast, m.tally.large),
        pct(m.tally.full, m.trials),
      ]);
    }
  }
  const header = ['network', 'entries', 'fast, correct claim', 'full check', 'forward passes, correct (along + single-entry)', 'forward passes, 0.1% error found', 'predicted certain', 'found: fast', 'found: fast, |g| ≥ 1e-3·max|g|', 'found: full check'];
  const table = markdownTable(header, rows, ['l', ...header.slice(1).map(() => 'r' as const)]);
  const context = `\`npx tsx bench/fast-mode.ts${args.length ? ` ${args.join(' ')}` : ''}\` (\`npm run bench:fast\`). ${machineLine(describeMachine())}; ${loadLine()} at the start; ${sourceRevision()}. Each trial scales one entry of θ, drawn uniformly, by 1 ± 0.001; ${trials} trials per network (at most 20 on the largest). *Forward passes*: the objective's \`along\` calls (a forward pass from the first layer moved) + \`shifted\` calls (one entry's partial pass), per check. *Predicted certain*: the share of entries whose 0.1% error exceeds the root probe's resolution, so that it cannot be missed (docs/fast-mode.md).`;
  process.stdout.write(`${context}\n\n${table}\n`);
  if (args.includes('--write')) writeSection(new URL('../BENCHMARKS.md', import.meta.url).pathname, 'Fast mode', `${context}\n\n${table}\n`);
}

main();
