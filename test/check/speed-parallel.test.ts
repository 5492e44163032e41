import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../../src/engine/random-parameters.js';
import { checkNetwork } from '../../src/check/check-network.js';
import { checkNetworkParallel } from '../../src/check/parallel-check.js';
import { reportToJson } from '../../src/check/render-report.js';

function reluCase() {
  const network = new Network({ inputs: 6, layers: [{ outputs: 8, activation: 'relu' }, { outputs: 5, activation: 'sigmoid' }, { outputs: 3, activation: 'identity' }] });
  const random = seededRandom('parallel');
  const c = { network, params: randomParameters(network, random), inputs: randomMatrix(5, 6, random), targets: randomMatrix(5, 3, random), reduction: 'mean' as const };
  // A ReLU unit exactly at its kink in row 0, so some entries are one-sided or skipped.
  const z = network.forward(c.params, c.inputs).preActivations[0];
  c.params[network.layers[0].biasOffset + 2] -= z[2];
  return c;
}

describe('checkNetworkParallel', () => {
  const c = reluCase();
  const g = c.network.gradients(c.params, c.inputs, c.targets, c.reduction);
  const parameters = Float64Array.from(g.parameters);
  parameters[3] *= 1.01;
  parameters[60] = -parameters[60] + 1e-3;
  const claimed = { parameters, inputs: g.inputs };

  it('reports exactly what checkNetwork reports, entry by entry on two worker threads', { timeout: 120_000 }, async () => {
    const sequential = checkNetwork(c, { claimed, screen: false });
    const parallel = await checkNetworkParallel(c, { claimed, screen: false, workers: 2, minMilliseconds: 0 });
    expect(reportToJson(parallel)).toBe(reportToJson(sequential));
    expect(sequential.verdict).toBe('fail');
    expect(sequential.failures.map((f) => f.index)).toEqual([3, 60]);
  });

  it('reports exactly what checkNetwork reports with the screen on, and in directions mode', { timeout: 120_000 }, async () => {
    expect(reportToJson(await checkNetworkParallel(c, { claimed, workers: 2, minMilliseconds: 0 }))).toBe(reportToJson(checkNetwork(c, { claimed })));
    const directions = { claimed, mode: 'directions' as const, seed: 3 };
    expect(reportToJson(await checkNetworkParallel(c, { ...directions, workers: 2 }))).toBe(reportToJson(checkNetwork(c, directions)));
  });

  it('stays on the calling thread for short checks (the default threshold) with the same report', async () => {
    expect(reportToJson(await checkNetworkParallel(c, { claimed, screen: false }))).toBe(reportToJson(checkNetwork(c, { claimed, screen: false })));
  });

  it('rejects bad options, naming them', async () => {
    await expect(checkNetworkParallel(c, { workers: 0 })).rejects.toThrow('checkNetworkParallel: options.workers is 0; expected an integer ≥ 1');
    await expect(checkNetworkParallel(c, { minMilliseconds: -1 })).rejects.toThrow('checkNetworkParallel: options.minMilliseconds is -1; expected a number ≥ 0');
  });
});
