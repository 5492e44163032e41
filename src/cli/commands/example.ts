/**
 * `gradcheck example`: checks the bundled example network (the reference engine's own gradients on
 * a 4 → 3 sigmoid → 2 ReLU → 1 network with a seeded batch of 4) and prints the report.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

/** An integer seed; anything else is a usage error (exit 2), not a silently different example. */
function parseExampleSeed(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer.');
  return n;
}
import { Network } from '../../engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../../engine/random-parameters.js';
import { checkNetwork } from '../../check/strategies/check-network.js';
import { renderReport, reportToJson } from '../../check/report/render-report.js';
import { EXIT_GRADIENTS_WRONG, EXIT_INCONCLUSIVE, EXIT_PASS, EXIT_USAGE } from '../exit-codes.js';
import { htmlTargetWritable, writeHtml } from '../html-output.js';
import { renderHtmlReport } from '../../html/render-html-report.js';
import { createParentFolder } from '../output-folder.js';
import { stdoutColor } from '../color.js';
import { jsonReplacer, STDOUT, writeJsonNow } from '../json-output.js';
import { hostname } from 'node:os';
import type { GradientReport } from '../../check/report/report.js';
import { caseForReports, collectReporter, runTiming, REPORTER_FORMS, writeReportsOrExit, type CheckDocument, type ReportCase, type ReporterSpec } from '../reporters/index.js';
import { CHECK_RESULT_FORMAT, documentHeader } from '../json-format.js';

export function exampleCase(seed: number) {
  const network = new Network({
    inputs: 4,
    layers: [
      { outputs: 3, activation: 'sigmoid' },
      { outputs: 2, activation: 'relu' },
      { outputs: 1, activation: 'identity' },
    ],
  });
  const random = seededRandom(seed);
  return { network, params: randomParameters(network, random), inputs: randomMatrix(4, 4, random), targets: randomMatrix(4, 1, random), reduction: 'mean' as const };
}

/** The example as the CI reporters read a run: one case (`run 1`), its failures, the replay line. */
function writeExampleReports(specs: readonly ReporterSpec[], report: GradientReport, seed: number, exitCode: number, started: Date, stdout: { write(s: string): unknown }): number | undefined {
  const replay = `gradcheck example --seed ${seed}`;
  const doc = {
    ...documentHeader(CHECK_RESULT_FORMAT),
    verdict: report.verdict,
    exitCode,
    worker: { name: 'example', command: ['gradcheck', 'example', '--seed', String(seed)] },
    suite: 'gradcheck example',
    runs: 1,
    seed,
    replay,
    interrupted: null,
    cases: [caseForReports({ run: 1, case: { id: 1, seed }, verdict: report.verdict, report: JSON.parse(JSON.stringify(report, jsonReplacer)) as ReportCase['report'], loss: null })],
    counterexample: null,
    error: null,
    message: renderReport(report),
    timing: runTiming(started, hostname()),
  } as CheckDocument;
  return writeReportsOrExit(specs, doc, stdout);
}

export function registerExample(program: Command): void {
  program
    .command('example')
    .description('check the reference engine on a bundled example network and print the report')
    .addOption(new Option('--seed <n>', 'seed of the example parameters and batch (an integer)').argParser(parseExampleSeed).default(1))
    .option('--json <file>', 'also write the report as JSON to FILE (- for stdout, instead of the table)')
    .option('--html <file>', 'also write a self-contained HTML report (heat maps, error-versus-step curves, the network) to FILE')
    .option('--reporter <spec>', `also report for CI: ${REPORTER_FORMS} (repeatable)`, collectReporter)
    .action((opts: { seed: number; json?: string; html?: string; reporter?: ReporterSpec[] }) => {
      const started = new Date();
      if (opts.html !== undefined) createParentFolder(opts.html);
      if (opts.html !== undefined && !htmlTargetWritable(opts.html)) return void (process.exitCode = EXIT_USAGE);
      const nc = exampleCase(Number(opts.seed));
      const report = checkNetwork(nc);
      if (opts.json !== STDOUT) process.stdout.write(`${renderReport(report, { color: stdoutColor() })}\n`);
      const verdictCode = report.verdict === 'pass' ? EXIT_PASS : report.verdict === 'inconclusive' ? EXIT_INCONCLUSIVE : EXIT_GRADIENTS_WRONG;
      const jsonCode = opts.json !== undefined ? writeJsonNow(opts.json, reportToJson(report)) : undefined;
      const reporterCode = opts.reporter?.length ? writeExampleReports(opts.reporter, report, Number(opts.seed), verdictCode, started, opts.json === STDOUT ? process.stderr : process.stdout) : undefined;
      process.exitCode = reporterCode ?? jsonCode ?? (opts.html !== undefined ? writeHtml(opts.html, () => renderHtmlReport({ report, case: nc }, { title: 'gradcheck example', replay: `gradcheck example --seed ${opts.seed}` })) : undefined) ?? verdictCode;
    });
}
