/**
 * Core benchmark (issue 2), figures not tests:
 *   1. forward+backward time (tinybench) and full-check time (every parameter) of the reference engine
 *      on [4,3,2,1]×1, [8,16,16,4]×8, [32,64,64,10]×16 and [64,128,128,10]×32 (sigmoid hidden layers,
 *      identity output, MSE mean, with biases, seeded parameters and data);
 *   2. over 1,000 seeded random small sigmoid networks, the relative error of the numeric gradient
 *      (the checker's Richardson estimate) against the analytic one, over every entry of dL/dθ and dL/dx.
 *
 *   npx tsx bench/core.ts             print the tables (npm run bench)
 *   --write                           also replace the "Core" section of BENCHMARKS.md
 *   --networks N                      accuracy sweep size (default 1000), for quick runs while developing
 *
 * Full checks are real `checkNetwork` calls with default options, repeated while they fit a small
 * budget; one that takes minutes (as the largest did before the incremental objective and screening)
 * is simply measured once.
 */
import { Bench } from 'tinybench';
import { checkNetwork, SCREEN_AUTO_ENTRIES } from '../src/check/strategies/check-network.js';
import { resolveCheckOptions } from '../src/check/strategies/check-options.js';
import { compareEntry } from '../src/check/report/compare-entry.js';
import { centralDifference } from '../src/check/numerics/central-difference.js';
import { networkObjective, type NetworkCase } from '../src/check/objective/network-objective.js';
import { estimate } from '../src/check/numerics/estimator.js';
import { networkLossRounding } from '../src/check/objective/claimed-rounding.js';
import { relativeError } from '../src/check/numerics/relative-error.js';
import { centralStep } from '../src/check/numerics/step.js';
import { locateIndex, entryName } from '../src/engine/layout.js';
import { Network } from '../src/engine/network.js';
import { randomMatrix, randomParameters, seededRandom, type Random } from '../src/engine/random-parameters.js';
import { describeMachine, loadLine, machineLine, sourceRevision } from './machine.js';
import { formatMs, markdownTable, writeSection } from './markdown.js';

const ARCHITECTURES: readonly { sizes: readonly number[]; batch: number }[] = [
  { sizes: [4, 3, 2, 1], batch: 1 },
  { sizes: [8, 16, 16, 4], batch: 8 },
  { sizes: [32, 64, 64, 10], batch: 16 },
  { sizes: [64, 128, 128, 10], batch: 32 },
];
/** Full checks are repeated while they fit this budget (at least once): the largest runs once. */
const FULL_CHECK_BUDGET_MS = 5_000;
const FULL_CHECK_MAX_RUNS = 5;

function sigmoidNetwork(sizes: readonly number[]): Network {
  return new Network({
    inputs: sizes[0],
    layers: sizes.slice(1).map((outputs, i) => ({ outputs, activation: i === sizes.length - 2 ? ('identity' as const) : ('sigmoid' as const) })),
  });
}

function seededCase(network: Network, batch: number, random: Random): NetworkCase {
  return {
    network,
    params: randomParameters(network, random),
    inputs: randomMatrix(batch, network.inputCount, random),
    targets: randomMatrix(batch, network.outputCount, random),
    reduction: 'mean',
  };
}

function median(sorted: Float64Array | number[]): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface TimingRow {
  readonly name: string;
  readonly parameters: number;
  readonly forwardBackwardMs: number;
  readonly rme: number;
  readonly samples: number;
  readonly fullCheckMs: number;
  readonly fullCheckRuns: number;
  readonly verdict: string;
}

async function timeArchitecture(sizes: readonly number[], batch: number): Promise<TimingRow> {
  const name = `[${sizes.join(',')}]×${batch}`;
  const network = sigmoidNetwork(sizes);
  const c = seededCase(network, batch, seededRandom(`core-timing:${name}`));
  const bench = new Bench({ time: 1_000, warmupTime: 200 });
  bench.add('forward+backward', () => {
    network.gradients(c.params, c.inputs, c.targets, c.reduction);
  });
  await bench.run();
  const result = bench.tasks[0].result!;
  if (result.error) throw result.error;

  // Every parameter entry (dL/dx excluded: "every parameter"), engine gradients as the claim.
  const times: number[] = [];
  let verdict = '';
  let spent = 0;
  while (times.length < FULL_CHECK_MAX_RUNS && (times.length === 0 || spent + times[times.length - 1] < FULL_CHECK_BUDGET_MS)) {
    const t0 = performance.now();
    const report = checkNetwork(c, { includeInputs: false });
    const dt = performance.now() - t0;
    times.push(dt);
    spent += dt;
    verdict = `${report.verdict} (${report.counts.checked - report.counts.failed - report.counts.skipped}/${report.counts.checked})`;
  }
  times.sort((a, b) => a - b);
  return {
    name,
    parameters: network.parameterCount,
    forwardBackwardMs: result.latency.mean,
    rme: result.latency.rme,
    samples: result.latency.samples.length,
    fullCheckMs: median(times),
    fullCheckRuns: times.length,
    verdict,
  };
}

interface AccuracySummary {
  readonly networks: number;
  readonly entries: number;
  readonly richardson: { median: number; p90: number; p99: number; max: number };
  readonly plainCentral: { median: number; max: number };
  readonly worst: string;
  readonly failed: number;
  readonly skipped: number;
  readonly ms: number;
}

/** A random small sigmoid network: 1–6 inputs, 1–3 hidden sigmoid layers of 1–8 units, 1–4 identity outputs, batch 1–8. */
function randomSmallCase(seed: number): NetworkCase {
  const random = seededRandom(`core-accuracy:${seed}`);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const sizes = [int(1, 6)];
  const hidden = int(1, 3);
  for (let l = 0; l < hidden; l++) sizes.push(int(1, 8));
  sizes.push(int(1, 4));
  return seededCase(sigmoidNetwork(sizes), int(1, 8), random);
}

function accuracySweep(count: number): AccuracySummary {
  const t0 = performance.now();
  const settings = resolveCheckOptions({});
  const richardsonErrors: number[] = [];
  const plainErrors: number[] = [];
  let worst = { error: -1, text: '' };
  let failed = 0;
  let skipped = 0;
  for (let seed = 0; seed < count; seed++) {
    const c = randomSmallCase(seed);
    const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
    const analytic = Float64Array.from([...g.parameters, ...g.inputs]);
    const objective = networkObjective(c, true);
    const f0 = objective.value();
    const crossings = objective.kinkCrossings?.bind(objective);
    const lossRounding = networkLossRounding(c);
    for (let index = 0; index < analytic.length; index++) {
      const x = objective.point[index];
      const evaluate = (t: number): number => objective.shifted(index, t);
      const d = estimate(evaluate, f0, x, { ...settings.estimator, lossRounding }, crossings);
      const { tensor, row, col } = locateIndex(objective.tensors, index);
      const check = compareEntry({ tensor: tensor.name, layer: tensor.layer, kind: tensor.kind, index, row, col }, analytic[index], d, settings.tolerances);
      if (check.status === 'fail') failed++;
      if (check.status === 'skipped' || check.status === 'unresolved') skipped++;
      const error = relativeError(analytic[index], d.value);
      richardsonErrors.push(error);
      plainErrors.push(relativeError(analytic[index], centralDifference(evaluate, centralStep(x), x)));
      if (error > worst.error) {
        worst = {
          error,
          text:
            `seed ${seed}, ${entryName(tensor, row, col)} of ${describeSizes(c)}: analytic ${analytic[index].toExponential(3)}, numeric ${d.value.toExponential(3)}, ` +
            `abs err ${Math.abs(analytic[index] - d.value).toExponential(1)}` +
            (Math.abs(analytic[index]) < 1e-6 ? ' (a tiny true value, so the relative error is dominated by the loss\'s rounding)' : ''),
        };
      }
    }
  }
  const r = Float64Array.from(richardsonErrors).sort();
  const p = Float64Array.from(plainErrors).sort();
  return {
    networks: count,
    entries: r.length,
    richardson: { median: median(r), p90: quantile(r, 0.9), p99: quantile(r, 0.99), max: r[r.length - 1] },
    plainCentral: { median: median(p), max: p[p.length - 1] },
    worst: worst.text,
    failed,
    skipped,
    ms: performance.now() - t0,
  };
}

function describeSizes(c: NetworkCase): string {
  return `[${[c.network.inputCount, ...c.network.layers.map((l) => l.outputs)].join(',')}]×${c.inputs.rows}`;
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const e = (x: number): string => x.toExponential(1);

async function main(): Promise<void> {
  const started = performance.now();
  const machine = describeMachine();
  const networks = argValue('--networks', 1000);
  const loadBefore = loadLine();
  const revision = sourceRevision();
  console.log(`gradcheck core benchmark — ${revision}; ${machineLine(machine)}, ${loadBefore}\n`);

  const timings: TimingRow[] = [];
  for (const { sizes, batch } of ARCHITECTURES) {
    process.stderr.write(`timing [${sizes.join(',')}]×${batch}…\n`);
    timings.push(await timeArchitecture(sizes, batch));
  }
  const timingTable = markdownTable(
    ['network × batch', 'parameters', 'forward+backward (mean ± rme)', 'full check, every parameter', 'check runs', 'verdict'],
    timings.map((t) => [
      t.name,
      String(t.parameters),
      `${formatMs(t.forwardBackwardMs)} ± ${t.rme.toFixed(1)}%`,
      formatMs(t.fullCheckMs),
      String(t.fullCheckRuns),
      t.verdict,
    ]),
    ['l', 'r', 'r', 'r', 'r', 'l'],
  );
  console.log(timingTable, '\n');

  process.stderr.write(`accuracy over ${networks} random networks…\n`);
  const a = accuracySweep(networks);
  const accuracyTable = markdownTable(
    ['estimate', 'entries', 'median rel err', 'p90', 'p99', 'max rel err'],
    [
      ['Richardson, 2 levels (the checker)', String(a.entries), e(a.richardson.median), e(a.richardson.p90), e(a.richardson.p99), e(a.richardson.max)],
      ['plain central, h = ε^(1/3)·max(1, \\|θ\\|)', String(a.entries), e(a.plainCentral.median), '', '', e(a.plainCentral.max)],
    ],
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
  console.log(accuracyTable, '\n');
  const target = a.richardson.median <= 1e-10 ? 'met' : 'NOT met';
  const notes = [
    `- ${a.networks} seeded networks (\`core-accuracy:<seed>\`): 1–6 inputs, 1–3 sigmoid hidden layers of 1–8 units, 1–4 identity outputs, batch 1–8, MSE mean, biases; every entry of dL/dθ and dL/dx.`,
    `- Target median ≤ 1e-10: ${target}. Entries the checker would fail: ${a.failed} of ${a.entries}; skipped: ${a.skipped}.`,
    `- Largest relative error: ${a.worst}.`,
    `- Accuracy sweep: ${formatMs(a.ms)}. Whole benchmark: ${formatMs(performance.now() - started)}; ${loadBefore} at the start, ${loadLine()} at the end.`,
  ].join('\n');
  console.log(notes);

  if (process.argv.includes('--write')) {
    const body = [
      `Command: \`npx tsx bench/core.ts --write\` (\`npm run bench\` prints the same tables), ${new Date().toISOString().slice(0, 10)}.`,
      `Source: ${revision}. Machine: ${machineLine(machine)}.`,
      '',
      '### Time',
      '',
      'Sigmoid hidden layers, identity output, MSE mean, biases, seeded parameters and data (`core-timing:<network>`).',
      'Forward+backward: `network.gradients` (tinybench, 1 s per network, mean latency ± relative margin of error).',
      `Full check: \`checkNetwork(case, { includeInputs: false })\` with default options (mode \`full\`: a verdict for every parameter entry; incremental objective; screening first pass from ${SCREEN_AUTO_ENTRIES} entries, see src/check/strategies/check-network.ts), the engine's gradients as the claim; median of up to ${FULL_CHECK_MAX_RUNS} runs within ${FULL_CHECK_BUDGET_MS / 1000} s (at least one).`,
      'Accuracy: the entry-by-entry estimate (`estimate` on the plain `networkObjective`, default options: central differences at h, h/2, h/4 with h = ε^(1/7)·max(1, |θ|), two Richardson levels) against `network.gradients`.',
      '',
      timingTable,
      '',
      '### Accuracy of the numeric gradient',
      '',
      accuracyTable,
      '',
      notes,
    ].join('\n');
    writeSection(new URL('../BENCHMARKS.md', import.meta.url).pathname, 'Core', body);
    console.log('\nwrote BENCHMARKS.md (## Core)');
  }
}

await main();
