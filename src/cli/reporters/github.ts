/**
 * GitHub Actions workflow commands (printed on stdout, where the runner reads them): one annotation
 * for the run, `::error` for wrong gradients or a worker error, `::warning` for an inconclusive or
 * interrupted run, `::notice` for a pass, with the printed outcome (mismatch, replay line) as message,
 * and `file=` the worker's script when its command names one (so the annotation lands on that file).
 */
import { statSync } from 'node:fs';
import { workerName, type CheckDocument } from './document.js';

export function toGithub(doc: CheckDocument): string {
  const name = workerName(doc);
  const [level, what] =
    doc.verdict === 'pass' ? ['notice', 'gradients agree with finite differences']
    : doc.verdict === 'fail' ? ['error', doc.headline ?? 'gradients disagree with finite differences']
    : doc.verdict === 'error' ? ['error', 'worker or usage error']
    : doc.verdict === 'interrupted' ? ['warning', 'interrupted']
    : ['warning', 'inconclusive'];
  const file = workerFile(doc.worker.command);
  return `::${level} ${file === undefined ? '' : `file=${property(file)},`}title=${property(`gradcheck: ${name}: ${what}`)}::${data(doc.message.trimEnd())}\n`;
}

/** The worker's script (`examples/python/numpy_mlp.py` of `python3 examples/python/numpy_mlp.py`): the first argument that names an existing file, not the interpreter. */
export function workerFile(command: readonly string[], exists: (path: string) => boolean = isFile): string | undefined {
  return command.slice(1).find((word) => !word.startsWith('-') && exists(word));
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
