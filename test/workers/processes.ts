/**
 * Processes for the worker tests: the python3 to run workers with, the directory they run in, and
 * whether a process is still there.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The machine's python3, resolved once: version-manager shims (pyenv, asdf) are shell scripts that
 * cost a few hundred milliseconds per start; the interpreter itself starts in tens.
 */
export const PYTHON = resolvePython();

/** Workers run from the repository root, so messages show short relative paths. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function resolvePython(): string {
  // GRADCHECK_PYTHON picks the interpreter that has NumPy (set by .ci/run when python3 lacks it).
  const executable = execFileSync(process.env.GRADCHECK_PYTHON ?? 'python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return /^[\w./-]+$/.test(executable) ? executable : (process.env.GRADCHECK_PYTHON ?? 'python3');
}

/** Whether a process is running (a zombie, exited but not yet reaped, counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when there is no such process
  }
}

/** Running processes whose command line contains `text`. */
export function runningWith(text: string): string[] {
  return execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.trim().startsWith('Z') && !line.includes('ps -eo'));
}

/** The live children of a process (workers are found this way: the CLI does not print their pid). */
export function childrenOf(parent: number): { pid: number; args: string }[] {
  let text = '';
  try {
    text = execFileSync('ps', ['-o', 'pid=,stat=,args=', '--ppid', String(parent)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return text
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[2].startsWith('Z'))
    .map((m) => ({ pid: Number(m[1]), args: m[3] }));
}

/** Polls until `parent` has a child whose command line contains `text`; its pid, or 0 after the deadline. */
export async function childWith(parent: number, text: string, deadlineMs = 20_000): Promise<number> {
  for (const end = Date.now() + deadlineMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const found = childrenOf(parent).find((c) => c.args.includes(text));
    if (found) return found.pid;
  }
  return 0;
}
