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
export { centralDifference, oneSidedDifference } from './check/numerics/central-difference.js';
export { checkGradients } from './check/strategies/check-gradients.js';
export type { EntryScreen, GradientProblem } from './check/strategies/gradient-problem.js';
export { checkLoss, type LossProblem } from './check/strategies/check-loss.js';
export { checkNetwork, describeCase, SCREEN_AUTO_ENTRIES, type NetworkCheckOptions } from './check/strategies/check-network.js';
export { resolveCheckOptions, type CheckOptions } from './check/strategies/check-options.js';
export { networkObjective, type NetworkCase, type NetworkObjective } from './check/objective/network-objective.js';
export { estimate, type DifferenceMethod, type Estimate, type EstimatorSettings, type KinkStatus, type OneSidedEstimate } from './check/numerics/estimator.js';
export { judge, DEFAULT_TOLERANCES, type EntryVerdict, type Judgement, type Tolerances } from './check/numerics/judge.js';
export { PRECISIONS, unitRoundoff, type Precision } from './check/numerics/precision.js';
export { blackBoxObjective, type Objective } from './check/objective/objective.js';
export { absoluteError, relativeError } from './check/numerics/relative-error.js';
export { describeEntry, entryLabel, renderReport, reportToJson, verdictLine, type RenderOptions } from './check/report/render-report.js';
export type { Strategy, EntryCheck, EntryStatus, GradientReport, TensorReport, Verdict } from './check/report/report.js';
export { richardson, type Extrapolation } from './check/numerics/richardson.js';
export { centralStep, optimalStep, richardsonStep } from './check/numerics/step.js';
export { incrementalNetworkObjective } from './check/objective/incremental-network-objective.js';
export { screenNetwork, type NetworkScreen, type ScreenSettings } from './check/strategies/screen-network.js';

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
export { defineImplementation, type DefinedImplementation } from './adapters/in-process.js';
export { spawnWorker, type WorkerImplementation } from './adapters/subprocess/spawn-worker.js';
export { DEFAULT_WORKER_OPTIONS, commandLabel, type WorkerOptions } from './adapters/subprocess/worker-options.js';
export { PROTOCOL_VERSION, NON_FINITE, encodeLine } from './adapters/subprocess/protocol.js';
export type { Handshake } from './adapters/subprocess/schemas.js';
export { conventionHints, type ConventionHint } from './adapters/convention-hints.js';

// Diagnosis of failed checks
export { CAUSE_TITLES, causeKeys, type CauseKey } from './diagnosis/causes.js';
export { diagnoseReport } from './diagnosis/diagnose-report.js';
export { diagnoseImplementation, type DiagnoseOptions } from './diagnosis/diagnose-implementation.js';
export type { CauseMatch, Diagnosis, DiagnosisVerdict, ProbeRecord } from './diagnosis/diagnosis.js';
export { gatherEvidence, ratioMeaning, type Evidence, type TensorEvidence } from './diagnosis/evidence.js';
export { networkCaseOf, type DiagnosisCase } from './diagnosis/diagnosis-case.js';
export { variantGradients, type BackwardVariant, type DerivativeMistake, type VariantGradients } from './diagnosis/backward-variant.js';
export { renderDiagnosis, summaryLine } from './diagnosis/render-diagnosis.js';

// Property-based generators (fast-check arbitraries) and the property runner
export { architecture, type ArchitectureConstraints, type BiasChoice } from './arbitraries/architecture.js';
export { batch, type BatchConstraints, type BatchRecipe } from './arbitraries/batch.js';
export { buildCase, type CaseRecipe, type GeneratedCase } from './arbitraries/build-case.js';
export { describeGeneratedCase } from './arbitraries/describe-generated-case.js';
export { drawBatch } from './arbitraries/draw-batch.js';
export { drawWeights } from './arbitraries/draw-weights.js';
export { networkCase, type CaseConstraints } from './arbitraries/network-case.js';
export { reduction, type ReductionConstraints } from './arbitraries/reduction.js';
export { weightRegimes, weights, type WeightConstraints, type WeightRecipe, type WeightRegime } from './arbitraries/weights.js';
export { assertGradients, GradientPropertyError, runGradientProperty, type PropertyOptions, type PropertyResult } from './runner/assert-gradients.js';
export { fastCheckParameters, resolvePropertyParameters, type PropertyParameterOptions, type PropertyParameters } from './runner/property-parameters.js';
export { referenceImplementation, type ReferenceImplementationOptions } from './adapters/reference-implementation.js';

// Notebook fixtures
export { fixtureFiles, loadFixture, parseFixture, type LoadedFixture } from './fixtures/load-fixture.js';
export { FixtureError, type FixtureIssue } from './fixtures/fixture-error.js';
export { fixtureSchema, type Fixture, type PrintedValue, type Quantity, type RecordedVerdict } from './fixtures/schema.js';
export { evaluateFixture, type FixtureResult, type FixtureStatus } from './fixtures/evaluate-fixture.js';
export { gradientEnvelope, type GradientEnvelope } from './engine/gradient-envelope.js';
export { networkClaimedRounding, networkLossRounding } from './check/objective/claimed-rounding.js';

// What a worker or in-process implementation supports, and declining a case
export { UnsupportedCase } from './runner/unsupported-case.js';
export { intersectSupports, SUPPORT_FIELDS, type SupportField, type Supports, type SupportsSide } from './arbitraries/supports.js';
export type { DeclinedSummary } from './runner/declined-cases.js';
