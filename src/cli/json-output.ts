/**
 * `--json FILE` written as the run goes: cases are streamed to a temporary file in FILE's directory
 * (so memory does not grow with --runs), the rest of the document is appended at the end, and the
 * temporary file is renamed over FILE (atomic on one file system), so FILE is always either a whole
 * result of this run or absent. Any older FILE is removed when the run starts: a run that dies
 * without writing (SIGKILL, a full disk) leaves no earlier verdict behind that could be taken for its own.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Float64Array values (reports hold them) as plain arrays. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Float64Array ? Array.from(value) : value;
}

export class JsonOutput {
  private readonly temporary: string;
  private fd: number | null;
  private count = 0;

  /**
   * Removes an older FILE and opens the temporary file; throws (with the OS's message) when it cannot.
   * `head` are the document's first fields (its format tag), before the streamed cases.
   */
  constructor(
    readonly file: string,
    head: Record<string, unknown> = {},
  ) {
    const path = resolve(file);
    rmSync(path, { force: true });
    this.temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    this.fd = openSync(this.temporary, 'w');
    const fields = Object.entries(head).map(([k, v]) => `\n  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
    writeSync(this.fd, `{${fields.join('')}\n  "cases": [`);
  }

  /** Appends one case (one line each, so a huge run stays readable with line tools). */
  addCase(value: unknown): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${this.count++ === 0 ? '\n' : ',\n'}    ${JSON.stringify(value, jsonReplacer)}`);
  }

  /** Appends the other fields of the document and moves it to FILE. */
  finish(rest: Record<string, unknown>): void {
    if (this.fd === null) throw new Error('the JSON output was already closed');
    const fields = JSON.stringify(rest, jsonReplacer, 2).slice(1); // without its opening brace
    const fd = this.fd;
    this.fd = null;
    try {
      writeSync(fd, `${this.count === 0 ? '' : '\n  '}]${fields.length > 2 ? ',' : ''}${fields}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(this.temporary, resolve(this.file));
  }

  /** Removes the temporary file (when the result cannot be written); idempotent, never throws. */
  abandon(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed by the OS
      }
      this.fd = null;
    }
    rmSync(this.temporary, { force: true });
  }
}
