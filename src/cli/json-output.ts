/**
 * `--json FILE` and `--json-cases FILE`. The document (--json) is small whatever --runs is
 * (notable-cases.ts): it is written once the run ends, to a temporary file in FILE's directory that is
 * renamed over FILE (atomic on one file system), so FILE is always either a whole result of this run or
 * absent. Any older FILE is removed when the run starts: a run that dies without writing (SIGKILL, a
 * full disk) leaves no earlier verdict behind that could be taken for its own. `FILE` `-` is stdout.
 *
 * The case stream (--json-cases) is NDJSON: a header line, then one line per case as it is checked,
 * written at once, so memory stays flat and an interrupted run keeps every case checked before it.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Float64Array values (reports hold them) as plain arrays. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Float64Array ? Array.from(value) : value;
}

/** `--json -`: the document goes to stdout. */
export const STDOUT = '-';

export class JsonOutput {
  private readonly temporary: string | undefined;
  private open = true;

  /**
   * Removes an older FILE and opens (creates) the temporary file, so an unwritable place is found
   * before the run; throws (with the OS's message) when it cannot. `head` are the document's first
   * fields (its format tag).
   */
  constructor(
    readonly file: string,
    private readonly head: Record<string, unknown> = {},
  ) {
    if (file === STDOUT) return;
    const path = resolve(file);
    rmSync(path, { force: true });
    this.temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    closeSync(openSync(this.temporary, 'w'));
  }

  /** Writes the document (head, then `rest`) and moves it to FILE. */
  finish(rest: Record<string, unknown>, stdout: { write(s: string): unknown } = process.stdout): void {
    if (!this.open) throw new Error('the JSON output was already closed');
    this.open = false;
    // One top-level field a line, each value compact: indenting every number of a case would triple the size.
    const fields = Object.entries({ ...this.head, ...rest }).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v === undefined ? null : v, jsonReplacer)}`);
    const text = `{\n${fields.join(',\n')}\n}\n`;
    if (this.temporary === undefined) return void stdout.write(text);
    const fd = openSync(this.temporary, 'w');
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(this.temporary, resolve(this.file));
  }

  /** Removes the temporary file (when the result cannot be written); idempotent, never throws. */
  abandon(): void {
    this.open = false;
    if (this.temporary !== undefined) rmSync(this.temporary, { force: true });
  }
}

/** NDJSON of every case: `head` on the first line, then one line per `add`, each written at once. */
export class CaseStream {
  private fd: number | null;

  /** Replaces an older FILE; throws (with the OS's message) when it cannot be written. */
  constructor(
    readonly file: string,
    head: Record<string, unknown>,
  ) {
    this.fd = openSync(resolve(file), 'w');
    writeSync(this.fd, `${JSON.stringify(head)}\n`);
  }

  add(value: unknown): void {
    if (this.fd !== null) writeSync(this.fd, `${JSON.stringify(value, jsonReplacer)}\n`);
  }

  /** Idempotent, never throws. */
  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed by the OS
    }
    this.fd = null;
  }
}

/**
 * `--json FILE` of a command whose document is ready at once (`example`, `fixtures`): `-` is stdout;
 * FILE's folder is created. Says why on stderr and returns the usage exit code (2) when it cannot be written.
 */
export function writeJsonNow(file: string, text: string, stdout: { write(s: string): unknown } = process.stdout): number | undefined {
  if (file === STDOUT) return void stdout.write(`${text}\n`);
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(file, `${text}\n`);
    return undefined;
  } catch (error) {
    process.stderr.write(`gradcheck: --json ${file}: cannot be written: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
