// A misspelt option is an error naming it and every option the API has, never silently ignored.
import { describe, expect, it } from 'vitest';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';

const network = new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'identity' }] });
const c = { network, params: Float64Array.from([1, 0]), inputs: matrixFromRows([[1]]), targets: matrixFromRows([[0]]), reduction: 'sum' as const };

describe('unknown options', () => {
  it('checkNetwork names the misspelt option and the valid ones', () => {
    expect(() => checkNetwork(c, { rtoll: 1e-3 } as never)).toThrow(
      'checkNetwork: options.rtoll is not an option of checkNetwork; expected one of rtol, atol, strategy, precision, sensitivity, groupSize, directions, seed, levels, locate, label, claimed, includeInputs, objective, screen',
    );
  });

  it('checkLoss too', () => {
    expect(() => checkLoss({ loss: (t) => t[0] ** 2, point: Float64Array.from([1]), claimed: Float64Array.from([2]) }, { fast: true } as never)).toThrow(
      'checkLoss: options.fast is not an option of checkLoss; expected one of rtol, atol, strategy,',
    );
  });

  it('runGradientProperty reports it as a usage error, checking nothing', async () => {
    const result = await runGradientProperty(referenceImplementation(), { runz: 10 } as never);
    expect(result.verdict).toBe('fail');
    expect(result.runs).toBe(0);
    expect(result.error?.message).toMatch(/^runGradientProperty: options\.runz is not an option of runGradientProperty; expected one of rtol, .*, mode, runs, seed, path, constraints, onProgress, signal, fresh, prelude, diagnose, onReport, lookAhead$/);
  });

  it('options that are not an object are named as such', () => {
    expect(() => checkNetwork(c, [] as never)).toThrow('checkNetwork: options is an array; expected an object');
    expect(() => checkNetwork(c, null as never)).toThrow('checkNetwork: options is null; expected an object');
  });
});
