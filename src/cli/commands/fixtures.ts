/**
 * `gradcheck fixtures`: loads every fixture in a directory, checks that the reference engine
 * reproduces each notebook's printed values, and reports what finite differences say about the
 * notebook. Exit 0 when every fixture reproduces (a notebook that is wrong is not a failure),
 * 1 when the engine misses a printed value or a computed verdict differs from the recorded one,
 * 2 when a fixture is malformed or the directory has none (2 wins over 1). Without --dir it checks
 * the fixtures shipped with the package (so it works once installed, from any directory).
 */
import { hostname } from 'node:os';
import { basename, isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { bundled } from '../package-root.js';
import { GradcheckError } from '../../errors.js';
import { evaluateFixture } from '../../fixtures/evaluate-fixture.js';
import { FixtureError } from '../../fixtures/fixture-error.js';
import { fixtureFiles, loadFixture } from '../../fixtures/load-fixture.js';
import { fixturesToJson, renderFixtureResult, renderFixtures, type FixtureOutcome } from '../../fixtures/render-fixtures.js';
import { collectReporter, REPORTER_FORMS, runTiming, writeReportsOrExit, type CheckDocument, type ReporterSpec } from '../reporters/index.js';
import { CHECK_RESULT_FORMAT, documentHeader } from '../json-format.js';
import { shellQuote } from '../replay-command.js';
import { EXIT_GRADIENTS_WRONG, EXIT_PASS, EXIT_USAGE } from '../exit-codes.js';
import { htmlTargetWritable, writeHtml } from '../html-output.js';
import { renderHtmlReport } from '../../html/render-html-report.js';
import { createParentFolder } from '../output-folder.js';
import { STDOUT, writeJsonNow } from '../json-output.js';

export function runFixtures(dir: string): { outcomes: FixtureOutcome[]; exitCode: number } {
  const files = fixtureFiles(dir);
  if (files.length === 0) throw new GradcheckError('fixtures --dir', `${dir} has no .json files; expected fixture files`);
  const outcomes: FixtureOutcome[] = files.map((file) => {
    try {
      return { file, result: evaluateFixture(loadFixture(file)) };
    } catch (error) {
      if (error instanceof FixtureError) return { file, error };
      throw error;
    }
  });
  const malformed = outcomes.some((o) => 'error' in o);
  const failed = outcomes.some((o) => 'result' in o && o.result.status !== 'reproduces');
  return { outcomes, exitCode: malformed ? EXIT_USAGE : failed ? EXIT_GRADIENTS_WRONG : EXIT_PASS };
}

export function registerFixtures(program: Command): void {
  program
    .command('fixtures')
    .description('check the reference engine against the notebook fixtures and report each notebook\'s verdict')
    .option('--dir <dir>', "directory of fixture JSON files (default: the fixtures bundled with gradcheck)")
    .option('--json <file>', 'also write the results as JSON to FILE (- for stdout, instead of the text)')
    .option('--html <file>', "also write a self-contained HTML report (each notebook's printed values against the engine's, entry by entry) to FILE")
    .option('--reporter <spec>', `also report for CI: ${REPORTER_FORMS} (repeatable); one test per fixture`, collectReporter)
    .action((opts: { dir?: string; json?: string; html?: string; reporter?: ReporterSpec[] }) => {
      const started = new Date();
      if (opts.html !== undefined) createParentFolder(opts.html);
      if (opts.html !== undefined && !htmlTargetWritable(opts.html)) return void (process.exitCode = EXIT_USAGE);
      const dir = opts.dir ?? shown(bundled('fixtures'));
      const { outcomes, exitCode } = runFixtures(dir);
      if (opts.json !== STDOUT) process.stdout.write(`${renderFixtures(dir, outcomes)}\n`);
      const jsonCode = opts.json !== undefined ? writeJsonNow(opts.json, fixturesToJson(dir, outcomes, exitCode)) : undefined;
      const reporterCode = opts.reporter?.length ? writeFixtureReports(opts.reporter, outcomes, exitCode, opts.dir, started, opts.json === STDOUT ? process.stderr : process.stdout) : undefined;
      process.exitCode = reporterCode ?? jsonCode ?? (opts.html !== undefined ? writeHtml(opts.html, () => renderHtmlReport({ fixtures: outcomes }, { title: `gradcheck fixtures: ${dir}` })) : undefined) ?? exitCode;
    });
}

/** A path as short as it is unambiguous: relative to the working directory when inside it (`fixtures`, `node_modules/gradcheck/fixtures`). */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * The fixtures as the CI reporters read a run: one test per fixture, named by its file (stable), a
 * malformed one an error, one the engine does not reproduce a failure; annotations land on the fixture's file.
 */
function writeFixtureReports(specs: readonly ReporterSpec[], outcomes: readonly FixtureOutcome[], exitCode: number, dirOption: string | undefined, started: Date, stdout: { write(s: string): unknown }): number | undefined {
  const command = ['gradcheck', 'fixtures', ...(dirOption === undefined ? [] : ['--dir', dirOption])];
  const replay = command.map(shellQuote).join(' ');
  const cases = outcomes.map((o, i) => {
    const verdict = 'error' in o ? 'error' : o.result.status === 'reproduces' ? 'pass' : 'fail';
    const text = 'error' in o ? [o.file, `  MALFORMED: ${o.error.message}`] : renderFixtureResult(o.result);
    return {
      run: i + 1,
      case: { id: i + 1, seed: 0 },
      verdict,
      name: basename(o.file),
      file: o.file,
      report: { label: 'error' in o ? 'malformed' : o.result.fixture.title, failures: [] },
      message: [...text, `replay: ${replay}`].join('\n'),
    };
  });
  const doc = {
    ...documentHeader(CHECK_RESULT_FORMAT),
    verdict: exitCode === EXIT_PASS ? 'pass' : exitCode === EXIT_GRADIENTS_WRONG ? 'fail' : 'error',
    exitCode,
    worker: { name: 'fixtures', command },
    runs: outcomes.length,
    replay,
    interrupted: null,
    cases,
    counterexample: null,
    error: null,
    perCheck: true,
    suite: 'gradcheck fixtures',
    message: `${renderFixtures(dirOption ?? 'the bundled fixtures', outcomes).split('\n').at(-1) ?? ''}\nreplay: ${replay}`,
    timing: runTiming(started, hostname()),
  } as CheckDocument;
  return writeReportsOrExit(specs, doc, stdout);
}
