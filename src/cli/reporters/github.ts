/**
 * GitHub Actions workflow commands (printed on stdout, where the runner reads them): `::error` for
 * wrong gradients or a worker error, `::warning` for an inconclusive or interrupted run, `::notice`
 * for a pass, with the printed outcome (mismatch, the CLI's replay line) as message, and `file=` and
 * `line=` the file the command line named (the worker's script; a fixture), so the annotation lands
 * on that file. A run of named checks (a function worker's functions, the fixtures) gets one
 * annotation per check that did not pass, each on its own file and line; else one for the run.
 */
import { readFileSync, statSync } from 'node:fs';
import { caseFailureText, caseName, workerName, type CheckDocument, type ReportCase } from './document.js';

type Level = 'notice' | 'warning' | 'error';

export function toGithub(doc: CheckDocument): string {
  const name = workerName(doc);
  const file = doc.file ?? workerFile(doc.worker.command);
  const notPassed = doc.perCheck ? doc.cases.filter((c) => c.verdict !== 'pass') : [];
  if (notPassed.length > 0) {
    return notPassed.map((c) => command(levelOf(c.verdict), c.file ?? file, c.line, `gradcheck: ${name}: ${caseName(c)}: ${caseWhat(c)}`, caseFailureText(c, doc))).join('');
  }
  const [level, what]: [Level, string] =
    doc.verdict === 'pass' ? ['notice', doc.perCheck ? 'every check passed' : 'gradients agree with finite differences']
    : doc.verdict === 'fail' ? ['error', doc.headline ?? 'gradients disagree with finite differences']
    : doc.verdict === 'error' ? ['error', 'worker or usage error']
    : doc.verdict === 'interrupted' ? ['warning', 'interrupted']
    : ['warning', 'inconclusive'];
  return command(level, file, undefined, `gradcheck: ${name}: ${what}`, doc.message);
}

function levelOf(verdict: string): Level {
  return verdict === 'fail' || verdict === 'error' ? 'error' : 'warning';
}

function caseWhat(c: ReportCase): string {
  return c.verdict === 'fail' ? 'wrong' : c.verdict === 'error' ? 'error' : c.verdict;
}

/** `::level file=F,line=L,title=T::message`; a known file without a known line is annotated on its line 1. */
function command(level: Level, file: string | undefined, line: number | undefined, title: string, message: string): string {
  const where = file === undefined ? '' : `file=${property(file)},line=${line ?? 1},`;
  return `::${level} ${where}title=${property(title)}::${data(message.trimEnd())}\n`;
}

/** The worker's script (`examples/python/numpy_mlp.py` of `python3 examples/python/numpy_mlp.py`): the first argument that names an existing file, not the interpreter. */
export function workerFile(command: readonly string[], exists: (path: string) => boolean = isFile): string | undefined {
  return command.slice(1).find((word) => !word.startsWith('-') && exists(word));
}

/** The first line (from 1) of FILE that names `word` as a quoted string or a definition (`"conv1d"`, `def conv1d`), else undefined. */
export function lineNaming(file: string, word: string, read: (path: string) => string = readText): number | undefined {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(["'])${escaped}\\1|\\b(def|function|class)\\s+${escaped}\\b`);
  let text: string;
  try {
    text = read(file);
  } catch {
    return undefined;
  }
  const at = text.split('\n').findIndex((l) => pattern.test(l));
  return at === -1 ? undefined : at + 1;
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A command's message: `%`, CR and LF escaped (the runner turns them back). */
export function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which would end it. */
export function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
