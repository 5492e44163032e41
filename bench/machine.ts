/**
 * The machine a benchmark ran on, for BENCHMARKS.md: Node version, logical CPUs, CPU model.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export interface Machine {
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
}

export function describeMachine(): Machine {
  let cpuModel = 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: leave the model unknown rather than guess.
  }
  // `nproc` counts the CPUs this process may use, which availableParallelism() reports too.
  return { node: process.version, cpus: availableParallelism(), cpuModel };
}

/** The 1-minute load average: on a shared machine, other work skews timings; the figure says how much. */
export function loadLine(): string {
  return `load average ${loadavg()[0].toFixed(2)}`;
}

export function machineLine(m: Machine): string {
  return `Node ${m.node}, ${m.cpus} logical CPU${m.cpus === 1 ? '' : 's'} (nproc), ${m.cpuModel}`;
}

/**
 * The source measured: `commit abc1234`, flagged when src/ has uncommitted changes. GRADCHECK_REVISION
 * overrides it (for a run on an exported snapshot, which has no .git).
 */
export function sourceRevision(): string {
  if (process.env.GRADCHECK_REVISION) return process.env.GRADCHECK_REVISION;
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--', 'src').length > 0 ? `commit ${commit} with uncommitted changes in src/` : `commit ${commit}`;
  } catch {
    return 'unknown revision (no git)';
  }
}
