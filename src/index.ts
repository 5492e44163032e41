/** gradcheck's public API. */
export { GradcheckError } from './errors.js';

// Reference engine
export { activations, activationNames, sigmoid, relu, identity, type Activation, type ActivationName } from './engine/activation.js';
export { describeNetwork, validateNetworkSpec, type DenseLayer, type DenseLayerSpec, type NetworkSpec } from './engine/dense-layer.js';
export { concatTensors, entryName, locateIndex, parameterTensor, tensorSize, type ParameterTensor, type TensorKind } from './engine/layout.js';
export { mseLoss, mseGradientInto, reductionScale, reductions, type Reduction } from './engine/loss.js';
export { createMatrix, matrixFromRows, matrixToRows, type Matrix } from './engine/matrix.js';
export { Network, type ForwardTrace, type NetworkGradients } from './engine/network.js';
export { gaussian, randomMatrix, randomParameters, seededRandom, type Random } from './engine/random-parameters.js';

// Numeric checker
export { centralDifference, oneSidedDifference } from './check/central-difference.js';
export { checkGradients, type GradientProblem } from './check/check-gradients.js';
export { checkLoss, type LossProblem } from './check/check-loss.js';
export { checkNetwork, describeCase, type NetworkCheckOptions } from './check/check-network.js';
export { resolveCheckOptions, type CheckOptions } from './check/check-options.js';
export { networkObjective, type NetworkCase, type NetworkObjective } from './check/network-objective.js';
export { numericDerivative, type DifferenceMethod, type NumericDerivative } from './check/numeric-derivative.js';
export { blackBoxObjective, type Objective } from './check/objective.js';
export { absoluteError, relativeError } from './check/relative-error.js';
export { describeEntry, entryLabel, renderReport, reportToJson, verdictLine, type RenderOptions } from './check/render-report.js';
export type { CheckMode, EntryCheck, EntryStatus, GradientReport, TensorReport, Verdict } from './check/report.js';
export { CENTRAL_EXPONENTS, ONE_SIDED_EXPONENTS, richardson, type Extrapolation } from './check/richardson.js';
export { centralStep, EPSILON, optimalStep, richardsonStep } from './check/step.js';
export { DEFAULT_TOLERANCES, ROUNDING_FACTOR, SAFETY, roundingFloor, tolerance, type Tolerances } from './check/tolerance.js';

// Fixtures support
export { Mt19937 } from './fixtures/mt19937.js';
export { NumpyRandomState } from './fixtures/numpy-random-state.js';

// Third-party implementations
export { CachedObjective, type PendingPoint } from './adapters/cached-objective.js';
export { caseLabel, gradientsOf, lossesOf } from './adapters/call-implementation.js';
export { checkImplementationCase, idCounter, type ImplementationCheckOptions, type ImplementationMode, type ImplementationReport, type LossComparison } from './adapters/check-implementation.js';
export { DEFAULT_CONVENTIONS, describeConventions, resolveConventions, returnedScale, type BatchHandling, type Conventions, type ReturnedQuantity, type WeightLayout } from './adapters/conventions.js';
export { claimedFromResult, layersFromFlat, perSampleCases, toGradientCase, type ClaimedGradients } from './adapters/gradient-case.js';
export type { GradientCase, GradientResult, Implementation, LayerParameters } from './adapters/implementation.js';
