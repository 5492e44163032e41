/**
 * `npm run bench:verdicts`: the verdict promise measured over many random correct cases, per precision.
 *
 *   npx tsx bench/verdicts.ts [--cases N] [--detect N] [--seed S] [--write]
 *
 * For each implementation (float64: the reference engine's own gradients, and a hand-written backprop
 * in another summation order; float32: a backprop that rounds every operation to float32, declared
 * `precision: 'float32'`), N random cases (default 100,000) from every weight regime (ordinary,
 * saturating, near-kink, near-optimum), weight scales 1e-3 … 1e3 and input magnitudes 0.01 … 10:
 * - false alarms: cases whose verdict is `fail` (target 0);
 * - unresolved and skipped shares of all entries;
 * - the worst err/tol of a passing entry (how close a correct claim came to failing).
 * Detection floor: on `--detect` cases (default 2,000), one entry per passing case is made wrong by a
 * relative r; its floor φ (uncertainty plus the claimed side's rounding, over |g|) says what it cannot
 * resolve. The detection floor is the smallest r at which the entries with φ ≤ r/2 are at least half of
 * those planted (the typical entry) and ≥ 99% of them are caught.
 * `--write` replaces the "Verdicts" section of BENCHMARKS.md.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { networkCase } from '../src/arbitraries/network-case.js';
import { checkImplementationCase, idCounter, onPrecisionGrid } from '../src/adapters/check-implementation.js';
import type { Implementation } from '../src/adapters/implementation.js';
import { referenceImplementation } from '../src/adapters/reference-implementation.js';
import type { GeneratedCase } from '../src/arbitraries/build-case.js';
import type { GradientReport } from '../src/check/report/report.js';
import { handWrittenBackprop } from '../examples/typescript/hand-written-backprop.js';
import { float32Backprop } from '../examples/typescript/float32-backprop.js';
import { estimate } from '../src/check/numerics/estimator.js';
import { networkClaimedRounding, networkLossRounding } from '../src/check/objective/claimed-rounding.js';
import { networkObjective } from '../src/check/objective/network-objective.js';
import { describeMachine, loadLine, machineLine, sourceRevision } from './machine.js';
import { markdownTable, writeSection } from './markdown.js';
import { causeLines, explainUnresolved } from './unresolved-causes.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const CASES = flag('--cases', 100_000);
const DETECT = flag('--detect', 2_000);
const SEED = flag('--seed', 2026);
/** `--precision float64|float32`: only those implementations. `--dump FILE`: every unresolved entry, one JSON line each. */
const ONLY = args.includes('--precision') ? args[args.indexOf('--precision') + 1] : undefined;
const DUMP = args.includes('--dump') ? args[args.indexOf('--dump') + 1] : undefined;
const GRID = [1e-7, 2e-7, 5e-7, 1e-6, 1.5e-6, 2e-6, 3e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 1e-2];

const CONSTRAINTS = {
  regimes: ['ordinary', 'saturating', 'near-kink', 'near-optimum'] as const,
  scales: [1, 0.5, 2, 1e-3, 1e3],
  magnitudes: [1, 0.01, 10],
};

interface Subject {
  readonly name: string;
  readonly precision: 'float64' | 'float32';
  readonly impl: Implementation;
}

const SUBJECTS: readonly Subject[] = [
  { name: 'reference engine (its own gradients)', precision: 'float64', impl: referenceImplementation() },
  { name: 'hand-written backprop (another summation order)', precision: 'float64', impl: handWrittenBackprop },
  { name: 'float32 backprop, declared float32', precision: 'float32', impl: float32Backprop },
];

interface Tally {
  cases: number;
  falseAlarms: number;
  inconclusive: number;
  entries: number;
  unresolved: number;
  skipped: number;
  worst: number;
  alarms: string[];
  /** Unresolved entries by cause (unresolved-causes.ts). */
  causes: Map<string, number>;
}

function sampleCases(count: number, seed: number): GeneratedCase[] {
  return fc.sample(networkCase(CONSTRAINTS as never), { seed, numRuns: count });
}

function worstRatio(report: GradientReport): number {
  let worst = 0;
  for (const t of report.tensors) {
    const w = t.worst;
    if (w && w.status === 'pass' && w.tolerance > 0) worst = Math.max(worst, w.absoluteError / w.tolerance);
  }
  return worst;
}

async function correctCases(subject: Subject, cases: readonly GeneratedCase[]): Promise<Tally> {
  const tally: Tally = { cases: 0, falseAlarms: 0, inconclusive: 0, entries: 0, unresolved: 0, skipped: 0, worst: 0, alarms: [], causes: new Map() };
  const nextId = idCounter();
  for (const c of cases) {
    const r = await checkImplementationCase(subject.impl, c, { seed: c.seed, nextId });
    tally.cases++;
    const counts = r.report.counts;
    tally.entries += counts.checked;
    tally.unresolved += counts.unresolved;
    tally.skipped += counts.skipped;
    if (r.verdict === 'fail') {
      tally.falseAlarms++;
      if (tally.alarms.length < 10) tally.alarms.push(`${c.description}: ${r.report.failures[0] ? `${r.report.failures[0].tensor}[${r.report.failures[0].row},${r.report.failures[0].col}]` : 'the loss value'}`);
    }
    if (r.verdict === 'inconclusive') tally.inconclusive++;
    const explained = explainUnresolved(onPrecisionGrid(c, subject.precision), r.claimed, subject.precision, r.report.unresolved);
    for (const [k, x] of explained.entries()) {
      if (DUMP !== undefined) appendFileSync(DUMP, `${JSON.stringify({ subject: subject.name, case: c.description, recipe: c.recipe, cause: x.cause, estimate: x.estimate, entry: r.report.unresolved[k] })}\n`);
      const key = x.units > 1 ? `${x.cause} [${x.units} units]` : x.cause;
      tally.causes.set(key, (tally.causes.get(key) ?? 0) + 1);
    }
    tally.worst = Math.max(tally.worst, worstRatio(r.report));
  }
  return tally;
}

/** An implementation whose claimed gradient of one entry is scaled by (1 + r). */
function planted(subject: Subject, index: number, r: number): Implementation {
  return {
    name: `${subject.impl.name} with one entry off by ${r}`,
    conventions: subject.impl.conventions,
    async gradients(c) {
      const result = await subject.impl.gradients(c);
      let k = index;
      const parameters = result.parameters.map((layer) => {
        const W = layer.W.map((row) => row.slice());
        const size = W.length * W[0].length;
        if (k >= 0 && k < size) {
          const row = Math.floor(k / W[0].length);
          W[row][k % W[0].length] *= 1 + r;
        }
        k -= size;
        if (layer.b === undefined) return { W };
        const b = layer.b.slice();
        if (k >= 0 && k < b.length) b[k] *= 1 + r;
        k -= b.length;
        return { W, b };
      });
      return { ...result, parameters };
    },
    loss: subject.impl.loss,
  };
}

/**
 * Detection: for each passing case, one entry of W or b whose estimate converged away from kinks, with
 * its relative floor φ = (uncertainty + claimed rounding)/|g|, planted at every r of the grid.
 */
async function detectionFloor(subject: Subject, cases: readonly GeneratedCase[]): Promise<{ floors: number[]; caught: boolean[][] }> {
  const floors: number[] = [];
  const caught: boolean[][] = [];
  const nextId = idCounter();
  for (const c of cases) {
    const base = await checkImplementationCase(subject.impl, c, { seed: c.seed, nextId });
    if (base.verdict !== 'pass') continue;
    const claimed = base.claimed.parameters;
    const nc = onPrecisionGrid(c, subject.precision);
    const rounding = networkClaimedRounding(nc, false, subject.precision);
    const objective = networkObjective(nc, false);
    const lossRounding = networkLossRounding(nc);
    const f0 = objective.value();
    const candidates: { index: number; floor: number }[] = [];
    for (let i = 0; i < claimed.length; i++) {
      const g = Math.abs(claimed[i]);
      if (g === 0) continue;
      const e = estimate((t) => objective.shifted(i, t), f0, objective.point[i], { levels: 2, precision: 'float64', lossRounding }, () => objective.kinkCrossings!());
      if (e.converged && e.kink === 'none') candidates.push({ index: i, floor: (e.truncation + e.rounding + rounding[i]) / g });
    }
    if (candidates.length === 0) continue;
    const pick = candidates[c.seed % candidates.length];
    floors.push(pick.floor);
    const row: boolean[] = [];
    for (const r of GRID) row.push((await checkImplementationCase(planted(subject, pick.index, r), c, { seed: c.seed, nextId })).verdict === 'fail');
    caught.push(row);
  }
  return { floors, caught };
}


const pct = (a: number, b: number): string => {
  if (b === 0) return '-';
  if (a === b) return '100%';
  const p = (100 * a) / b;
  return p >= 10 ? `${p.toFixed(1)}%` : `${p.toPrecision(2)}%`;
};

async function main(): Promise<void> {
  const machine = describeMachine();
  const started = performance.now();
  const cases = sampleCases(CASES, SEED);
  const detectCases = sampleCases(DETECT, SEED + 1);
  const rows: string[][] = [];
  const floors: string[][] = [];
  const alarms: string[] = [];
  const causes: string[] = [];
  for (const subject of SUBJECTS.filter((x) => ONLY === undefined || x.precision === ONLY)) {
    const t0 = performance.now();
    const tally = await correctCases(subject, cases);
    const seconds = (performance.now() - t0) / 1000;
    rows.push([
      subject.name,
      subject.precision,
      tally.cases.toLocaleString('en-US'),
      String(tally.falseAlarms),
      pct(tally.inconclusive, tally.cases),
      tally.entries.toLocaleString('en-US'),
      pct(tally.unresolved, tally.entries),
      pct(tally.skipped, tally.entries),
      tally.worst.toPrecision(2),
      `${seconds.toPrecision(3)} s`,
    ]);
    for (const a of tally.alarms) alarms.push(`- false alarm, ${subject.name}: ${a}`);
    causes.push(`- ${subject.name}: ${causeLines(tally.causes).join('; ') || 'none'}`);
    process.stderr.write(`verdicts: ${subject.name} done in ${seconds.toFixed(1)} s\n`);
    const d = await detectionFloor(subject, detectCases);
    // For each r, the entries "above the floor" are those whose floor is at most r/2: the error is
    // then at least twice what the entry itself cannot resolve (rtol aside, which the floor shows).
    const shares = GRID.map((r, k) => {
      const eligible = d.floors.map((f, i) => (f <= r / 2 ? i : -1)).filter((i) => i >= 0);
      const hits = eligible.filter((i) => d.caught[i][k]).length;
      return { r, eligible: eligible.length, hits };
    });
    // The floor is read where the eligible entries are at least half of those planted: the typical entry.
    const floorAt = shares.find((x) => x.eligible >= d.floors.length / 2 && x.hits >= 0.99 * x.eligible);
    const sorted = [...d.floors].sort((a, b) => a - b);
    floors.push([
      subject.name,
      subject.precision,
      d.floors.length.toLocaleString('en-US'),
      sorted.length ? sorted[Math.floor(sorted.length / 2)].toExponential(1) : '-',
      floorAt ? floorAt.r.toExponential(1) : '-',
      shares.map((x) => `${x.r.toPrecision(2)}: ${pct(x.hits, x.eligible)} of ${x.eligible}`).join(', '),
    ]);
  }
  const total = ((performance.now() - started) / 1000).toFixed(0);
  const context = [
    `\`npx tsx bench/verdicts.ts${args.length ? ` ${args.join(' ')}` : ''}\` (\`npm run bench:verdicts\`). ${machineLine(machine)}; ${loadLine()} at the start; ${sourceRevision()}; ${total} s in all.`,
    `Cases: fast-check seed ${SEED}, every weight regime (ordinary, saturating, near-kink, near-optimum), weight scales 1e-3 to 1e3, input magnitudes 0.01 to 10, every architecture the default generators make; reference mode, every entry, rtol 1e-6.`,
  ].join('\n\n');
  const table = markdownTable(
    ['implementation', 'precision', 'cases', 'false alarms', 'inconclusive cases', 'entries', 'unresolved', 'skipped', 'worst err/tol (pass)', 'time'],
    rows,
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const floorTable = markdownTable(
    ['implementation', 'precision', 'planted entries', 'median floor φ', 'detection floor (≥ 99% caught)', 'caught at each relative error r, of the entries with φ ≤ r/2'],
    floors,
    ['l', 'l', 'r', 'r', 'r', 'l'],
  );
  const body = `${context}\n\n${table}\n\n${alarms.join('\n')}${alarms.length ? '\n\n' : ''}Unresolved entries by cause (\`bench/unresolved-causes.ts\`: each estimate recomputed as the entry check computes it, named by the judge's branch that left it unsettled):\n\n${causes.join('\n')}\n\nDetection floor: ${DETECT.toLocaleString('en-US')} cases (seed ${SEED + 1}); in each passing case one entry of W or b whose estimate converged away from kinks is scaled by 1 + r. Its floor φ is its own uncertainty plus the claimed side's rounding, over |g|: what it cannot resolve whatever rtol. The detection floor is the smallest r at which the entries with φ ≤ r/2 are at least half of those planted and ≥ 99% of them fail; with rtol 1e-6 no r ≤ 1e-6 can fail.\n\n${floorTable}`;
  process.stdout.write(`${body}\n`);
  if (args.includes('--write')) writeSection(new URL('../BENCHMARKS.md', import.meta.url).pathname, 'Verdicts', body);
}

await main();
