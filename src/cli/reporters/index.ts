/**
 * CI reporters of `gradcheck check`: `--reporter junit=<file>`, `--reporter tap=<file>` and
 * `--reporter github` (repeatable), each written from the run's JSON document once it is complete.
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { createParentFolder } from '../output-folder.js';
import { errorLine } from '../error-line.js';
import { EXIT_USAGE } from '../exit-codes.js';
import type { CheckDocument } from './document.js';
import { toGithub } from './github.js';
import { toJUnit } from './junit.js';
import { toTap } from './tap.js';

export { caseForReports, runTiming, type CheckDocument, type ReportCase } from './document.js';
export { lineNaming, toGithub, workerFile } from './github.js';
export { toJUnit, toTap };

export type ReporterSpec = { readonly kind: 'junit' | 'tap'; readonly file: string } | { readonly kind: 'github' };

export const REPORTER_FORMS = 'junit=<file>, tap=<file> or github';

/**
 * Reads one `--reporter` value. Throws commander's InvalidArgumentError, so as an option's argParser
 * the CLI prints `option '--reporter <spec>' argument '…' is invalid. …` and exits 2.
 */
export function parseReporterSpec(spec: string): ReporterSpec {
  const at = spec.indexOf('=');
  const kind = at === -1 ? spec : spec.slice(0, at);
  const file = at === -1 ? undefined : spec.slice(at + 1);
  if (kind === 'github') {
    if (file !== undefined) throw new InvalidArgumentError(`github writes to stdout and takes no file; expected ${REPORTER_FORMS}.`);
    return { kind };
  }
  if (kind === 'junit' || kind === 'tap') {
    if (!file) throw new InvalidArgumentError(`${kind} needs the file to write: ${kind}=<file>; expected ${REPORTER_FORMS}.`);
    return { kind, file };
  }
  throw new InvalidArgumentError(`unknown reporter ${JSON.stringify(kind)}; expected ${REPORTER_FORMS}.`);
}

/** For a repeatable option: `.option('--reporter <spec>', '…', collectReporter)`. */
export function collectReporter(spec: string, previous: readonly ReporterSpec[] = []): ReporterSpec[] {
  return [...previous, parseReporterSpec(spec)];
}

/**
 * Writes every report; github's workflow commands go to `stdout`. A file that cannot be written throws
 * an Error naming the reporter, after the others were written.
 */
export function writeReports(specs: readonly ReporterSpec[], doc: CheckDocument, stdout: { write(s: string): unknown } = process.stdout): void {
  const failures: string[] = [];
  for (const spec of specs) {
    if (spec.kind === 'github') {
      stdout.write(toGithub(doc));
      continue;
    }
    try {
      createParentFolder(spec.file);
      writeFileSync(spec.file, spec.kind === 'junit' ? toJUnit(doc) : toTap(doc));
    } catch (error) {
      failures.push(`--reporter ${spec.kind}=${spec.file}: cannot be written: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0) throw new Error(failures.join('; '));
}

/**
 * `writeReports` for a command: a report that cannot be written is said on stderr, and the usage exit
 * code returned (undefined when every report was written).
 */
export function writeReportsOrExit(specs: readonly ReporterSpec[], doc: CheckDocument, stdout: { write(s: string): unknown } = process.stdout): number | undefined {
  try {
    writeReports(specs, doc, stdout);
    return undefined;
  } catch (error) {
    process.stderr.write(`${errorLine(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_USAGE;
  }
}
