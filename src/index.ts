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

// Checks of any differentiable function: VJP, JVP, Jacobian, Hessian-vector product
export { checkVjp, type VjpProblem, type VjpRule } from './check/functions/check-vjp.js';
export { checkJvp, type JvpProblem, type JvpRule } from './check/functions/check-jvp.js';
export { checkJacobian, MAX_JACOBIAN_ENTRIES, type JacobianProblem } from './check/functions/check-jacobian.js';
export { checkHvp, type HvpProblem } from './check/functions/check-hvp.js';
export type { FunctionProblemBase } from './check/functions/function-inputs.js';
export type { DifferentiableFunction } from './check/functions/differentiable-function.js';
export type { NamedTensors, Tensor, TensorLike } from './check/functions/tensor.js';
export type { FunctionCheckKind, FunctionReport, LocatedEntry, StageCounts } from './check/functions/function-report.js';
export { renderFunctionReport } from './check/functions/render-function-report.js';
export type { BatchedProgress } from './check/functions/vjp-in-blocks.js';
export type { ColumnProgress } from './check/functions/column-check.js';
export type { DifferenceMethod } from './check/numerics/estimator.js';
export type { Precision } from './check/numerics/precision.js';

// Reports
export { renderReport, reportToJson, type RenderOptions } from './check/report/render-report.js';
export type { EntryCheck, EntryStatus, GradientReport, Strategy, TensorReport, Verdict } from './check/report/report.js';
export { renderHtmlReport, type HtmlReportOptions, type HtmlReportSubject } from './html/render-html-report.js';

// Properties and arbitraries
export { assertGradients, GradientPropertyError, runGradientProperty, type PropertyOptions, type PropertyResult } from './runner/assert-gradients.js';
export type { DeclinedSummary } from './runner/declined-cases.js';
export type { ShrinkStep, TensorRatios } from './runner/run-record.js';
export type { FreshImplementation, StateDependence } from './runner/state-dependence.js';
export { runFunctionProperty, type FunctionPropertyOptions, type FunctionPropertyResult, type FunctionPropertySpec } from './runner/function-property.js';
export type { FunctionInputCase, FunctionInputConstraints, FunctionInputSpec, FunctionSignature, ValueRegime } from './arbitraries/function-inputs.js';
export { arbitraries, type Arbitraries } from './arbitraries/public.js';
export type { ArchitectureConstraints, BiasChoice } from './arbitraries/architecture.js';
export type { BatchConstraints, BatchRecipe } from './arbitraries/batch.js';
export type { CaseConstraints } from './arbitraries/network-case.js';
export type { GeneratedCase, CaseRecipe } from './arbitraries/build-case.js';
export type { CaseHistory } from './arbitraries/case-history.js';
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
export { checkWorkerFunction, type WorkerFunctionPoint } from './adapters/subprocess/check-worker-function.js';
export type { FunctionCallCase, FunctionOp } from './adapters/subprocess/function-calls.js';
export type { WorkerOptions } from './adapters/subprocess/worker-options.js';
export { handshakeSchema, type Handshake } from './adapters/subprocess/schemas.js';
export { UnsupportedCase } from './runner/unsupported-case.js';

// Diagnosis
export { diagnoseImplementation, type DiagnoseOptions } from './diagnosis/diagnose-implementation.js';
export { renderDiagnosis } from './diagnosis/render-diagnosis.js';
export type { CauseMatch, Diagnosis, DiagnosisVerdict, ProbeRecord } from './diagnosis/diagnosis.js';
export type { Finding, RelationKind } from './diagnosis/findings/finding.js';
export type { CauseKey } from './diagnosis/causes.js';
export type { Evidence, LossEvidence, TensorEvidence } from './diagnosis/evidence.js';
export type { ConventionHint } from './adapters/convention-hints.js';

// Notebook fixtures
export { fixtureFiles, loadFixture, type LoadedFixture } from './fixtures/load-fixture.js';
export type { Regenerated } from './fixtures/regenerate.js';
export type { BackwardPrinted, ClaimCheck, Disagreement, NotebookVerdict } from './fixtures/verdict.js';
export type { BackwardQuantity } from './fixtures/quantities.js';
export type { EntryComparison, EntryMatch, ValueComparison, ValueStatus } from './fixtures/regression.js';
export type { SupersededCheck } from './fixtures/superseded.js';
export { evaluateFixture, type FixtureResult, type FixtureStatus } from './fixtures/evaluate-fixture.js';
export { FixtureError, type FixtureIssue } from './fixtures/fixture-error.js';
export type { FixtureOutcome } from './fixtures/render-fixtures.js';
export type { Fixture, PrintedValue, Quantity, RecordedDisagreement, SupersededValue } from './fixtures/schema.js';
// The zod schemas those types are inferred from, for validating a fixture file or its parts yourself.
export { disagreementSchema, fixtureSchema, printedSchema, quantitySchema, supersededSchema } from './fixtures/schema.js';
