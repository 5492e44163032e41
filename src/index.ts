/**
 * gradcheck's public API. Everything else under `src/` is internal and may change without notice; the
 * committed API report (`api/gradcheck.api.md`) shows every change of this surface in review.
 *
 * @packageDocumentation
 */

// Errors of bad input
export { GradcheckError } from './errors.js';

// Reference engine
export { Network, type ForwardTrace, type NetworkGradients } from './engine/network.js';
export type { DenseLayer, DenseLayerSpec, NetworkSpec } from './engine/dense-layer.js';
export type { Activation, ActivationName } from './engine/activation.js';
export type { Reduction } from './engine/loss.js';
export { matrixFromRows, matrixToRows, type Matrix } from './engine/matrix.js';
export { randomParameters, type Random } from './engine/random-parameters.js';
export type { ParameterTensor, TensorKind } from './engine/layout.js';

// Checks
export { checkNetwork, type NetworkCheckOptions } from './check/strategies/check-network.js';
export { checkLoss, type LossProblem } from './check/strategies/check-loss.js';
export type { CheckOptions } from './check/strategies/check-options.js';
export type { NetworkCase } from './check/objective/network-objective.js';
export { DEFAULT_TOLERANCES, type EntryVerdict, type Tolerances } from './check/numerics/judge.js';
export type { DifferenceMethod } from './check/numerics/estimator.js';
export type { Precision } from './check/numerics/precision.js';

// Reports
export { renderReport, reportToJson, type RenderOptions } from './check/report/render-report.js';
export type { EntryCheck, EntryStatus, GradientReport, Strategy, TensorReport, Verdict } from './check/report/report.js';

// Properties and arbitraries
export { assertGradients, GradientPropertyError, runGradientProperty, type PropertyOptions, type PropertyResult } from './runner/assert-gradients.js';
export type { DeclinedSummary } from './runner/declined-cases.js';
export { arbitraries } from './arbitraries/public.js';
export type { ArchitectureConstraints, BiasChoice } from './arbitraries/architecture.js';
export type { BatchConstraints, BatchRecipe } from './arbitraries/batch.js';
export type { CaseConstraints } from './arbitraries/network-case.js';
export type { GeneratedCase, CaseRecipe } from './arbitraries/build-case.js';
export type { ReductionConstraints } from './arbitraries/reduction.js';
export type { WeightConstraints, WeightRecipe, WeightRegime } from './arbitraries/weights.js';

// Implementations and workers
export type { GradientCase, GradientResult, Implementation, LayerParameters } from './adapters/implementation.js';
export type { BatchHandling, Conventions, ReturnedQuantity, WeightLayout } from './adapters/conventions.js';
export type { ClaimedGradients } from './adapters/gradient-case.js';
export type { Supports } from './arbitraries/supports.js';
export { defineImplementation, type DefinedImplementation } from './adapters/in-process.js';
export { referenceImplementation, type ReferenceImplementationOptions } from './adapters/reference-implementation.js';
export { checkImplementationCase, type CaseMeta, type ImplementationCheckOptions, type ImplementationMode, type ImplementationReport, type LossComparison } from './adapters/check-implementation.js';
export { spawnWorker, type WorkerImplementation } from './adapters/subprocess/spawn-worker.js';
export type { WorkerOptions } from './adapters/subprocess/worker-options.js';
export { UnsupportedCase } from './runner/unsupported-case.js';

// Diagnosis
export { diagnoseImplementation, type DiagnoseOptions } from './diagnosis/diagnose-implementation.js';
export { renderDiagnosis } from './diagnosis/render-diagnosis.js';
export type { CauseMatch, Diagnosis, DiagnosisVerdict, ProbeRecord } from './diagnosis/diagnosis.js';
export type { CauseKey } from './diagnosis/causes.js';
export type { Evidence, TensorEvidence } from './diagnosis/evidence.js';
export type { ConventionHint } from './adapters/convention-hints.js';

// Notebook fixtures
export { fixtureFiles, loadFixture, type LoadedFixture } from './fixtures/load-fixture.js';
export type { Regenerated } from './fixtures/regenerate.js';
export type { BackwardPrinted, ClaimCheck, Disagreement, NotebookVerdict } from './fixtures/verdict.js';
export type { EntryComparison, EntryMatch, ValueComparison, ValueStatus } from './fixtures/regression.js';
export type { SupersededCheck } from './fixtures/superseded.js';
export { evaluateFixture, type FixtureResult, type FixtureStatus } from './fixtures/evaluate-fixture.js';
export { FixtureError, type FixtureIssue } from './fixtures/fixture-error.js';
export type { Fixture, PrintedValue } from './fixtures/schema.js';
