/**
 * `--html FILE` of `gradcheck check`, `example` and `fixtures`: the directory is checked before the run
 * (so a long run is not lost to a typo), and the file written after it.
 */
import { writeFileSync } from 'node:fs';
import { outputFolderWritable } from './output-folder.js';
import { dirname, resolve } from 'node:path';
import { EXIT_USAGE } from './exit-codes.js';

/** Whether FILE's directory is writable; says why not on stderr. */
export function htmlTargetWritable(file: string): boolean {
  if (outputFolderWritable(file)) return true;
  process.stderr.write(`gradcheck: --html ${file}: the directory ${dirname(resolve(file))} does not exist or is not writable\n`);
  return false;
}

/** Writes the report; on failure says so and returns the usage exit code. */
export function writeHtml(file: string, render: () => string): number | undefined {
  try {
    writeFileSync(file, render());
    return undefined;
  } catch (error) {
    process.stderr.write(`gradcheck: could not write --html ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
}
