/**
 * The mutation benchmark (issue 6): the property-based checker (`runGradientProperty`) against every
 * mutant of the catalogue, then against the correct implementation and the not-a-bug variants over the
 * same cases (same fast-check seeds and run counts).
 *
 * Per mutant and seed: caught or not, cases until caught, the shrunk counterexample's size (depth,
 * widths, batch) against the smallest case that can show the bug, the time (search + shrinking), and
 * the diagnosis of the shrunk counterexample (`diagnoseImplementation`). Then the mutation score, the
 * diagnosis accuracy and the false alarms.
 *
 *   npm run mutants                      (tsx mutants/run.ts) print the tables
 *   npx tsx mutants/run.ts --write       also replace the "Mutants" section of BENCHMARKS.md
 *   --seeds N     fast-check seeds 1..N per mutant and variant (default 5)
 *   --runs N      cases per property run (default 1000; a mutant's run stops at its first failure)
 *   --only ID     only mutants and variants whose id contains ID
 */
import { runGradientProperty } from '../src/runner/assert-gradients.js';
import type { GradientCase, Implementation } from '../src/adapters/implementation.js';
import { diagnoseImplementation } from '../src/diagnosis/diagnose-implementation.js';
import type { CauseKey } from '../src/diagnosis/causes.js';
import { describeNetwork } from '../src/engine/dense-layer.js';
import { describeMachine, machineLine } from '../bench/machine.js';
import { formatMs, markdownTable, writeSection } from '../bench/markdown.js';
import { mutants, notBugs, type Mutant, type SmallestCase } from './catalogue/index.js';
import { ReferenceBackprop } from './reference-backprop.js';

interface Options {
  readonly seeds: number;
  readonly runs: number;
  readonly only?: string;
  readonly write: boolean;
}

interface MutantRun {
  readonly seed: number;
  readonly caught: boolean;
  readonly error?: string;
  readonly cases: number;
  readonly shrunk?: GradientCase;
  readonly minimal: boolean;
  readonly ms: number;
  readonly named?: CauseKey;
  readonly verdict?: string;
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
  return { seeds: positive('--seeds', 5), runs: positive('--runs', 1000), only: value('--only'), write: argv.includes('--write') };
}

/** `1 → 2 → 2, batch 1`: inputs and layer widths, then the batch. */
function sizeOf(network: GradientCase['network'], batch: number): string {
  return `${[network.inputs, ...network.layers.map((l) => l.outputs)].join(' → ')}, batch ${batch}`;
}

function isSmallest(c: GradientCase, m: Mutant): boolean {
  return [m.smallest, ...(m.alsoSmallest ?? [])].some((s: SmallestCase) => sizeOf(c.network, c.inputs.length) === sizeOf(s.network, s.batch));
}

async function runMutant(m: Mutant, seed: number, runs: number): Promise<MutantRun> {
  const impl = m.create();
  const start = performance.now();
  const result = await runGradientProperty(impl, { runs, seed });
  const ms = performance.now() - start;
  const report = result.counterexample?.report;
  if (!report) return { seed, caught: result.verdict === 'fail', error: result.error?.message, cases: result.runs, minimal: false, ms };
  const diagnosis = await diagnoseImplementation(impl, report);
  return { seed, caught: true, cases: result.runs, shrunk: report.case, minimal: isSmallest(report.case, m), ms, named: diagnosis.cause, verdict: diagnosis.verdict };
}

async function falseAlarms(create: () => Implementation, seeds: number, runs: number): Promise<{ alarms: string[]; ms: number }> {
  const alarms: string[] = [];
  const start = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const result = await runGradientProperty(create(), { runs, seed });
    if (result.verdict !== 'pass') alarms.push(`seed ${seed}: ${result.counterexample?.description ?? result.error?.message}`);
  }
  return { alarms, ms: performance.now() - start };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const selected = mutants.filter((m) => !options.only || m.id.includes(options.only));
  const variants = [{ id: 'reference', title: 'The correct implementation', create: () => new ReferenceBackprop() }, ...notBugs].filter((v) => !options.only || v.id.includes(options.only));
  const command = `npx tsx mutants/run.ts --seeds ${options.seeds} --runs ${options.runs}${options.only ? ` --only ${options.only}` : ''}`;
  console.log(`Mutation benchmark: ${selected.length} mutants, ${variants.length} correct variants, fast-check seeds 1..${options.seeds}, up to ${options.runs} cases per run`);

  const mutantRows: string[][] = [];
  const aboveSmallest: string[] = [];
  let caughtEverywhere = 0;
  let diagnosed = 0;
  let diagnosedRight = 0;
  let diagnosedWrong = 0;
  let minimalRuns = 0;
  let totalRuns = 0;
  for (const m of selected) {
    const runs: MutantRun[] = [];
    for (let seed = 1; seed <= options.seeds; seed++) runs.push(await runMutant(m, seed, options.runs));
    const caught = runs.filter((r) => r.caught);
    if (caught.length === runs.length) caughtEverywhere++;
    const single = m.causes.length === 1;
    for (const r of caught) {
      totalRuns++;
      if (r.minimal) minimalRuns++;
      if (!single) continue;
      diagnosed++;
      if (r.named === m.causes[0]) diagnosedRight++;
      else if (r.named !== undefined) diagnosedWrong++;
    }
    const first = runs[0];
    const cases = caught.map((r) => r.cases);
    const right = caught.filter((r) => r.named !== undefined && m.causes.includes(r.named)).length;
    const wrong = caught.filter((r) => r.named !== undefined && !m.causes.includes(r.named)).length;
    const unknown = caught.length - right - wrong;
    const row = [
      m.id,
      m.causes.join(' + '),
      `${caught.length}/${runs.length}`,
      cases.length ? `${median(cases)} (max ${Math.max(...cases)})` : '—',
      first.shrunk ? `${describeNetwork(first.shrunk.network)}, batch ${first.shrunk.inputs.length}, ${first.shrunk.reduction}` : first.error ? `error: ${first.error}` : '—',
      sizeOf(m.smallest.network, m.smallest.batch),
      `${caught.filter((r) => r.minimal).length}/${caught.length}`,
      formatMs(median(runs.map((r) => r.ms))),
      first.named ?? first.verdict ?? '—',
      [`${right}/${caught.length} right`, unknown ? `${unknown} not named` : '', wrong ? `${wrong} WRONG` : ''].filter(Boolean).join(', '),
    ];
    mutantRows.push(row);
    console.log(row.join(' | '));
    const above = caught.filter((r) => r.shrunk && !r.minimal).map((r) => `seed ${r.seed}: ${describeNetwork(r.shrunk!.network)}, batch ${r.shrunk!.inputs.length}`);
    if (above.length) aboveSmallest.push(`\`${m.id}\` (smallest ${describeNetwork(m.smallest.network)}, batch ${m.smallest.batch}): ${above.join('; ')}`);
  }

  const variantRows: string[][] = [];
  let alarmsTotal = 0;
  for (const v of variants) {
    const { alarms, ms } = await falseAlarms(v.create, options.seeds, options.runs);
    alarmsTotal += alarms.length;
    const row = [v.id, v.title, `${options.seeds} × ${options.runs}`, alarms.length ? `${alarms.length}: ${alarms.join('; ')}` : '0', formatMs(ms)];
    variantRows.push(row);
    console.log(row.join(' | '));
  }

  const score = `${caughtEverywhere}/${selected.length} mutants caught on every seed (${((100 * caughtEverywhere) / Math.max(1, selected.length)).toFixed(0)}%)`;
  const accuracy = `${diagnosedRight}/${diagnosed} shrunk counterexamples of single-bug mutants diagnosed with the planted cause (${((100 * diagnosedRight) / Math.max(1, diagnosed)).toFixed(0)}%), ${diagnosedWrong} with a wrong one`;
  const minimal = `${minimalRuns}/${totalRuns} counterexamples shrunk to the smallest case that can show the bug`;
  const alarmLine = `${alarmsTotal} false alarms on the correct implementation and ${notBugs.length} not-a-bug variants (${variants.length} × ${options.seeds} seeds × ${options.runs} cases)`;
  console.log(`\nMutation score: ${score}\nDiagnosis: ${accuracy}\nShrinking: ${minimal}\nFalse alarms: ${alarmLine}`);

  if (options.write) {
    const header = ['mutant', 'planted cause', 'caught', 'cases until caught: median (max)', 'shrunk counterexample (seed 1)', 'smallest that can show it', 'shrunk to smallest', 'time (median)', 'diagnosis (seed 1)', 'diagnosis over seeds'];
    const body = [
      `\`${command}\` (\`npm run mutants\` runs it with these defaults; \`--write\` updates this section). ${machineLine(describeMachine())}.`,
      '',
      `Each mutant of [\`mutants/reference-backprop.ts\`](mutants/reference-backprop.ts) ([catalogue](mutants/catalogue/)) is checked by \`runGradientProperty\` with fast-check seeds 1..${options.seeds} (default case generators, reference mode, every entry); a run stops at the first failing case and shrinks it. Time is search plus shrinking. The diagnosis is \`diagnoseImplementation\` on the shrunk counterexample. Sizes are inputs → layer widths, batch.`,
      '',
      `- **Mutation score:** ${score}.`,
      `- **Diagnosis:** ${accuracy}.`,
      `- **Shrinking:** ${minimal}.`,
      `- **False alarms:** ${alarmLine}.`,
      '',
      markdownTable(header, mutantRows.map((r) => r.map((c, i) => (i === 0 || i === 1 ? `\`${c}\`` : c)))),
      '',
      ...(aboveSmallest.length
        ? [
            'Counterexamples that stopped above the smallest case are local minima of shrinking: fast-check changes one field at a time, and each of these needs two things to change together for the bug to stay visible — a layer\'s inputs and outputs (to stay square or equal to another layer\'s), the depth and the output activation (`[1 → sigmoid 1 → identity 1]` becomes `[1 → sigmoid 1]` only if the hidden sigmoid layer becomes the output layer, which the architecture generator keeps apart), or a width and the seed (so that the remaining unit is still saturated):',
            '',
            ...aboveSmallest.map((line) => `- ${line}`),
            '',
          ]
        : []),
      markdownTable(['correct variant', 'what changes', 'cases (seeds × runs)', 'false alarms', 'time'], variantRows.map((r) => [`\`${r[0]}\``, ...r.slice(1)])),
    ];
    writeSection('BENCHMARKS.md', 'Mutants', body.join('\n'));
    console.log('Wrote the "Mutants" section of BENCHMARKS.md');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
