/**
 * The cost of a worker function check, said before it starts: a full VJP check takes about
 * 3 calls of f per differentiated input entry (the column stage, check/functions/column-stage.ts) plus
 * f at the point and the noise measurement, per case. A request above `EXPENSIVE_CALLS` calls is
 * announced with the cheaper strategies.
 */
import type { FunctionSpec } from '../adapters/subprocess/schemas.js';
import { STAGE_POINTS } from '../check/functions/column-stage.js';

/**
 * Calls of f in a whole run above which the request is announced: 10⁵ calls take about 5 s in process
 * (≈ 50 µs a call for the bench's softmax at 32×100, bench/compare-functions.ts) and minutes through a
 * worker, whose round trips add milliseconds per batch and whose functions run at interpreter speed.
 */
export const EXPENSIVE_CALLS = 100_000;

/** Calls of f besides the column stage's, per case: f at the point and ECnoise's samples (9 a spacing, 2–5 spacings; numerics/noise.ts). */
const FIXED_CALLS = 1 + 9 * 5;

/** The most differentiated entries a case of `spec` can have: each input's shape at its dimensions' maxima. */
export function maxEntries(spec: FunctionSpec): number {
  let entries = 0;
  for (const input of Object.values(spec.inputs)) {
    if (input.differentiable === false) continue;
    entries += input.shape.reduce<number>((a, d) => a * (typeof d === 'number' ? d : (spec.dims?.[d]?.max ?? 1)), 1);
  }
  return entries;
}

/** The notice for an expensive request, or undefined. Only `full` VJP checks scale with the entries. */
export function costNotice(spec: FunctionSpec, rule: 'vjp' | 'jvp', runs: number, strategy: string): string | undefined {
  if (rule !== 'vjp' || strategy !== 'full') return undefined;
  const entries = maxEntries(spec);
  const perCase = STAGE_POINTS * entries + FIXED_CALLS;
  const total = perCase * runs;
  if (total <= EXPENSIVE_CALLS) return undefined;
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    `gradcheck check: ${spec.name} vjp is expensive: up to ${n(entries)} input entries × ~${STAGE_POINTS} calls = ~${n(perCase)} calls of ${spec.name} a case, ` +
    `~${n(total)} for ${n(runs)} cases (more where entries need refining).\n` +
    `  cheaper: --strategy fast (random directions and group probes: calls independent of the entries, docs/fast-mode.md), ` +
    `or --runs ${Math.max(1, Math.floor(EXPENSIVE_CALLS / perCase))}, or smaller dims in the handshake.\n`
  );
}
