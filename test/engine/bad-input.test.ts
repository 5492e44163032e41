import { describe, expect, it } from 'vitest';
import { GradcheckError } from '../../src/errors.js';
import { matrixFromRows } from '../../src/engine/matrix.js';
import { Network } from '../../src/engine/network.js';
import type { DenseLayerSpec, NetworkSpec } from '../../src/engine/dense-layer.js';

function thrown(f: () => unknown): GradcheckError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(GradcheckError);
    return error as GradcheckError;
  }
  throw new Error('expected a GradcheckError, nothing was thrown');
}

function expectError(f: () => unknown, where: string, problem: string): void {
  const error = thrown(f);
  expect(error.where).toBe(where);
  expect(error.problem).toBe(problem);
  expect(error.message).toBe(`${where}: ${problem}`);
}

describe('Network spec validation', () => {
  it('rejects an empty network', () => {
    expectError(() => new Network({ inputs: 2, layers: [] }), 'Network', 'layers is empty; expected at least one dense layer');
  });
  it('rejects an empty layer', () => {
    expectError(
      () => new Network({ inputs: 2, layers: [{ outputs: 3, activation: 'relu' }, { outputs: 0, activation: 'identity' }] }),
      'Network',
      'layers[1].outputs is 0; expected an integer ≥ 1 (a layer cannot be empty)',
    );
  });
  it('rejects a non-integer or missing input width', () => {
    expectError(() => new Network({ inputs: 0, layers: [{ outputs: 1, activation: 'relu' }] }), 'Network', 'inputs is 0; expected an integer ≥ 1');
    expectError(() => new Network({ inputs: 1.5, layers: [{ outputs: 1, activation: 'relu' }] }), 'Network', 'inputs is 1.5; expected an integer ≥ 1');
  });
  it('rejects unknown activations and non-boolean bias', () => {
    expectError(
      () => new Network({ inputs: 2, layers: [{ outputs: 1, activation: 'tanh' } as unknown as DenseLayerSpec] }),
      'Network',
      'layers[0].activation is "tanh"; expected one of sigmoid, relu, identity',
    );
    expectError(
      () => new Network({ inputs: 2, layers: [{ outputs: 1, activation: 'relu', bias: 'yes' } as unknown as DenseLayerSpec] }),
      'Network',
      'layers[0].bias is "yes"; expected true or false',
    );
    expectError(() => new Network(null as unknown as NetworkSpec), 'Network', 'spec is null; expected { inputs, layers }');
    expectError(
      () => new Network({ inputs: 2, layers: [null as unknown as DenseLayerSpec] }),
      'Network',
      'layers[0] is null; expected { outputs, activation, bias? }',
    );
  });
});

describe('Network.gradients input validation', () => {
  // 2 → sigmoid 3 → identity 1: W1 (0–5), b1 (6–8), W2 (9–11), b2 (12).
  const net = new Network({ inputs: 2, layers: [{ outputs: 3, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }] });
  const params = new Float64Array(13).fill(0.1);
  const x = matrixFromRows([[1, 2], [3, 4]]);
  const y = matrixFromRows([[1], [0]]);

  it('names the expected parameter shapes when params has the wrong length', () => {
    expectError(
      () => net.gradients(new Float64Array(12), x, y, 'mean'),
      'Network.gradients',
      'params has 12 entries; expected 13 (W1 2×3, b1 1×3, W2 3×1, b2 1×1)',
    );
    expectError(() => net.forward(new Float64Array(14), x), 'Network.forward', 'params has 14 entries; expected 13 (W1 2×3, b1 1×3, W2 3×1, b2 1×1)');
  });

  it('locates NaN and Infinity in params by tensor, entry, layer and flat index', () => {
    const nan = Float64Array.from(params);
    nan[7] = NaN;
    expectError(() => net.gradients(nan, x, y, 'mean'), 'Network.gradients', 'params b1[0,1] (layer 1, flat index 7) is NaN; expected a finite number');
    const inf = Float64Array.from(params);
    inf[10] = -Infinity;
    expectError(() => net.loss(inf, x, y, 'sum'), 'Network.loss', 'params W2[1,0] (layer 2, flat index 10) is -Infinity; expected a finite number');
  });

  it('rejects inputs with the wrong number of columns, or none', () => {
    expectError(() => net.gradients(params, matrixFromRows([[1, 2, 3], [4, 5, 6]]), y, 'mean'), 'Network.gradients', 'inputs is 2×3; expected 2 columns');
    expectError(() => net.gradients(params, matrixFromRows([]), matrixFromRows([]), 'mean'), 'Network.gradients', 'inputs has no rows; expected a batch of at least 1');
  });

  it('rejects targets with the wrong shape', () => {
    expectError(() => net.gradients(params, x, matrixFromRows([[1]]), 'mean'), 'Network.gradients', 'targets has 1 rows but inputs has 2; expected one target row per input row');
    expectError(() => net.gradients(params, x, matrixFromRows([[1, 2], [3, 4]]), 'mean'), 'Network.gradients', 'targets is 2×2; expected 1 columns');
  });

  it('locates NaN and Infinity in inputs and targets', () => {
    expectError(() => net.gradients(params, matrixFromRows([[1, 2], [NaN, 4]]), y, 'mean'), 'Network.gradients', 'inputs[1,0] is NaN; expected a finite number');
    expectError(() => net.gradients(params, x, matrixFromRows([[Infinity], [0]]), 'mean'), 'Network.gradients', 'targets[0,0] is Infinity; expected a finite number');
  });
});
