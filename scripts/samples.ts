/**
 * Output samples in the docs, produced by the real tool. A sample is a fenced ```text block right
 * after a marker line
 *
 *   <!-- sample: gradcheck check python3 examples/python/numpy_buggy.py --seed 1 | lines 4-6,20-22 -->
 *
 * The command runs from the repository root (`gradcheck` is `src/cli/bin.ts` under tsx, `python3` is
 * GRADCHECK_PYTHON when set); `| lines A-B,C-D` keeps those lines of stdout (1-based), with `…` where
 * lines were left out. `npm run samples` rewrites every sample; `npm run samples -- --check` (and
 * test/docs/samples.test.ts) fails when one no longer matches what the tool prints.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DOCUMENTS = ['README.md', 'docs/cli.md', 'docs/verdicts.md'];

const MARKER = /^<!-- sample: (.+?)(?: \| lines ([\d,\- ]+))? -->$/;

export interface Sample {
  readonly file: string;
  /** Line index of the marker. */
  readonly at: number;
  readonly command: string;
  readonly lines?: string;
  /** The block's current text. */
  readonly current: string;
}

export function findSamples(file: string, text: string): Sample[] {
  const lines = text.split('\n');
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]);
    if (!m) continue;
    if (lines[i + 1] !== '```text') throw new Error(`${file}:${i + 1}: a sample marker must be followed by a \`\`\`text block`);
    const end = lines.indexOf('```', i + 2);
    if (end < 0) throw new Error(`${file}:${i + 2}: the sample's block is not closed`);
    samples.push({ file, at: i, command: m[1], lines: m[2], current: lines.slice(i + 2, end).join('\n') });
  }
  return samples;
}

/** Runs a sample's command and returns what the block should hold. */
export function produce(sample: Pick<Sample, 'command' | 'lines'>): string {
  const python = process.env.GRADCHECK_PYTHON ?? 'python3';
  const words = sample.command.split(' ').map((w) => (w === 'python3' ? python : w));
  const [program, ...args] = words[0] === 'gradcheck' ? [process.execPath, '--import', 'tsx', 'src/cli/bin.ts', ...words.slice(1)] : words[0] === 'npx' && words[1] === 'tsx' ? [process.execPath, '--import', 'tsx', ...words.slice(2)] : words;
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', COLUMNS: '100' };
  for (const name of ['GRADCHECK_RUNS', 'GRADCHECK_RUNS_SCALE', 'GRADCHECK_SEED', 'GRADCHECK_PATH']) delete env[name];
  const result = spawnSync(program, args, { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000 });
  if (result.error) throw result.error;
  const out = result.stdout.replace(/\n+$/, '').split('\n');
  if (!sample.lines) return out.join('\n');
  const kept: string[] = [];
  let last = 0;
  for (const range of sample.lines.split(',')) {
    const [a, b] = range.trim().split('-').map(Number);
    const from = a;
    const to = b ?? a;
    if (from > last + 1) kept.push('…');
    kept.push(...out.slice(from - 1, to));
    last = to;
  }
  if (last < out.length) kept.push('…');
  return kept.join('\n');
}

function main(): void {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const file of DOCUMENTS) {
    const path = `${ROOT}${file}`;
    const text = readFileSync(path, 'utf8');
    const samples = findSamples(file, text);
    if (samples.length === 0) continue;
    const lines = text.split('\n');
    // From the last, so that earlier markers keep their line numbers.
    for (const sample of [...samples].reverse()) {
      const produced = produce(sample);
      if (produced === sample.current) continue;
      stale.push(`${file}:${sample.at + 1}: ${sample.command}`);
      const end = lines.indexOf('```', sample.at + 2);
      lines.splice(sample.at + 2, end - sample.at - 2, ...produced.split('\n'));
    }
    if (!check) writeFileSync(path, lines.join('\n'));
  }
  if (check && stale.length > 0) {
    process.stderr.write(`samples no longer match the tool (run npm run samples):\n${stale.map((s) => `  ${s}`).join('\n')}\n`);
    process.exitCode = 1;
  } else process.stdout.write(check ? 'samples: every sample matches the tool\n' : `samples: ${stale.length} rewritten\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
