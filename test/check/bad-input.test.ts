import { describe, expect, it } from 'vitest';
import { GradcheckError } from '../../src/errors.js';
import { parameterTensor } from '../../src/engine/layout.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';
import { checkGradients } from '../../src/check/strategies/check-gradients.js';
import type { CheckOptions } from '../../src/check/strategies/check-options.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { blackBoxObjective } from '../../src/check/objective/objective.js';

function expectError(f: () => unknown, where: string, problem: string): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GradcheckError);
  expect((error as GradcheckError).where).toBe(where);
  expect((error as GradcheckError).problem).toBe(problem);
}

// 2 → sigmoid 3 → identity 1, batch 2: W1 (0–5), b1 (6–8), W2 (9–11), b2 (12), then x (13–16).
const network = new Network({ inputs: 2, layers: [{ outputs: 3, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }] });
const c = { network, params: new Float64Array(13).fill(0.1), inputs: matrixFromRows([[1, 2], [3, 4]]), targets: matrixFromRows([[1], [0]]), reduction: 'mean' as const };
const SHAPES = 'W1 2×3, b1 1×3, W2 3×1, b2 1×1';

describe('checkNetwork: mismatched shapes', () => {
  it('params length', () => {
    expectError(() => checkNetwork({ ...c, params: new Float64Array(5) }), 'checkNetwork', `params has 5 entries; expected 13 (${SHAPES})`);
  });
  it('claimed parameters length', () => {
    expectError(() => checkNetwork(c, { claimed: { parameters: new Float64Array(14) } }), 'checkNetwork', `claimed.parameters has 14 entries; expected 13 (${SHAPES})`);
  });
  it('claimed inputs length', () => {
    expectError(
      () => checkNetwork(c, { claimed: { parameters: new Float64Array(13), inputs: new Float64Array(3) } }),
      'checkNetwork',
      'claimed.inputs has 3 entries; expected 4 (x 2×2)',
    );
    expectError(() => checkNetwork(c, { claimed: { parameters: new Float64Array(13) }, includeInputs: true }), 'checkNetwork', 'claimed.inputs has 0 entries; expected 4 (x 2×2)');
  });
  it('inputs columns', () => {
    expectError(() => checkNetwork({ ...c, inputs: matrixFromRows([[1, 2, 3], [4, 5, 6]]) }), 'checkNetwork', 'inputs is 2×3; expected 2 columns');
  });
  it('targets rows and columns', () => {
    expectError(() => checkNetwork({ ...c, targets: matrixFromRows([[1], [0], [1]]) }), 'checkNetwork', 'targets has 3 rows but inputs has 2; expected one target row per input row');
    expectError(() => checkNetwork({ ...c, targets: matrixFromRows([[1, 0], [0, 1]]) }), 'checkNetwork', 'targets is 2×2; expected 1 columns');
  });
});

describe('checkNetwork: NaN and Infinity', () => {
  it('in parameters', () => {
    const params = Float64Array.from(c.params);
    params[4] = NaN; // W1[1,1]
    expectError(() => checkNetwork({ ...c, params }), 'checkNetwork', 'params W1[1,1] (layer 1, flat index 4) is NaN; expected a finite number');
    params[4] = 0;
    params[12] = Infinity; // b2[0,0]
    expectError(() => checkNetwork({ ...c, params }), 'checkNetwork', 'params b2[0,0] (layer 2, flat index 12) is Infinity; expected a finite number');
  });
  it('in claimed gradients', () => {
    const parameters = new Float64Array(13);
    parameters[10] = NaN; // W2[1,0]
    expectError(() => checkNetwork(c, { claimed: { parameters } }), 'checkNetwork', 'claimed gradient W2[1,0] (layer 2, flat index 10) is NaN; expected a finite number');
    const inputs = new Float64Array(4);
    inputs[3] = -Infinity; // x[1,1], flat index 13 + 3
    expectError(() => checkNetwork(c, { claimed: { parameters: new Float64Array(13), inputs } }), 'checkNetwork', 'claimed gradient x[1,1] (flat index 16) is -Infinity; expected a finite number');
  });
  it('in inputs and targets', () => {
    expectError(() => checkNetwork({ ...c, inputs: matrixFromRows([[1, 2], [NaN, 4]]) }), 'checkNetwork', 'inputs[1,0] is NaN; expected a finite number');
    expectError(() => checkNetwork({ ...c, targets: matrixFromRows([[1], [Infinity]]) }), 'checkNetwork', 'targets[1,0] is Infinity; expected a finite number');
  });
});

describe('options', () => {
  it.each<[CheckOptions, string]>([
    [{ rtol: -1 }, 'options.rtol is -1; expected a number in [0, 1)'],
    [{ rtol: 1 }, 'options.rtol is 1; expected a number in [0, 1)'],
    [{ rtol: NaN }, 'options.rtol is NaN; expected a number in [0, 1)'],
    [{ atol: -1e-9 }, 'options.atol is -1e-9; expected a finite number ≥ 0'],
    [{ atol: Infinity }, 'options.atol is Infinity; expected a finite number ≥ 0'],
    [{ levels: 9 }, 'options.levels is 9; expected 1, 2 or 3'],
    [{ levels: 0 }, 'options.levels is 0; expected 1, 2 or 3'],
    [{ levels: 1.5 }, 'options.levels is 1.5; expected 1, 2 or 3'],
    [{ strategy: 'x' as CheckOptions['strategy'] }, "options.strategy is \"x\"; expected one of 'full', 'directions', 'fast'"],
    [{ directions: 0 }, 'options.directions is 0; expected an integer ≥ 1'],
    [{ seed: 1.5 }, 'options.seed is 1.5; expected an integer'],
  ])('%o is rejected, naming the API and the option', (options, problem) => {
    expectError(() => checkNetwork(c, options), 'checkNetwork', problem);
    expectError(() => checkLoss({ loss: (t) => t[0] ** 2, point: Float64Array.from([1]), claimed: Float64Array.from([2]) }, options), 'checkLoss', problem);
  });

  it('accepts every documented value at its bounds', () => {
    for (const options of [{ rtol: 0 }, { atol: 0 }, { levels: 1 }, { levels: 3 }, { strategy: 'directions' as const, directions: 1, seed: -3 }]) {
      expect(checkNetwork(c, options).verdict).toBe('pass');
    }
  });
});

describe('checkLoss and checkGradients: shapes and values', () => {
  const square = (t: Float64Array): number => t.reduce((s, v) => s + v * v, 0);

  it('claimed length', () => {
    expectError(() => checkLoss({ loss: square, point: new Float64Array(3), claimed: new Float64Array(2) }), 'checkLoss', 'claimed gradient has 2 entries; expected 3 (θ 1×3)');
  });
  it('NaN / Infinity in the point and the claim', () => {
    expectError(() => checkLoss({ loss: square, point: Float64Array.from([0, NaN]), claimed: new Float64Array(2) }), 'checkLoss', 'point θ[0,1] (flat index 1) is NaN; expected a finite number');
    expectError(
      () => checkLoss({ loss: square, point: new Float64Array(2), claimed: Float64Array.from([Infinity, 0]) }),
      'checkLoss',
      'claimed gradient θ[0,0] (flat index 0) is Infinity; expected a finite number',
    );
  });
  it('tensors that do not tile the point', () => {
    const base = { loss: square, point: new Float64Array(4), claimed: new Float64Array(4) };
    expectError(() => checkLoss({ ...base, tensors: [] }), 'checkLoss', 'tensors is empty; expected at least one tensor');
    expectError(() => checkLoss({ ...base, tensors: [parameterTensor('A', 1, 3)] }), 'checkLoss', 'the tensors cover 3 entries but the point has 4; expected them to match');
    expectError(
      () => checkLoss({ ...base, tensors: [parameterTensor('A', 2, 1), parameterTensor('B', 2, 1, 1)] }),
      'checkLoss',
      'tensors[1] (B) starts at offset 1; expected 2, right after the previous tensor',
    );
    expectError(
      () => checkLoss({ ...base, tensors: [parameterTensor('A', 0, 4)] }),
      'checkLoss',
      'tensors[0] (A) has shape 0×4; expected positive integers (an empty tensor cannot be checked)',
    );
  });
  it('an empty point', () => {
    expectError(
      () => checkLoss({ loss: () => 0, point: new Float64Array(0), claimed: new Float64Array(0) }),
      'checkLoss',
      'tensors[0] (θ) has shape 1×0; expected positive integers (an empty tensor cannot be checked)',
    );
  });
  it('a loss that is not finite', () => {
    expectError(() => checkLoss({ loss: () => NaN, point: new Float64Array(1), claimed: new Float64Array(1) }), 'blackBoxObjective', 'loss returned NaN; expected a number');
    expectError(
      () => checkLoss({ loss: () => Infinity, point: new Float64Array(1), claimed: new Float64Array(1) }),
      'checkGradients',
      'the loss at θ is Infinity; expected a finite number (overflow, or NaN in the implementation)',
    );
  });
  it('checkGradients names itself', () => {
    const objective = blackBoxObjective(square, Float64Array.from([1, 2]));
    expectError(
      () => checkGradients({ objective, claimed: new Float64Array(1), tensors: [parameterTensor('θ', 1, 2)] }),
      'checkGradients',
      'claimed gradient has 1 entries; expected 2 (θ 1×2)',
    );
    expectError(() => checkGradients({ objective, claimed: Float64Array.from([2, 4]), tensors: [parameterTensor('θ', 1, 2)] }, { levels: 9 }), 'checkGradients', 'options.levels is 9; expected 1, 2 or 3');
  });
});

describe('values of the wrong kind from JavaScript', () => {
  it('checkNetwork names a plain array, a spec, an unknown reduction and a parameter array', () => {
    expectError(() => checkNetwork({ ...c, inputs: [[1, 2]] as never }), 'checkNetwork', 'inputs is a plain array; expected a Matrix { rows, cols, data: Float64Array } (matrixFromRows(rows))');
    expectError(() => checkNetwork({ ...c, targets: [[1]] as never }), 'checkNetwork', 'targets is a plain array; expected a Matrix { rows, cols, data: Float64Array } (matrixFromRows(rows))');
    expectError(() => checkNetwork({ ...c, network: network.spec as never }), 'checkNetwork', 'network is an object (Object); expected a Network (new Network({ inputs, layers }))');
    expectError(() => checkNetwork({ ...c, params: Array.from(c.params) as never }), 'checkNetwork', 'params is a plain array; expected a Float64Array of 13 entries (Float64Array.from(values))');
    expectError(() => checkNetwork({ ...c, reduction: 'avg' as never }), 'checkNetwork', 'reduction is "avg"; expected one of "mean", "sum", "half-sum"');
    expectError(() => checkNetwork({ ...c, reduction: 'median' as never }), 'checkNetwork', 'reduction is "median"; expected one of "mean", "sum", "half-sum"');
  });

  it('checkLoss names a loss that is not a function and arrays that are not Float64Arrays', () => {
    expectError(() => checkLoss({ loss: 3 as never, point: new Float64Array(1), claimed: new Float64Array(1) }), 'checkLoss', 'loss is number; expected a function (θ: Float64Array) => number');
    expectError(() => checkLoss({ loss: (t) => t[0], point: [1] as never, claimed: new Float64Array(1) }), 'checkLoss', 'point is a plain array; expected a Float64Array (Float64Array.from(values))');
    expectError(() => checkLoss({ loss: (t) => t[0], point: new Float64Array(1), claimed: null as never }), 'checkLoss', 'claimed is null; expected a Float64Array (Float64Array.from(values))');
  });

  it('a network too large for one Float64Array is refused when built, not mid-check', () => {
    // 1e9 × 1e9 weights: buffer.constants.MAX_LENGTH (2^32 bytes on 64-bit Node 20) holds 2^29 float64s.
    expectError(() => new Network({ inputs: 1e9, layers: [{ outputs: 1e9, activation: 'sigmoid' }] }), 'Network', '[1000000000 → sigmoid 1000000000] has 1000000001000000000 parameters; at most 536870912 fit in one Float64Array');
  });
});
