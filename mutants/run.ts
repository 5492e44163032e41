/**
 * The mutation benchmark (issues 6 and 12): the property-based checker (`runGradientProperty`) against
 * every bug of each catalogue, then against its correct implementations over the same cases (same
 * fast-check seeds and run counts). Catalogues:
 *   first  TypeScript mutants of one reference backprop (mutants/catalogue/, mutants/reference-backprop.ts)
 *   numpy  NumPy workers, a class per layer, weights outputs × inputs (mutants/numpy/), over the worker protocol
 *   tape   a TypeScript tape-based reverse-mode autodiff (mutants/tape/), half its bugs outside the hypothesis space
 *
 * Per bug and seed: caught or not, cases until caught, the shrunk counterexample's size against the
 * smallest case that can show the bug, the time (search + shrinking), and the diagnosis of the shrunk
 * counterexample (`diagnoseImplementation`): its cause, and its convention hints (a hint on a real bug
 * is a wrong hint; only a convention declared wrongly, such as a negated gradient or float32 rounding,
 * has a right one: see CONVENTION_CAUSES). A bug outside the hypothesis space (no planted cause) is
 * judged by its findings: right when one is more specific than the tensor and every finding is true of
 * the planted bug (the entry's `findingRight`), or, for a stateful bug, when the diagnosis says the
 * answer depends on earlier calls. Then, per catalogue: caught, right cause named, wrong causes, right
 * and wrong findings, wrong hints, false alarms on the correct twins, shrunk to smallest, diagnosis time.
 *
 *   npm run mutants                      (tsx mutants/run.ts) print the tables
 *   npx tsx mutants/run.ts --write       also replace the "Mutants" section of BENCHMARKS.md (first and numpy)
 *                                        and the "Mutants: tape catalogue" section (tape)
 *   --seeds N      fast-check seeds 1..N per bug and twin (default 5)
 *   --runs N       cases per property run (default 1000; a bug's run stops at its first failure)
 *   --twin-runs N  cases per run of a correct twin (default: --runs)
 *   --only ID      only bugs and twins whose id contains ID
 *   --catalogue C  first, numpy, tape, or all (default all)
 *
 * A NumPy entry is one worker process per seed (so stateful bugs start fresh), closed after its run.
 */
import { runGradientProperty } from '../src/runner/assert-gradients.js';
import type { GradientCase, Implementation } from '../src/adapters/implementation.js';
import { diagnoseImplementation } from '../src/diagnosis/diagnose-implementation.js';
import type { CauseKey } from '../src/diagnosis/causes.js';
import { describeNetwork } from '../src/engine/dense-layer.js';
import { describeMachine, machineLine } from '../bench/machine.js';
import { formatMs, markdownTable, writeSection } from '../bench/markdown.js';
import { mutants, notBugs, type SmallestCase } from './catalogue/index.js';
import { ReferenceBackprop } from './reference-backprop.js';
import { numpyMutants, numpyTwins } from './numpy/catalogue.js';
import { tapeMutants, tapeTwins } from './tape/catalogue.js';
import type { Finding } from '../src/diagnosis/findings/finding.js';

type Closable = Implementation & { close?(): Promise<void> };

/** A bug of either catalogue, as the benchmark needs it. */
interface Bug {
  readonly id: string;
  readonly causes: readonly CauseKey[];
  readonly lossOnly?: boolean;
  readonly smallest: SmallestCase;
  readonly alsoSmallest?: readonly SmallestCase[];
  /** Outside the hypothesis space: which findings are true of the bug. */
  readonly findingRight?: (f: Finding) => boolean;
  /** The bug keeps state between calls. */
  readonly stateful?: boolean;
  create(): Closable | Promise<Closable>;
}

interface Twin {
  readonly id: string;
  readonly title: string;
  create(): Closable | Promise<Closable>;
}

type CatalogueKey = 'first' | 'numpy' | 'tape';

interface Catalogue {
  readonly key: CatalogueKey;
  readonly title: string;
  readonly bugs: readonly Bug[];
  readonly twins: readonly Twin[];
}

const CATALOGUES: readonly Catalogue[] = [
  { key: 'first', title: 'First catalogue: TypeScript mutants of mutants/reference-backprop.ts', bugs: mutants, twins: [{ id: 'reference', title: 'The correct implementation', create: () => new ReferenceBackprop() }, ...notBugs] },
  { key: 'numpy', title: 'Second catalogue: NumPy workers, a class per layer, weights outputs × inputs (mutants/numpy/)', bugs: numpyMutants, twins: numpyTwins },
  { key: 'tape', title: 'Third catalogue: a TypeScript tape-based reverse-mode autodiff (mutants/tape/)', bugs: tapeMutants, twins: tapeTwins },
];

interface Options {
  readonly seeds: number;
  readonly runs: number;
  readonly twinRuns: number;
  readonly only?: string;
  readonly catalogue: CatalogueKey | 'all';
  readonly write: boolean;
}

interface BugRun {
  readonly seed: number;
  readonly caught: boolean;
  readonly error?: string;
  readonly cases: number;
  readonly shrunk?: GradientCase;
  readonly minimal: boolean;
  readonly ms: number;
  readonly named?: CauseKey;
  readonly lossOnly?: boolean;
  readonly verdict?: string;
  readonly hints: readonly string[];
  /** The runner found that the counterexample depends on earlier calls. */
  readonly stateful?: boolean;
  /** For a stateful counterexample: its printed replay fails again on a new instance. */
  readonly replayed?: boolean;
  /** The diagnosis's findings (stated when no cause is named). */
  readonly findings: readonly Finding[];
  /** The diagnosis said the answer depends on earlier calls. */
  readonly diagnosedStateful?: boolean;
  /** Time of `diagnoseImplementation` on the shrunk counterexample. */
  readonly diagnosisMs?: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const positive = (flag: string, fallback: number): number => {
    const raw = value(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`mutants/run.ts: ${flag} is ${JSON.stringify(raw)}; expected an integer ≥ 1`);
    return n;
  };
  const catalogue = value('--catalogue') ?? 'all';
  if (catalogue !== 'first' && catalogue !== 'numpy' && catalogue !== 'tape' && catalogue !== 'all') throw new Error(`mutants/run.ts: --catalogue is ${JSON.stringify(catalogue)}; expected first, numpy, tape or all`);
  const runs = positive('--runs', 1000);
  return { seeds: positive('--seeds', 5), runs, twinRuns: positive('--twin-runs', runs), only: value('--only'), catalogue, write: argv.includes('--write') };
}

/** `1 → 2 → 2, batch 1`: inputs and layer widths, then the batch. */
function sizeOf(network: GradientCase['network'], batch: number): string {
  return `${[network.inputs, ...network.layers.map((l) => l.outputs)].join(' → ')}, batch ${batch}`;
}

function isSmallest(c: GradientCase, m: Bug): boolean {
  return [m.smallest, ...(m.alsoSmallest ?? [])].some((s: SmallestCase) => sizeOf(c.network, c.inputs.length) === sizeOf(s.network, s.batch));
}

/**
 * The causes that are a convention declared wrongly, not a bug: the hint that declares it is right
 * (it makes the implementation pass on every case). Any other hint on a planted bug would hide it.
 */
const CONVENTION_CAUSES: Partial<Record<CauseKey, (declare: Readonly<Record<string, unknown>>) => boolean>> = {
  negated: (d) => Object.keys(d).every((k) => k === 'returns') && d.returns === 'negative-gradient',
  'returns-update': (d) => Object.keys(d).every((k) => k === 'returns' || k === 'learningRate') && d.returns === 'update',
  'float32-rounding': (d) => Object.keys(d).every((k) => k === 'precision') && d.precision === 'float32',
};

function isWrongHint(m: Bug, declare: Readonly<Record<string, unknown>>): boolean {
  return !m.causes.some((c) => CONVENTION_CAUSES[c]?.(declare) === true);
}

async function runBug(m: Bug, seed: number, runs: number): Promise<BugRun> {
  const impl = await m.create();
  try {
    const start = performance.now();
    // `fresh`: the runner re-checks a counterexample on a new instance to tell state from a plain bug.
    const result = await runGradientProperty(impl, { runs, seed, fresh: () => m.create(), diagnose: false });
    const ms = performance.now() - start;
    const report = result.counterexample?.report;
    if (!report) return { seed, caught: result.verdict === 'fail', error: result.error?.message, cases: result.runs, minimal: false, ms, hints: [], findings: [] };
    const diagnosisStart = performance.now();
    const diagnosis = await diagnoseImplementation(impl, report);
    const diagnosisMs = performance.now() - diagnosisStart;
    const hints = diagnosis.conventions.filter((h) => isWrongHint(m, h.declare)).map((h) => h.text);
    const stateful = result.state?.dependsOnEarlierCalls === true;
    return { seed, caught: true, cases: result.runs, shrunk: report.case, minimal: isSmallest(report.case, m), ms, named: diagnosis.cause, lossOnly: diagnosis.lossOnly, verdict: diagnosis.verdict, hints, stateful, findings: diagnosis.findings, diagnosedStateful: diagnosis.stateful !== undefined || diagnosis.cause === 'stale-forward-cache', diagnosisMs, ...(stateful && { replayed: await replays(m, seed, runs, result.path!, result.state?.prelude) }) };
  } finally {
    await impl.close?.();
  }
}

/** Whether the printed replay (seed, path and prelude) fails again on a new instance. */
async function replays(m: Bug, seed: number, runs: number, path: string, prelude: readonly string[] | undefined): Promise<boolean> {
  const impl = await m.create();
  try {
    return (await runGradientProperty(impl, { runs, seed, path, ...(prelude && { prelude }), diagnose: false })).verdict === 'fail';
  } finally {
    await impl.close?.();
  }
}

async function falseAlarms(create: Twin['create'], seeds: number, runs: number): Promise<{ alarms: string[]; ms: number }> {
  const alarms: string[] = [];
  const start = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const impl = await create();
    try {
      const result = await runGradientProperty(impl, { runs, seed });
      if (result.verdict !== 'pass') alarms.push(`seed ${seed}: ${result.counterexample?.description ?? result.error?.message}`);
    } finally {
      await impl.close?.();
    }
  }
  return { alarms, ms: performance.now() - start };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Whether a finding is true of the planted bug: judged only for bugs outside the space (no finding is expected of one without `findingRight`). */
function findingTrue(m: Bug, f: Finding): boolean {
  return m.findingRight?.(f) === true;
}

/** Outside the space: the diagnosis says the state (a stateful bug), or states a specific finding and only true ones. */
function findingsRight(m: Bug, r: BugRun): boolean {
  if (r.named !== undefined) return false;
  // The state is told by the runner (the counterexample depends on earlier calls; its replay prints the prelude) or by the diagnosis.
  if (m.stateful) return (r.stateful === true || r.diagnosedStateful === true) && r.findings.every((f) => findingTrue(m, f));
  return r.findings.some((f) => f.specific && findingTrue(m, f)) && r.findings.every((f) => findingTrue(m, f));
}

/** Right: the planted cause named (a loss-only bug: its key, or no cause and the diagnosis saying only the loss disagrees). */
function namedRight(m: Bug, r: BugRun): boolean {
  if (r.named !== undefined) return m.causes.includes(r.named);
  return m.lossOnly === true && r.lossOnly === true;
}

interface CatalogueResult {
  readonly lines: Record<'score' | 'accuracy' | 'findings' | 'hints' | 'minimal' | 'alarms' | 'state' | 'time', string>;
  readonly bugRows: string[][];
  readonly twinRows: string[][];
  readonly aboveSmallest: string[];
}

async function runCatalogue(cat: Catalogue, options: Options): Promise<CatalogueResult> {
  const selected = cat.bugs.filter((m) => !options.only || m.id.includes(options.only));
  const twins = cat.twins.filter((v) => !options.only || v.id.includes(options.only));
  console.log(`\n${cat.title}: ${selected.length} bugs, ${twins.length} correct twins, fast-check seeds 1..${options.seeds}, up to ${options.runs} cases per run (${options.twinRuns} for twins)`);
  const bugRows: string[][] = [];
  const aboveSmallest: string[] = [];
  let caughtEverywhere = 0;
  let diagnosed = 0;
  let right = 0;
  let wrong = 0;
  let wrongHints = 0;
  let minimalRuns = 0;
  let totalRuns = 0;
  let statefulRuns = 0;
  let replayedRuns = 0;
  let outside = 0;
  let outsideRight = 0;
  let outsideWrongCauses = 0;
  let wrongFindings = 0;
  const diagnosisTimes: number[] = [];
  for (const m of selected) {
    const runs: BugRun[] = [];
    for (let seed = 1; seed <= options.seeds; seed++) runs.push(await runBug(m, seed, options.runs));
    const caught = runs.filter((r) => r.caught);
    if (caught.length === runs.length) caughtEverywhere++;
    const single = m.causes.length === 1;
    const rightHere = caught.filter((r) => namedRight(m, r)).length;
    const wrongHere = caught.filter((r) => r.named !== undefined && !m.causes.includes(r.named)).length;
    const hintsHere = caught.reduce((n, r) => n + r.hints.length, 0);
    totalRuns += caught.length;
    minimalRuns += caught.filter((r) => r.minimal).length;
    wrongHints += hintsHere;
    statefulRuns += caught.filter((r) => r.stateful).length;
    replayedRuns += caught.filter((r) => r.replayed).length;
    if (single) {
      diagnosed += caught.length;
      right += rightHere;
      wrong += wrongHere;
    }
    const findingsRightHere = m.causes.length === 0 ? caught.filter((r) => findingsRight(m, r)).length : 0;
    const wrongFindingsHere = m.causes.length === 0 ? caught.reduce((n, r) => n + r.findings.filter((f) => !findingTrue(m, f)).length, 0) : 0;
    if (m.causes.length === 0) {
      outside += caught.length;
      outsideRight += findingsRightHere;
      outsideWrongCauses += wrongHere;
      wrongFindings += wrongFindingsHere;
    }
    diagnosisTimes.push(...caught.flatMap((r) => (r.diagnosisMs === undefined ? [] : [r.diagnosisMs])));
    const first = runs[0];
    const cases = caught.map((r) => r.cases);
    const unknown = caught.length - rightHere - wrongHere;
    const planted = m.causes.length ? m.causes.join(' + ') : m.stateful ? 'outside the space (stateful)' : 'outside the space';
    const firstFindings = first.findings.map((f) => `${f.text}${m.causes.length === 0 && !findingTrue(m, f) ? ' (WRONG)' : ''}`).join('; ');
    const row = [
      m.id,
      planted,
      `${caught.length}/${runs.length}`,
      cases.length ? `${median(cases)} (max ${Math.max(...cases)})` : '—',
      first.shrunk ? `${describeNetwork(first.shrunk.network)}, batch ${first.shrunk.inputs.length}, ${first.shrunk.reduction}` : first.error ? `error: ${first.error}` : '—',
      sizeOf(m.smallest.network, m.smallest.batch),
      `${caught.filter((r) => r.minimal).length}/${caught.length}`,
      formatMs(median(runs.map((r) => r.ms))),
      caught.some((r) => r.stateful) ? `${caught.filter((r) => r.stateful).length} (${caught.filter((r) => r.replayed).length} replayed)` : '—',
      first.named ?? (first.lossOnly ? 'loss only' : first.verdict) ?? '—',
      firstFindings || (first.diagnosedStateful && !first.named ? 'depends on earlier calls' : '—'),
      m.causes.length === 0
        ? [`${findingsRightHere}/${caught.length} right`, wrongHere ? `${wrongHere} WRONG cause${wrongHere === 1 ? '' : 's'}` : '', wrongFindingsHere ? `${wrongFindingsHere} WRONG finding${wrongFindingsHere === 1 ? '' : 's'}` : '', hintsHere ? `${hintsHere} wrong hint${hintsHere === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ')
        : [`${rightHere}/${caught.length} right`, unknown ? `${unknown} not named` : '', wrongHere ? `${wrongHere} WRONG` : '', hintsHere ? `${hintsHere} wrong hint${hintsHere === 1 ? '' : 's'}: ${[...new Set(caught.flatMap((r) => r.hints))].join('; ')}` : ''].filter(Boolean).join(', '),
    ];
    bugRows.push(row);
    console.log(row.join(' | '));
    const above = caught.filter((r) => r.shrunk && !r.minimal).map((r) => `seed ${r.seed}: ${describeNetwork(r.shrunk!.network)}, batch ${r.shrunk!.inputs.length}`);
    if (above.length) aboveSmallest.push(`\`${m.id}\` (smallest ${describeNetwork(m.smallest.network)}, batch ${m.smallest.batch}): ${above.join('; ')}`);
  }

  const twinRows: string[][] = [];
  let alarmsTotal = 0;
  for (const v of twins) {
    const { alarms, ms } = await falseAlarms(v.create, options.seeds, options.twinRuns);
    alarmsTotal += alarms.length;
    const row = [v.id, v.title, `${options.seeds} × ${options.twinRuns}`, alarms.length ? `${alarms.length}: ${alarms.join('; ')}` : '0', formatMs(ms)];
    twinRows.push(row);
    console.log(row.join(' | '));
  }
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(0)}%`;
  const lines = {
    score: `${caughtEverywhere}/${selected.length} bugs caught on every seed (${pct(caughtEverywhere, selected.length)})`,
    accuracy: `${right}/${diagnosed} shrunk counterexamples of single-bug entries diagnosed with the planted cause (${pct(right, diagnosed)}), ${wrong} with a wrong cause`,
    findings: outside
      ? `${outsideRight}/${outside} shrunk counterexamples of bugs outside the hypothesis space with a right finding more specific than the tensor, or the state named for a stateful bug (${pct(outsideRight, outside)}); ${outsideWrongCauses} with a cause named (wrong), ${wrongFindings} wrong findings`
      : 'no bug outside the hypothesis space',
    time: diagnosisTimes.length ? `diagnosis of a shrunk counterexample (probes included): median ${formatMs(median(diagnosisTimes))}, max ${formatMs(Math.max(...diagnosisTimes))}, over ${diagnosisTimes.length} counterexamples` : 'no counterexample diagnosed',
    hints: `${wrongHints} wrong convention hints on bugs`,
    minimal: `${minimalRuns}/${totalRuns} counterexamples shrunk to the smallest case that can show the bug (${pct(minimalRuns, totalRuns)})`,
    state: `${statefulRuns} counterexamples found to depend on earlier calls, ${replayedRuns} of them reproduced by their printed replay on a new instance`,
    alarms: `${alarmsTotal} false alarms on ${twins.length} correct twins (${twins.length} × ${options.seeds} seeds × ${options.twinRuns} cases)`,
  };
  console.log(`\n${cat.title}\n  Caught: ${lines.score}\n  Diagnosis: ${lines.accuracy}\n  Findings: ${lines.findings}\n  Diagnosis time: ${lines.time}\n  Hints: ${lines.hints}\n  Shrinking: ${lines.minimal}\n  State: ${lines.state}\n  False alarms: ${lines.alarms}`);
  return { lines, bugRows, twinRows, aboveSmallest };
}

function section(cat: Catalogue, r: CatalogueResult): string[] {
  const header = ['bug', 'planted cause', 'caught', 'cases until caught: median (max)', 'shrunk counterexample (seed 1)', 'smallest that can show it', 'shrunk to smallest', 'time (median)', 'depends on earlier calls (replay fails again)', 'diagnosis (seed 1)', 'findings (seed 1)', 'diagnosis over seeds'];
  return [
    `### ${cat.title}`,
    '',
    `- **Caught:** ${r.lines.score}.`,
    `- **Diagnosis:** ${r.lines.accuracy}.`,
    `- **Findings:** ${r.lines.findings}.`,
    `- **Diagnosis time:** ${r.lines.time} (measured under load).`,
    `- **Hints:** ${r.lines.hints}.`,
    `- **Shrinking:** ${r.lines.minimal}.`,
    `- **State:** ${r.lines.state}.`,
    `- **False alarms:** ${r.lines.alarms}.`,
    '',
    markdownTable(header, r.bugRows.map((row) => row.map((c, i) => (i === 0 || i === 1 ? `\`${c}\`` : c)))),
    '',
    ...(r.aboveSmallest.length ? ['Counterexamples that stopped above the smallest case:', '', ...r.aboveSmallest.map((line) => `- ${line}`), ''] : []),
    markdownTable(['correct twin', 'what changes', `cases (seeds × runs)`, 'false alarms', 'time'], r.twinRows.map((row) => [`\`${row[0]}\``, ...row.slice(1)])),
    '',
  ];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const command = `npx tsx mutants/run.ts --seeds ${options.seeds} --runs ${options.runs}${options.twinRuns !== options.runs ? ` --twin-runs ${options.twinRuns}` : ''}${options.catalogue !== 'all' ? ` --catalogue ${options.catalogue}` : ''}${options.only ? ` --only ${options.only}` : ''}`;
  const chosen = CATALOGUES.filter((c) => options.catalogue === 'all' || c.key === options.catalogue);
  const results: [Catalogue, CatalogueResult][] = [];
  for (const cat of chosen) results.push([cat, await runCatalogue(cat, options)]);
  if (options.write) {
    const intro = (what: string): string[] => [
      `\`${command}\` (\`npm run mutants\` runs every catalogue with the defaults --seeds 5 --runs 1000; \`--write\` updates ${what}). ${machineLine(describeMachine())}.`,
      '',
      `Each bug is checked by \`runGradientProperty\` with fast-check seeds 1..${options.seeds} (default case generators, reference mode, every entry); a run stops at the first failing case and shrinks it. Time is search plus shrinking. The diagnosis is \`diagnoseImplementation\` on the shrunk counterexample; a convention hint on a real bug is a wrong hint (it would hide the bug); only the causes that are a convention declared wrongly (a negated gradient, an update returned, float32 rounding) have a right hint, the one that declares it. A bug outside the hypothesis space has no planted cause: any cause named is wrong, and its findings are judged against the catalogue's description of the bug (\`findingRight\`). Sizes are inputs → layer widths, batch. A NumPy entry runs in a worker process of its own per seed.`,
      '',
    ];
    const older = results.filter(([cat]) => cat.key !== 'tape');
    if (older.length > 0) {
      writeSection('BENCHMARKS.md', 'Mutants', [...intro('this section'), ...older.flatMap(([cat, r]) => section(cat, r))].join('\n'));
      console.log('Wrote the "Mutants" section of BENCHMARKS.md');
    }
    const tape = results.find(([cat]) => cat.key === 'tape');
    if (tape) {
      writeSection('BENCHMARKS.md', 'Mutants: tape catalogue', [...intro('this section'), ...section(tape[0], tape[1])].join('\n'));
      console.log('Wrote the "Mutants: tape catalogue" section of BENCHMARKS.md');
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
