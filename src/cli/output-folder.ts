/**
 * The folders of an output file (`--json out/run.json`, `--html`, `--reporter junit=…`) are created
 * when missing, as vitest's --outputFile does; when that fails, the writability check that follows says why.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function createParentFolder(file: string): void {
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
  } catch {
    // reported by the caller's check of the folder, with the flag that named it
  }
}

/** Whether FILE's folder is a writable directory (a regular file in its place is not). */
export function outputFolderWritable(file: string): boolean {
  try {
    const dir = dirname(resolve(file));
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
