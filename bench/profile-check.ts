/**
 * The full check of bench:compare's largest network, [64,128,128,10]×32 (sigmoid hidden layers,
 * identity output, MSE mean, the engine's own gradients as the claim, every weight, bias and input),
 * repeated for a CPU profile (issue 20 item 2; the note in BENCHMARKS.md, "Where the full check's time
 * goes"):
 *
 *   node --import tsx --cpu-prof --cpu-prof-dir /tmp/prof bench/profile-check.ts [--runs N] [--strategy full|fast]
 *
 * It builds the case exactly as bench/compare.ts does (the same seeded weights and data), warms up with
 * one check, then runs N more (default 5) and prints the verdict and the mean time of a check.
 */
import { checkNetwork } from '../src/check/strategies/check-network.js';
import type { NetworkCase } from '../src/check/objective/network-objective.js';
import { Network } from '../src/engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../src/engine/random-parameters.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const runs = Number(flag('--runs') ?? 5);
const strategy = (flag('--strategy') ?? 'full') as 'full' | 'fast';

/** bench/compare.ts's case for these sizes: the same seed string, so the same numbers. */
function compareCase(sizes: readonly number[], batch: number): NetworkCase {
  const network = new Network({
    inputs: sizes[0],
    layers: sizes.slice(1).map((outputs, i) => ({ outputs, activation: i === sizes.length - 2 ? ('identity' as const) : ('sigmoid' as const) })),
  });
  const random = seededRandom(`compare-${sizes.join('-')}-${batch}`);
  return { network, params: randomParameters(network, random), inputs: randomMatrix(batch, sizes[0], random), targets: randomMatrix(batch, sizes[sizes.length - 1], random), reduction: 'mean' };
}

const c = compareCase([64, 128, 128, 10], 32);
let verdict = checkNetwork(c, { strategy }).verdict;
const start = performance.now();
for (let i = 0; i < runs; i++) verdict = checkNetwork(c, { strategy }).verdict;
const ms = (performance.now() - start) / runs;
process.stdout.write(`${strategy} check of [64,128,128,10]×32: ${verdict}, ${ms.toFixed(1)} ms a check (mean of ${runs} after one warm-up)\n`);
