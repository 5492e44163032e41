/**
 * The functions section of `npm run bench:compare` (issue 15): checking the VJP of softmax with
 * cross-entropy and of a 1-D convolution (examples/typescript/functions/) at a few sizes, gradcheck's
 * `checkVjp` against torch.autograd.gradcheck on the same functions and the same inputs, in one run:
 * time per check, calls of f per check, and numeric error. Figures, not tests.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkVjp } from '../src/check/functions/check-vjp.js';
import type { FunctionReport } from '../src/check/functions/function-report.js';
import type { NamedTensors, Tensor } from '../src/check/functions/tensor.js';
import { gaussian, seededRandom } from '../src/engine/random-parameters.js';
import { softmax, softmaxCrossEntropy, softmaxCrossEntropyVjp } from '../examples/typescript/functions/softmax-cross-entropy.js';
import { conv1d, conv1dVjp } from '../examples/typescript/functions/conv1d.js';
import { markdownTable } from './markdown.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_functions.py', import.meta.url));

interface FunctionCase {
  readonly name: string;
  readonly function: 'softmax-cross-entropy' | 'conv1d';
  readonly inputs: NamedTensors;
  readonly wrt: readonly string[];
}

function randomTensor(shape: number[], seed: string): Tensor {
  const random = seededRandom(seed);
  const data = new Float64Array(shape.reduce((a, d) => a * d, 1));
  for (let k = 0; k < data.length; k++) data[k] = gaussian(random);
  return { shape, data };
}

/** Softmax-CE at batch × classes, conv1d at C_in × L with C_out × C_in × K kernels: small to mid-sized layers. */
export const FUNCTION_CASES: readonly FunctionCase[] = [
  ...([[4, 10], [16, 32], [32, 100]] as const).map(([b, c]): FunctionCase => ({
    name: `softmax-CE ${b}×${c}`,
    function: 'softmax-cross-entropy',
    inputs: { z: randomTensor([b, c], `ce-z-${b}-${c}`), p: softmax({ z: randomTensor([b, c], `ce-p-${b}-${c}`) }) },
    wrt: ['z'],
  })),
  ...([[2, 16, 4, 3], [4, 64, 8, 5], [8, 128, 8, 7]] as const).map(([cin, l, cout, k]): FunctionCase => ({
    name: `conv1d ${cin}×${l} * ${cout}×${cin}×${k}`,
    function: 'conv1d',
    inputs: { x: randomTensor([cin, l], `cv-x-${l}`), w: randomTensor([cout, cin, k], `cv-w-${l}`), b: randomTensor([cout], `cv-b-${l}`) },
    wrt: ['x', 'w', 'b'],
  })),
];

function check(c: FunctionCase, strategy: 'full' | 'fast'): FunctionReport {
  return c.function === 'conv1d'
    ? checkVjp({ f: conv1d, vjp: conv1dVjp, inputs: c.inputs, wrt: c.wrt, strategy })
    : checkVjp({ f: softmaxCrossEntropy, vjp: softmaxCrossEntropyVjp, inputs: c.inputs, wrt: c.wrt, strategy });
}

function timed(call: () => FunctionReport, budgetMs: number): { ms: number; report: FunctionReport } {
  let report = call(); // warm-up
  let runs = 0;
  const start = performance.now();
  do {
    report = call();
    runs++;
  } while (performance.now() - start < budgetMs);
  return { ms: (performance.now() - start) / runs, report };
}

interface TorchCase {
  readonly name: string;
  readonly slow: { seconds: number; passed: boolean };
  readonly fast: { seconds: number; passed: boolean };
  readonly evaluations: { slow: number; fast: number };
  readonly numeric_error: number;
}

function runTorch(budgetMs: number): { torch: string; threads: number; cases: TorchCase[] } | null {
  const wire = (n: NamedTensors) => Object.fromEntries(Object.entries(n).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }]));
  const input = JSON.stringify({ cases: FUNCTION_CASES.map((c) => ({ name: c.name, function: c.function, inputs: wire(c.inputs) })), budget_seconds: budgetMs / 1000, threads: 1 });
  const out = spawnSync(PYTHON, [SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['pipe', 'pipe', 'inherit'] });
  if (out.status !== 0) return null;
  return JSON.parse(out.stdout) as { torch: string; threads: number; cases: TorchCase[] };
}

const exp = (x: number): string => (x === 0 ? '0' : x.toExponential(1));
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3)) + ' ms';

/** The section's text: context line, table and notes. `torch` false skips torch. */
export function functionsSection(budgetMs: number, torch: boolean): string {
  const ours = FUNCTION_CASES.map((c) => {
    const { ms: time, report } = timed(() => check(c, 'full'), budgetMs);
    const fast = timed(() => check(c, 'fast'), budgetMs);
    // The worst entry of each tensor (the one closest to, or furthest past, its tolerance).
    const error = Math.max(...report.tensors.map((t) => t.worst?.absoluteError ?? 0));
    const entries = report.counts.checked;
    process.stderr.write(`gradcheck: ${c.name} done\n`);
    return { time, evaluations: report.evaluations, error, verdict: report.verdict, entries, stage: report.stages?.columnSettled ?? 0, fast: { time: fast.ms, evaluations: fast.report.evaluations, verdict: fast.report.verdict } };
  });
  const t = torch ? runTorch(budgetMs) : null;
  const header = ['function', 'entries', 'settled by stage', 'gradcheck VJP', 'calls of f', 'calls / torch slow\'s', 'time / torch slow\'s', 'gradcheck fast', 'calls', 'torch slow', 'calls', 'torch fast', 'calls', 'numeric error gradcheck', 'numeric error torch'];
  const rows = FUNCTION_CASES.map((c, i) => {
    const o = ours[i];
    const r = t?.cases[i];
    return [
      c.name,
      String(o.entries),
      String(o.stage),
      ms(o.time) + (o.verdict === 'pass' ? '' : ` (${o.verdict})`),
      String(o.evaluations),
      r ? (o.evaluations / r.evaluations.slow).toFixed(2) : '-',
      r ? (o.time / (1000 * r.slow.seconds)).toFixed(2) : '-',
      ms(o.fast.time) + (o.fast.verdict === 'pass' ? '' : ` (${o.fast.verdict})`),
      String(o.fast.evaluations),
      r ? ms(1000 * r.slow.seconds) + (r.slow.passed ? '' : ' (fail)') : '-',
      r ? String(r.evaluations.slow) : '-',
      r ? ms(1000 * r.fast.seconds) + (r.fast.passed ? '' : ' (fail)') : '-',
      r ? String(r.evaluations.fast) : '-',
      exp(o.error),
      r ? exp(r.numeric_error) : '-',
    ];
  });
  const context = t
    ? `torch ${t.torch} (${PYTHON}), CPU, float64, ${t.threads} thread; times are means over at least ${budgetMs / 1000} s of repeated checks after a warm-up.`
    : `torch: not measured (python3-torch absent at ${PYTHON}, or --no-torch); times are means over at least ${budgetMs / 1000} s.`;
  const notes = [
    'What the columns mean:',
    '- **entries**: the VJP entries gradcheck checks (one per differentiated input entry) of ⟨f(x), ȳ⟩ for a seeded N(0, 1) cotangent ȳ, rtol 1e-6: first from f at x − h, x + h, x + 2h along the entry (the column stage, 3 calls, with its own error estimate), refined by Richardson only where the judge does not pass an entry on that (src/check/functions/column-check.ts); **settled by stage** counts the entries the column stage settled.',
    "- **gradcheck fast**: the same check with `strategy: 'fast'` (random directions plus group probes that find any single entry wrong by more than 0.1%, docs/fast-mode.md).",
    "- **torch slow / fast**: `torch.autograd.gradcheck(f, inputs, fast_mode=False/True)` with its defaults (eps 1e-6, atol 1e-5, rtol 1e-3). Slow mode checks the whole Jacobian (outputs × inputs: more work than one VJP, and for a scalar loss the same); fast mode one random projection.",
    '- **calls of f**: per check; for torch, calls of f in one gradcheck call (its backward passes not counted).',
    "- **numeric error**: gradcheck: the largest |numeric − analytic| among each tensor's worst entry (the report keeps no other); torch: max |numerical − analytical| over the Jacobian with slow mode's numerical Jacobian.",
  ].join('\n');
  return `### Custom functions (VJP)\n\n${context}\n\n${markdownTable(header, rows, ['l', ...header.slice(1).map(() => 'r' as const)])}\n\n${notes}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--budget');
  process.stdout.write(functionsSection(1000 * Number(i >= 0 ? args[i + 1] : 0.5), !args.includes('--no-torch')));
}
