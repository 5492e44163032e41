/**
 * `gradcheck check` over long runs, as an installed user runs it (the CLI bundled by esbuild, like
 * tsup's dist/cli.js, run by plain node): how long Ctrl-C, SIGTERM and a worker crash take to end a
 * run of a million cases, and the peak RSS of the CLI process at 1,000 and 100,000 cases, with and
 * without --json (targets: stopping does not depend on --runs; ≤ 150 MB at 100,000 cases).
 *
 *   npx tsx bench/cli-runs.ts [--write]     (npm run bench:cli; --write replaces "## CLI runs" in BENCHMARKS.md)
 *   npx tsx bench/cli-runs.ts --throughput [--baseline DIR] [--write]   (the NumPy worker's cases/s with and without look-ahead; "## Worker throughput")
 *
 * `--baseline DIR [--baseline-label TEXT]` also bundles the CLI from another checkout's src/ (a `git worktree` or `git archive` of the
 * commit before a change, with node_modules) and measures it beside this one's, row by row in turn, in one run.
 *
 * Peak RSS is the process's VmHWM from /proc (Linux only), read every 20 ms until it exits.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describeMachine, loadLine, machineLine, sourceRevision } from './machine.js';
import { formatMs, markdownTable, writeSection } from './markdown.js';

const PYTHON = process.env.GRADCHECK_PYTHON ?? 'python3';
const dir = mkdtempSync(join(tmpdir(), 'gradcheck-bench-cli-'));
const cli = join(dir, 'cli.mjs');
const baselineCli = join(dir, 'baseline.mjs');

interface Measured {
  readonly code: number | null;
  /** From start, or from the signal when one was sent. */
  readonly ms: number;
  readonly peakMB: number;
  /** The CLI process's user + system CPU seconds (/proc/PID/stat, polled every 20 ms: the last ≤ 20 ms are missed). */
  readonly cpuSeconds: number;
  readonly stdout: string;
}

/** utime + stime of a live process in seconds (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s), or NaN. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Peak resident set so far, in MB (VmHWM), or NaN once the process is gone. */
function peakMB(pid: number): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

/** Runs the bundled CLI; with `signal`, sends it `afterMs` after the header is printed and times the exit from there. */
function run(args: readonly string[], options: { signal?: NodeJS.Signals; afterMs?: number; env?: Record<string, string>; cli?: string } = {}): Promise<Measured> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...options.env };
    for (const name of ['GRADCHECK_RUNS', 'GRADCHECK_SEED', 'GRADCHECK_PATH', ...(options.env?.GRADCHECK_RUNS_SCALE ? [] : ['GRADCHECK_RUNS_SCALE'])]) delete env[name];
    const started = performance.now();
    let from = started;
    const child = spawn(process.execPath, [options.cli ?? cli, ...args], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    let peak = 0;
    let cpu = 0;
    const poll = setInterval(() => {
      const p = peakMB(child.pid!);
      if (p > peak) peak = p;
      const c = cpuSeconds(child.pid!);
      if (c > cpu) cpu = c;
    }, 20);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const first = !stdout.includes('conventions:');
      stdout += chunk;
      if (options.signal && first && stdout.includes('conventions:')) {
        setTimeout(() => {
          from = performance.now();
          child.kill(options.signal);
        }, options.afterMs ?? 2_000);
      }
    });
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, ms: performance.now() - from, peakMB: peak, cpuSeconds: cpu, stdout });
    });
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function checkedCases(stdout: string): string {
  return /Summary of (\d+) random cases/.exec(stdout)?.[1] ?? '0';
}

/**
 * `--throughput`: the bundled NumPy worker's cases per second (issue 20: ≥ 1,000/s at 1,000 runs, ≥ 2,000/s
 * at 100,000, RSS ≤ 150 MB), as whole-process wall time of `gradcheck check`, start-up included, and past
 * start-up (the same command at `--runs 1` subtracted), and the CLI process's own CPU time (which other jobs
 * on a shared machine stretch less than wall time). `--look-ahead 0` is measured beside it as the
 * one-case-at-a-time run (GRADCHECK_LOOK_AHEAD=0). With a baseline, its CLI is measured with look-ahead
 * beside this one's, each row's runs in turn (this, baseline, this, …).
 */
async function throughput(write: boolean, baseline: { dir: string; label: string } | undefined): Promise<void> {
  const machine = describeMachine();
  const loadBefore = loadLine();
  const args = (runs: number) => ['check', '--runs', String(runs), '--seed', '1', PYTHON, 'examples/python/numpy_mlp.py'];
  const summarise = (all: Measured[]) => ({
    ms: median(all.map((r) => r.ms)),
    cpu: median(all.map((r) => r.cpuSeconds)),
    peakMB: Math.max(...all.map((r) => r.peakMB)),
    codes: all.map((r) => String(r.code)).join(', '),
  });
  type Variant = { label: string; env: Record<string, string>; cli: string };
  /** Each variant's runs at `runs`, `times` each, in turn. */
  const timed = async (variants: readonly Variant[], runs: number, times: number) => {
    const all = variants.map(() => [] as Measured[]);
    for (let k = 0; k < times; k++) for (const [i, v] of variants.entries()) all[i].push(await run(args(runs), { env: v.env, cli: v.cli }));
    return all.map(summarise);
  };
  const current: Variant = { label: baseline ? 'look-ahead (default), this tree' : 'look-ahead (default)', env: {}, cli };
  const groups: Variant[][] = [
    baseline ? [current, { label: `look-ahead (default), baseline ${baseline.label}`, env: {}, cli: baselineCli }] : [current],
    [{ label: 'one case at a time', env: { GRADCHECK_LOOK_AHEAD: '0' }, cli }],
  ];
  const rows: string[][] = [];
  for (const variants of groups) {
    const start = await timed(variants, 1, 5);
    const byRuns: { runs: number; times: number; r: Awaited<ReturnType<typeof timed>> }[] = [];
    for (const [runs, times] of [[1_000, 5], [100_000, 1]] as const) byRuns.push({ runs, times, r: await timed(variants, runs, times) });
    variants.forEach((v, i) => {
      for (const { runs, times, r } of byRuns) {
        const m = r[i];
        const pastStart = (runs - 1) / ((m.ms - start[i].ms) / 1000);
        const cpuPerCase = (1000 * (m.cpu - start[i].cpu)) / (runs - 1);
        rows.push([v.label, runs.toLocaleString('en-US'), `${times}`, m.codes, formatMs(m.ms), (runs / (m.ms / 1000)).toFixed(0), pastStart.toFixed(0), `${m.cpu.toFixed(2)} s`, `${cpuPerCase.toFixed(2)} ms`, `${m.peakMB.toFixed(0)} MB`]);
      }
      rows.push([v.label, '1', '5', start[i].codes, formatMs(start[i].ms), '', '', `${start[i].cpu.toFixed(2)} s`, '', `${start[i].peakMB.toFixed(0)} MB`]);
    });
  }
  const body = [
    `Command: \`npx tsx bench/cli-runs.ts --throughput${baseline ? ' --baseline DIR' : ''} --write\` (\`npm run bench:cli -- --throughput\`), ${new Date().toISOString().slice(0, 10)}. Source: ${sourceRevision()}. Machine: ${machineLine(machine)}; ${loadBefore} at the start, ${loadLine()} at the end (shared with other jobs: absolute times are noisy, compare rows of one run).`,
    `\`gradcheck check --runs N --seed 1 ${PYTHON} examples/python/numpy_mlp.py\`, the CLI bundled by esbuild and run by plain node; wall time is the median of the runs, start-up included; "past start-up" subtracts the median wall time at \`--runs 1\`. CPU is the CLI process's own user + system time (/proc, polled every 20 ms), median; "CPU a case" subtracts the \`--runs 1\` median. Peak RSS is the CLI process's VmHWM (the worker is a separate process).`,
    '',
    markdownTable(['requests', 'runs', 'times', 'exit codes', 'wall (median)', 'cases/s', 'cases/s past start-up', 'CLI CPU (median)', 'CLI CPU a case', 'peak RSS'], rows, ['l', 'r', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r']),
  ].join('\n');
  process.stdout.write(`${body}\n`);
  if (write) writeSection('BENCHMARKS.md', 'Worker throughput', body);
}

/** Bundles `root`'s src/cli/bin.ts into `outfile`, as tsup builds dist/cli.js. */
async function bundle(root: string, outfile: string): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/bin.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    // CommonJS dependencies call require: give the ESM bundle one.
    banner: { js: "import { createRequire as __gcRequire } from 'node:module'; const require = __gcRequire(import.meta.url);" },
  });
}

async function main(): Promise<void> {
  const write = process.argv.includes('--write');
  await bundle(process.cwd(), cli);
  const at = process.argv.indexOf('--baseline');
  const labelAt = process.argv.indexOf('--baseline-label');
  const baseline = at >= 0 ? { dir: resolve(process.argv[at + 1]), label: labelAt >= 0 ? process.argv[labelAt + 1] : process.argv[at + 1] } : undefined;
  if (baseline) await bundle(baseline.dir, baselineCli);
  if (process.argv.includes('--throughput')) {
    await throughput(write, baseline);
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const machine = describeMachine();
  const loadBefore = loadLine();
  const selfOk = ['check', '--mode', 'self', '--seed', '1', PYTHON, 'test/workers/fault_worker.py', 'ok'];

  // Stopping: the time from the signal (or, for a crash, from the start) to the exit.
  const stops: string[][] = [];
  const stopMs: number[] = [];
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const runs: Measured[] = [];
    for (let k = 0; k < 5; k++) runs.push(await run([...selfOk, '--runs', '1000000'], { signal }));
    const ms = runs.map((r) => r.ms);
    stopMs.push(...ms);
    stops.push([`${signal} after 2 s, \`--runs 1000000\``, formatMs(median(ms)), formatMs(Math.max(...ms)), runs.map((r) => String(r.code)).join(', '), `${checkedCases(runs[0].stdout)}`, `${Math.max(...runs.map((r) => r.peakMB)).toFixed(0)} MB`]);
  }
  {
    const runs: Measured[] = [];
    for (let k = 0; k < 3; k++) runs.push(await run([...selfOk, '--runs', '1'], { signal: 'SIGTERM', env: { GRADCHECK_RUNS_SCALE: '1e9' } }));
    const ms = runs.map((r) => r.ms);
    stopMs.push(...ms);
    stops.push(['SIGTERM after 2 s, `GRADCHECK_RUNS_SCALE=1e9`', formatMs(median(ms)), formatMs(Math.max(...ms)), runs.map((r) => String(r.code)).join(', '), `${checkedCases(runs[0].stdout)}`, `${Math.max(...runs.map((r) => r.peakMB)).toFixed(0)} MB`]);
  }
  {
    const runs: Measured[] = [];
    const crash = ['check', '--mode', 'self', '--seed', '2', '--runs', '1000000', PYTHON, 'test/workers/fault_worker.py', 'crash-second'];
    for (let k = 0; k < 5; k++) runs.push(await run(crash));
    const ms = runs.map((r) => r.ms);
    stops.push(['worker crash on its 2nd request, `--runs 1000000` (from start)', formatMs(median(ms)), formatMs(Math.max(...ms)), runs.map((r) => String(r.code)).join(', '), '0', `${Math.max(...runs.map((r) => r.peakMB)).toFixed(0)} MB`]);
  }

  // Memory over long runs: the bundled NumPy worker, every case passes.
  const memory: string[][] = [];
  let peakAt100k = 0;
  for (const runs of [1_000, 100_000]) {
    for (const json of [false, true]) {
      const file = join(dir, 'result.json');
      // --json writes the bounded summary; --json-cases streams every case (the output that grows with --runs).
      const args = ['check', '--runs', String(runs), '--seed', '1', ...(json ? ['--json', file, '--json-cases', `${file}.ndjson`] : []), PYTHON, 'examples/python/numpy_mlp.py'];
      const r = await run(args);
      if (runs === 100_000) peakAt100k = Math.max(peakAt100k, r.peakMB);
      memory.push([runs.toLocaleString('en-US'), json ? 'yes' : 'no', String(r.code), formatMs(r.ms), `${r.peakMB.toFixed(0)} MB`]);
      rmSync(file, { force: true });
      rmSync(`${file}.ndjson`, { force: true });
    }
  }
  const loadAfter = loadLine();

  const body = [
    `Command: \`npx tsx bench/cli-runs.ts --write\` (\`npm run bench:cli\`), ${new Date().toISOString().slice(0, 10)}. Source: ${sourceRevision()}. Machine: ${machineLine(machine)}; ${loadBefore} at the start, ${loadAfter} at the end.`,
    `The CLI is bundled by esbuild (as tsup builds dist/cli.js) and run by plain node, with ${PYTHON} workers. Peak RSS is the CLI process's VmHWM (/proc), polled every 20 ms; the workers are separate processes, not included.`,
    '',
    '### Stopping a long run',
    '',
    `Worker: test/workers/fault_worker.py ok in \`--mode self\` (zero gradients, constant loss: every case passes). The signal is sent 2 s after the header is printed; the time is from the signal to the exit of the CLI (after it printed the summary of the cases checked and closed the worker).`,
    '',
    markdownTable(['what', 'to exit (median)', 'max', 'exit codes', 'cases checked (first run)', 'peak RSS'], stops, ['l', 'r', 'r', 'l', 'r', 'r']),
    '',
    '### Memory over long runs',
    '',
    'Worker: examples/python/numpy_mlp.py (every case passes), `--seed 1`; with `--json FILE --json-cases FILE.ndjson`: the summary (which does not grow with `--runs`) and every case streamed to the NDJSON file.',
    '',
    markdownTable(['runs', '--json, --json-cases', 'exit code', 'wall time', 'peak RSS'], memory, ['r', 'l', 'l', 'r', 'r']),
    '',
    'Targets (issue 11), from this run:',
    `- stopping does not depend on --runs: the slowest exit after a signal took ${formatMs(Math.max(...stopMs))}, at a million runs and at 10⁹ (before: 41 s to report a crash at case 4 with \`--runs 1e6\`, and a SIGTERM at \`GRADCHECK_RUNS_SCALE=1e9\` left the process at 100% CPU for over 10 minutes): met.`,
    `- peak RSS ≤ 150 MB at 100,000 runs: ${peakAt100k.toFixed(0)} MB (before: about 9 KB more per case, 368 MB at 30,000 runs): ${peakAt100k <= 150 ? 'met' : 'not met'}.`,
  ].join('\n');
  process.stdout.write(`${body}\n`);
  if (write) writeSection('BENCHMARKS.md', 'CLI runs', body);
  rmSync(dir, { recursive: true, force: true });
}

await main();
