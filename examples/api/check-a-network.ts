// The README's API example: check claimed gradients of a small network, one entry planted 1% wrong.
import { Network, checkNetwork, matrixFromRows, renderReport } from 'gradcheck';

const network = new Network({
  inputs: 2,
  layers: [
    { outputs: 3, activation: 'relu' },
    { outputs: 1, activation: 'identity' },
  ],
});
// W1 (2×3), b1 (1×3), W2 (3×1), b2 (1×1), flattened row-major in that order.
const params = new Float64Array([0.5, -0.3, 0.8, 0.2, 0.7, -0.4, 0.1, 0.0, -0.2, 1.2, -0.6, 0.9, 0.05]);
const inputs = matrixFromRows([[1.0, 2.0], [-0.5, 0.3]]);
const targets = matrixFromRows([[0.5], [-1.0]]);
const problem = { network, params, inputs, targets, reduction: 'mean' as const };

// Your backprop's gradients would go here; we take the engine's and break one entry by 1%.
const { parameters } = network.gradients(params, inputs, targets, 'mean');
parameters[9] *= 1.01; // W2[0,0]

const report = checkNetwork(problem, { claimed: { parameters } });
console.log(renderReport(report));
