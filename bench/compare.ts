/**
 * gradcheck against torch.autograd.gradcheck (issue 7), figures not tests. On the same networks, weights
 * and data ([4,3,2,1]×1, [8,3,8]×1, [8,16,16,4]×8, [32,64,64,10]×16, [64,128,128,10]×32; sigmoid hidden
 * layers, identity output, MSE mean, every weight, bias and input checked) it times:
 *   - gradcheck's full check (`checkNetwork` with its defaults: every entry verified, screened from 20
 *     entries, see src/check/strategies/screen-network.ts), and the same check with every entry by Richardson
 *     (`screen: false`), and fast mode (`strategy: 'fast'`);
 *   - torch.autograd.gradcheck in slow and fast mode (Debian's python3-torch via /usr/bin/python3, CPU,
 *     float64, one thread, its default eps and tolerances), fed the same numbers as JSON on stdin;
 * and prints time per check, checks per second, the speed-up over torch, each tool's numeric error
 * (max |numeric − analytic| over every entry) and peak memory (maxRSS; each gradcheck network is measured
 * in a fresh process, so its peak is its own). The two tools are measured network by network, side by
 * side (gradcheck's full, every-entry and fast checks of a network, then torch's slow and fast modes on
 * the same network), so that on a shared machine each ratio compares runs made under the same load; the
 * 1-minute load average at each network is printed with it.
 *
 *   npx tsx bench/compare.ts            print the table (npm run bench:compare)
 *   --write                             also replace the "Speed" section of BENCHMARKS.md
 *   --budget <seconds>                  time each measurement for at least this long (default 1)
 *   --no-torch                          skip torch even when it is installed
 *
 * It then prints the custom-functions section (issue 15, bench/compare-functions.ts): checkVjp against
 * torch.autograd.gradcheck on softmax with cross-entropy and a 1-D convolution.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { checkNetwork, SCREEN_AUTO_ENTRIES, type NetworkCheckOptions } from '../src/check/strategies/check-network.js';
import { screenNetwork } from '../src/check/strategies/screen-network.js';
import type { NetworkCase } from '../src/check/objective/network-objective.js';
import { Network } from '../src/engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../src/engine/random-parameters.js';
import { describeMachine, loadLine, machineLine, sourceRevision } from './machine.js';
import { formatMs, markdownTable, writeSection } from './markdown.js';
import { numericGradient } from './numeric-gradient.js';
import { functionsSection } from './compare-functions.js';

const NETWORKS: readonly { sizes: readonly number[]; batch: number }[] = [
  { sizes: [4, 3, 2, 1], batch: 1 },
  { sizes: [8, 3, 8], batch: 1 },
  { sizes: [8, 16, 16, 4], batch: 8 },
  { sizes: [32, 64, 64, 10], batch: 16 },
  { sizes: [64, 128, 128, 10], batch: 32 },
];
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_gradcheck.py', import.meta.url));

const name = (n: (typeof NETWORKS)[number]): string => `[${n.sizes.join(',')}]×${n.batch}`;

function networkCase(index: number): NetworkCase {
  const { sizes, batch } = NETWORKS[index];
  const network = new Network({
    inputs: sizes[0],
    layers: sizes.slice(1).map((outputs, i) => ({ outputs, activation: i === sizes.length - 2 ? ('identity' as const) : ('sigmoid' as const) })),
  });
  const random = seededRandom(`compare-${sizes.join('-')}-${batch}`);
  return { network, params: randomParameters(network, random), inputs: randomMatrix(batch, sizes[0], random), targets: randomMatrix(batch, sizes[sizes.length - 1], random), reduction: 'mean' };
}

/** This process's CPU time (user + system), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Milliseconds per call, CPU (`ms`: the process's user + system time, which other jobs on a shared
 * machine do not inflate) and wall (`wallMs`), repeated for at least `budget` ms of CPU time (at least
 * twice), after warming up for a third of that (at least one call) so that V8 has optimised the loops
 * being timed. Both budgets are CPU time: under load a wall-clock warm-up leaves the process a few calls,
 * too few for V8 to optimise them, and the measurement then counts the unoptimised calls and the
 * compiler threads' work.
 */
function timeCalls(call: () => void, budget: number): { ms: number; wallMs: number; runs: number } {
  const warm = cpuMs();
  do call();
  while (cpuMs() - warm < budget / 3);
  let runs = 0;
  const start = performance.now();
  const cpu = cpuMs();
  while (runs < 2 || cpuMs() - cpu < budget) {
    call();
    runs++;
  }
  return { ms: (cpuMs() - cpu) / runs, wallMs: (performance.now() - start) / runs, runs };
}

interface Timing {
  /** CPU ms per check (see `timeCalls`); `wallMs` the wall-clock figure. */
  readonly ms: number;
  readonly wallMs: number;
  readonly runs: number;
  readonly verdict: string;
}

interface Measurement {
  readonly entries: number;
  readonly full: Timing;
  readonly everyEntry: Timing;
  /** Fast mode: `strategy: 'fast'`. */
  readonly fast: Timing;
  readonly screened: number;
  readonly numericError: number;
  /** maxRSS of a fresh process before and after one full check. */
  readonly baselineRssKb: number;
  readonly fullRssKb: number;
}

/** Child process: measures one network and prints a Measurement as JSON. */
async function measure(index: number, budget: number): Promise<Measurement> {
  const c = networkCase(index);
  const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
  const claimed = Float64Array.from([...g.parameters, ...g.inputs]);
  const run = (options: NetworkCheckOptions, ms: number): Timing => {
    let verdict = '';
    const t = timeCalls(() => (verdict = checkNetwork(c, options).verdict), ms);
    return { ...t, verdict };
  };
  const full = run({}, budget);
  const fast = run({ strategy: 'fast' }, budget);
  // Entry by entry is slow on the largest networks: one timed run there is enough.
  const everyEntry = run({ screen: false }, claimed.length > 20_000 ? 0 : budget);
  const numeric = numericGradient(c, claimed);
  let numericError = 0;
  for (let i = 0; i < claimed.length; i++) numericError = Math.max(numericError, Math.abs(numeric[i] - claimed[i]));
  const screened = claimed.length >= SCREEN_AUTO_ENTRIES ? screenNetwork(c, true, claimed, { levels: 2, tolerances: { rtol: 1e-6, atol: 0 } }).acceptedCount : 0;
  const memory = JSON.parse(execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--memory', String(index)], { encoding: 'utf8' })) as { baselineRssKb: number; fullRssKb: number };
  return { entries: claimed.length, full, everyEntry, fast, screened, numericError, ...memory };
}

/** Child process: one full check, and the process's maxRSS before and after it (repeated timing runs inflate the heap). */
function memory(index: number): { baselineRssKb: number; fullRssKb: number } {
  const c = networkCase(index);
  const baselineRssKb = process.resourceUsage().maxRSS;
  const report = checkNetwork(c);
  if (report.verdict !== 'pass') throw new Error(`${name(NETWORKS[index])}: the full check failed`);
  return { baselineRssKb, fullRssKb: process.resourceUsage().maxRSS };
}

interface TorchResult {
  readonly torch: string;
  readonly threads: number;
  /** `seconds`: wall; `cpu_seconds`: the Python process's CPU time (time.process_time), per check. */
  readonly networks: readonly { name: string; entries: number; slow: { seconds: number; cpu_seconds: number; passed: boolean }; fast: { seconds: number; cpu_seconds: number; passed: boolean }; numeric_error: number; max_rss_kb: number }[];
}

function torchAvailable(): string | null {
  try {
    return execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** torch.autograd.gradcheck on the networks `indices` (one Python process, torch imported once). */
function runTorch(budgetSeconds: number, indices: readonly number[]): TorchResult {
  const networks = indices.map((i) => {
    const n = NETWORKS[i];
    const c = networkCase(i);
    const layers = c.network.layers;
    return {
      name: name(n),
      sizes: n.sizes,
      batch: n.batch,
      weights: layers.map((l) => Array.from(c.params.subarray(l.weightOffset, l.weightOffset + l.inputs * l.outputs))),
      biases: layers.map((l) => Array.from(c.params.subarray(l.biasOffset, l.biasOffset + l.outputs))),
      x: Array.from(c.inputs.data),
      y: Array.from(c.targets.data),
    };
  });
  const out = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify({ networks, budget_seconds: budgetSeconds, threads: 1 }), encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['pipe', 'pipe', 'inherit'] });
  if (out.status !== 0) throw new Error(`${PYTHON} ${SCRIPT} exited with ${out.status}`);
  return JSON.parse(out.stdout) as TorchResult;
}

function measureInChild(index: number, budget: number): Measurement {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--measure', String(index), '--budget', String(budget / 1000)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out) as Measurement;
}

const exp = (x: number): string => (x === 0 ? '0' : x.toExponential(1));
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;
const perSecond = (ms: number): string => Math.round(1000 / ms).toLocaleString('en-US');
const ratio = (a: number, b: number): string => `${(a / b).toPrecision(3)}×`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (f: string): string | undefined => {
    const i = args.indexOf(f);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const budget = 1000 * Number(flag('--budget') ?? 1);
  if (flag('--memory') !== undefined) {
    process.stdout.write(JSON.stringify(memory(Number(flag('--memory')))));
    return;
  }
  if (flag('--measure') !== undefined) {
    process.stdout.write(JSON.stringify(await measure(Number(flag('--measure')), budget)));
    return;
  }
  const machine = describeMachine();
  const load = loadLine();
  const revision = sourceRevision();
  const version = args.includes('--no-torch') ? null : torchAvailable();
  if (version === null) process.stdout.write(`python3-torch is not available at ${PYTHON} (or --no-torch): the comparison with torch.autograd.gradcheck is skipped.\n\n`);
  // Network by network, gradcheck then torch: each pair of figures is taken under the same load.
  const loads: number[] = [];
  const ours: Measurement[] = [];
  const torchRuns: TorchResult[] = [];
  NETWORKS.forEach((n, i) => {
    loads.push(loadavg()[0]);
    ours.push(measureInChild(i, budget));
    process.stderr.write(`gradcheck: ${name(n)} done\n`);
    if (version !== null) torchRuns.push(runTorch(budget / 1000, [i]));
  });
  const torch: TorchResult | null = version === null ? null : { ...torchRuns[0], networks: torchRuns.map((t) => t.networks[0]) };
  const loadAtEnd = loadLine();

  const header = [
    'network',
    'entries',
    'gradcheck full',
    'full checks/s',
    'screened',
    'every entry (screen off)',
    'gradcheck fast',
    'torch slow',
    'torch fast',
    'full vs torch slow',
    'fast vs torch fast',
    'numeric error gradcheck',
    'numeric error torch',
    'peak RSS gradcheck full (growth)',
    'peak RSS torch',
    'load (1 min)',
  ];
  const rows = NETWORKS.map((n, i) => {
    const m = ours[i];
    const t = torch?.networks[i];
    const ok = (v: string): string => (v === 'pass' ? '' : ` (${v})`);
    return [
      name(n),
      m.entries.toLocaleString('en-US'),
      formatMs(m.full.ms) + ok(m.full.verdict),
      perSecond(m.full.ms),
      m.screened > 0 ? `${((100 * m.screened) / m.entries).toFixed(1)}%` : 'no',
      formatMs(m.everyEntry.ms) + ok(m.everyEntry.verdict),
      formatMs(m.fast.ms) + ok(m.fast.verdict),
      t ? formatMs(1000 * t.slow.cpu_seconds) + (t.slow.passed ? '' : ' (fail)') : '-',
      t ? formatMs(1000 * t.fast.cpu_seconds) + (t.fast.passed ? '' : ' (fail)') : '-',
      t ? ratio(1000 * t.slow.cpu_seconds, m.full.ms) : '-',
      t ? ratio(1000 * t.fast.cpu_seconds, m.fast.ms) : '-',
      exp(m.numericError),
      t ? exp(t.numeric_error) : '-',
      `${mb(m.fullRssKb)} (+${mb(m.fullRssKb - m.baselineRssKb)})`,
      t ? mb(t.max_rss_kb) : '-',
      loads[i].toFixed(2),
    ];
  });
  const table = markdownTable(header, rows, ['l', ...header.slice(1).map(() => 'r' as const)]);
  const baseline = Math.min(...ours.map((m) => m.baselineRssKb));
  const context = [
    `\`npx tsx bench/compare.ts${process.argv.slice(2).join(' ') ? ` ${process.argv.slice(2).join(' ')}` : ''}\` (\`npm run bench:compare\`). ${machineLine(machine)}; ${load} at the start, ${loadAtEnd} at the end (column *load*: at the start of each network's pair of measurements); ${revision}.`,
    torch ? `torch ${torch.torch} (Debian python3-torch, ${PYTHON}), CPU, float64, ${torch.threads} thread; gradcheck is single-threaded.` : 'torch: not measured.',
    `Times are CPU time per check (user + system of the measuring process: Node's process.cpuUsage, Python's time.process_time; on a shared machine other jobs stretch wall time but not this; Node's also counts V8's GC and compiler threads), means over at least ${budget / 1000} s of CPU time of repeated checks after a warm-up of a third of that (torch: at least ${budget / 1000} s wall, no warm-up) (one run for the entry-by-entry check of the largest network); each network is measured by gradcheck and then by torch before the next network, so each ratio compares runs under the same load. Peak RSS gradcheck: maxRSS of a fresh process (Node with the tsx loader, about ${mb(baseline)} before the check) after one full check, and the growth the check caused; torch: maxRSS of the Python process after all its checks of that network (about 240 MB with torch imported).`,
  ].join('\n');
  const targets = targetLines(ours, torch);
  process.stdout.write(`${context}\n\n${table}\n\n${targets}\n`);
  // Issue 15: the same comparison for custom functions (bench/compare-functions.ts).
  process.stdout.write(`\n${functionsSection(budget, version !== null)}`);
  if (args.includes('--write')) writeSection(new URL('../BENCHMARKS.md', import.meta.url).pathname, 'Speed', `${context}\n\n${table}\n\n${targets}\n\n${NOTES}`);
}

/** Issue 7's targets, each with the figure this run measured and whether it is met. */
function targetLines(ours: readonly Measurement[], torch: TorchResult | null): string {
  const met = (ok: boolean): string => (ok ? 'met' : '**not met**');
  const lines = ['Targets (issue 7), from this run:'];
  const notebook = [0, 1].map((i) => ({ n: name(NETWORKS[i]), rate: 1000 / ours[i].full.ms }));
  lines.push(`- notebook-size networks ≥ 20,000 full checks/s on one core: ${notebook.map((x) => `${x.n} ${perSecond(1000 / x.rate)}/s`).join(', ')}: ${met(notebook.every((x) => x.rate >= 20_000))}.`);
  lines.push(`- ${name(NETWORKS[3])} full check ≤ 60 ms: ${formatMs(ours[3].full.ms)}: ${met(ours[3].full.ms <= 60)}.`);
  lines.push(`- ${name(NETWORKS[4])} full check ≤ 0.5 s: ${formatMs(ours[4].full.ms)}: ${met(ours[4].full.ms <= 500)}.`);
  if (torch) {
    const speedups = NETWORKS.map((_, i) => (1000 * torch.networks[i].slow.cpu_seconds) / ours[i].full.ms);
    const accurate = NETWORKS.every((_, i) => ours[i].numericError <= torch.networks[i].numeric_error);
    lines.push(
      `- ≥ 10× faster than torch's slow mode on every network, at equal or better accuracy: ${ratio(Math.min(...speedups), 1)} to ${ratio(Math.max(...speedups), 1)}; numeric error ${exp(Math.min(...ours.map((m) => m.numericError)))}–${exp(Math.max(...ours.map((m) => m.numericError)))} against torch's ${exp(Math.min(...torch.networks.map((t) => t.numeric_error)))}–${exp(Math.max(...torch.networks.map((t) => t.numeric_error)))}: ${met(speedups.every((x) => x >= 10) && accurate)}.`,
    );
  } else {
    lines.push('- ≥ 10× faster than torch: not measured (python3-torch absent).');
  }
  const largest = ours[4];
  lines.push(`- peak memory under 100 MB for the largest: ${mb(largest.fullRssKb)} (the check itself +${mb(largest.fullRssKb - largest.baselineRssKb)}): ${met(largest.fullRssKb < 100 * 1024)}.`);
  if (torch) {
    // Issue 20's figures for the same run.
    const full = NETWORKS.map((_, i) => (1000 * torch.networks[i].slow.cpu_seconds) / ours[i].full.ms);
    const fast = NETWORKS.map((_, i) => ours[i].fast.ms / (1000 * torch.networks[i].fast.cpu_seconds));
    lines.push('', 'Targets (issue 20), from this run:');
    lines.push(`- full check ≥ 100× torch slow on every network: ${full.map((x, i) => `${name(NETWORKS[i])} ${ratio(x, 1)}`).join(', ')}: ${met(full.every((x) => x >= 100))}.`);
    lines.push(`- ${name(NETWORKS[4])} full check ≤ 150 ms: ${formatMs(ours[4].full.ms)}: ${met(ours[4].full.ms <= 150)}.`);
    lines.push(`- ≥ 50,000 full checks/s at notebook size: ${[0, 1].map((i) => `${name(NETWORKS[i])} ${perSecond(ours[i].full.ms)}/s`).join(', ')}: ${met([0, 1].every((i) => 1000 / ours[i].full.ms >= 50_000))}.`);
    lines.push(`- fast mode no slower than 3× torch fast on every network (gradcheck fast time / torch fast time): ${fast.map((x, i) => `${name(NETWORKS[i])} ${ratio(x, 1)}`).join(', ')}: ${met(fast.every((x) => x <= 3))}.`);
  }
  return lines.join('\n');
}

const NOTES = `What the columns mean:

- **gradcheck full**: \`checkNetwork(case)\` with its defaults, the engine's own gradients as the claim, every entry of dL/dW, dL/db and dL/dx verified with rtol 1e-6. From ${SCREEN_AUTO_ENTRIES} entries the check is *screened* (\`src/check/strategies/screen-network.ts\`): numeric derivatives of the loss with respect to pre-activations, combined exactly by the chain rule through the linear layers, settle every entry that the judge passes with its numeric error budget charged against it, or passes on the screen's estimate when that estimate is at least as precise as any the entry-by-entry check could produce (column *screened*: the share settled that way); every other entry is checked entry by entry. The screen is never more lenient than the entry-by-entry check's rule, and \`properties/strategies.test.ts\` holds the two to the same verdicts.
- **every entry (screen off)**: \`checkNetwork(case, { screen: false })\`: Richardson (6 loss evaluations) on every entry, each evaluation re-running only what the perturbation changes (\`src/check/objective/incremental-network-objective.ts\`).
- **gradcheck fast**: \`checkNetwork(case, { strategy: 'fast' })\`: 4 random directions per tensor plus random-sign group probes that find any single entry off by 0.1% (\`src/check/strategies/targeted-probes.ts\`, \`docs/fast-mode.md\`).
- **torch slow / fast**: \`torch.autograd.gradcheck(f, (W1, b1, …, x), fast_mode=False/True)\` with its defaults (eps 1e-6, atol 1e-5, rtol 1e-3: a thousand times looser than gradcheck's rtol).
- **numeric error**: max |numeric − analytic| over every entry; for torch, slow mode's numerical Jacobian (central differences, eps 1e-6) against autograd.

Why "full" can be this fast and stay strict: a plain full check of [64,128,128,10]×32 differentiates 28,170 entries with 6 loss evaluations each, and even when each evaluation re-runs only the rows and layers a perturbation changes (the *every entry* column) that is seconds. The screen instead differentiates the loss once per pre-activation (Σ batch·width = 8,512 here) and gets every weight, bias and input entry from the chain rule through the linear layers, which is exact; an entry is accepted only if its claim is within rtol of every value its numeric error bound allows, or the judge passes it on an estimate at least as precise as the entry-by-entry one (the rounding-bound entries, whose rtol·|g| lies below the finite-difference floor), so nothing that would fail (or sit near a kink) entry by entry is accepted, and all such entries are re-checked entry by entry with the usual kink handling. Fast mode is slower than torch's fast mode because torch's compares a single random projection per input tensor (two loss evaluations), which lets a single wrong entry among many pass (pytorch/pytorch#57166); gradcheck's fast mode finds any single entry off by 0.1%, and is meant for black-box losses, where the full check costs 6 evaluations per entry.`;

await main();
