/**
 * `gradcheck example`: checks the bundled example network (the reference engine's own gradients on
 * a 4 → 3 sigmoid → 2 ReLU → 1 network with a seeded batch of 4) and prints the report.
 */
import type { Command } from 'commander';
import { Network } from '../../engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../../engine/random-parameters.js';
import { checkNetwork } from '../../check/strategies/check-network.js';
import { renderReport, reportToJson } from '../../check/report/render-report.js';
import { EXIT_GRADIENTS_WRONG, EXIT_PASS } from '../exit-codes.js';

export function exampleCase(seed: number) {
  const network = new Network({
    inputs: 4,
    layers: [
      { outputs: 3, activation: 'sigmoid' },
      { outputs: 2, activation: 'relu' },
      { outputs: 1, activation: 'identity' },
    ],
  });
  const random = seededRandom(seed);
  return { network, params: randomParameters(network, random), inputs: randomMatrix(4, 4, random), targets: randomMatrix(4, 1, random), reduction: 'mean' as const };
}

export function registerExample(program: Command): void {
  program
    .command('example')
    .description('check the reference engine on a bundled example network and print the report')
    .option('--seed <n>', 'seed of the example parameters and batch', '1')
    .option('--json', 'print the report as JSON')
    .action((opts: { seed: string; json?: boolean }) => {
      const report = checkNetwork(exampleCase(Number(opts.seed)));
      process.stdout.write(`${opts.json ? reportToJson(report) : renderReport(report, { color: process.stdout.isTTY })}\n`);
      process.exitCode = report.verdict === 'pass' ? EXIT_PASS : EXIT_GRADIENTS_WRONG;
    });
}
