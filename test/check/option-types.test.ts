// Every numeric and boolean option of the checks is type-checked before its range, and the message
// shows the value as the caller passed it (issue 22: `rtol: '1e-3'` was accepted and echoed as a
// string; `atol: '0'` was rejected as "options.atol is 0").
import { describe, expect, it } from 'vitest';
import { GradcheckError } from '../../src/errors.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { describeValue } from '../../src/check/strategies/check-options.js';
import { Network } from '../../src/engine/network.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';
import { runFunctionProperty } from '../../src/runner/function-property.js';
import type { Implementation } from '../../src/adapters/implementation.js';

const network = new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'identity' }] });
const nc = { network, params: Float64Array.from([0.5, 0.1]), inputs: matrixFromRows([[1]]), targets: matrixFromRows([[0]]), reduction: 'sum' as const };
const quadratic = { loss: (t: Float64Array) => t[0] ** 2, point: Float64Array.from([1]), claimed: Float64Array.from([2]) };

function problemOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(GradcheckError);
    return (error as GradcheckError).problem;
  }
  throw new Error('expected a GradcheckError');
}

const CASES: [Record<string, unknown>, string][] = [
  [{ rtol: '1e-3' }, 'options.rtol is the string "1e-3"; expected a number'],
  [{ atol: '0' }, 'options.atol is the string "0"; expected a number'],
  [{ rtol: null }, 'options.rtol is null; expected a number'],
  [{ atol: [0] }, 'options.atol is an array; expected a number'],
  [{ levels: '2' }, 'options.levels is the string "2"; expected a number'],
  [{ directions: true }, 'options.directions is the boolean true; expected a number'],
  [{ seed: 1n }, 'options.seed is the bigint 1n; expected a number'],
  [{ sensitivity: {} }, 'options.sensitivity is an object; expected a number'],
  [{ groupSize: '8' }, 'options.groupSize is the string "8"; expected a number'],
  [{ locate: 'yes' }, 'options.locate is the string "yes"; expected true or false'],
  [{ label: 3 }, 'options.label is 3; expected a string'],
];

describe('check options are type-checked, showing the value as passed', () => {
  it.each(CASES)('checkNetwork and checkLoss reject %o', (options, problem) => {
    expect(problemOf(() => checkNetwork(nc, options as never))).toBe(problem);
    expect(problemOf(() => checkLoss(quadratic, options as never))).toBe(problem);
  });

  it('runGradientProperty rejects a string rtol before it asks the implementation anything', async () => {
    let asked = 0;
    const impl: Implementation = { name: 'counted', conventions: {}, gradients: () => (asked++, { parameters: [] }) } as unknown as Implementation;
    const result = await runGradientProperty(impl, { rtol: '1e-3' as never, runs: 3, seed: 1 });
    expect(asked).toBe(0);
    expect(result.verdict).toBe('fail');
    expect(result.error?.message).toBe('runGradientProperty: options.rtol is the string "1e-3"; expected a number');
  });

  it('runFunctionProperty rejects a string atol', async () => {
    let asked = 0;
    const spec = { name: 'square', check: () => (asked++, {}), signature: { inputs: { x: { shape: [1] } } } };
    await expect(runFunctionProperty(spec as never, { atol: '0' as never, runs: 1, seed: 1 })).rejects.toThrow('runFunctionProperty: options.atol is the string "0"; expected a number');
    expect(asked).toBe(0);
  });

  it('numbers still reach their range checks unchanged', () => {
    expect(problemOf(() => checkNetwork(nc, { rtol: 2 }))).toBe('options.rtol is 2; expected a number in [0, 1)');
  });
});

describe('describeValue', () => {
  it.each<[unknown, string]>([
    ['1e-3', 'the string "1e-3"'],
    [null, 'null'],
    [false, 'the boolean false'],
    [new Float64Array(2), 'a Float64Array'],
    [() => 0, 'a function'],
    [NaN, 'NaN'],
  ])('%o is %s', (value, text) => expect(describeValue(value)).toBe(text));
});
