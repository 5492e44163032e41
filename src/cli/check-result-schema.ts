/**
 * The zod schemas of `gradcheck check --json FILE` (format gradcheck-check/2) and of each line of
 * `--json-cases FILE` (gradcheck-check-cases/1): the JSON as a reader gets it (non-finite numbers as
 * null, Float64Arrays as arrays). check.ts types the document it writes by them (`CheckResultFields`),
 * so the code cannot write what the schema does not describe; `npm run schemas` writes them as
 * schemas/check-result.schema.json and schemas/check-cases.schema.json.
 */
import { z } from 'zod';
import { gradientCaseOf } from '../adapters/subprocess/protocol-schema.js';
import { conventionsSchema, supportsSchema } from '../adapters/subprocess/schemas.js';
import { CHECK_CASES_FORMAT, CHECK_RESULT_FORMAT } from './json-format.js';
import { EXIT_GRADIENTS_WRONG, EXIT_INCONCLUSIVE, EXIT_PASS, EXIT_USAGE } from './exit-codes.js';
import { EXIT_SIGNAL } from './interrupt.js';
import { IN_FULL_BUDGET, MAX_LISTED } from './notable-cases.js';

/** What the code may hold for a JSON value of type T: read-only, and a Float64Array where T is an array of numbers (jsonReplacer writes it as one). */
export type Held<T> = T extends readonly (infer E)[]
  ? number extends E
    ? readonly Held<E>[] | Float64Array
    : readonly Held<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Held<T[K]> }
    : T;

const count = z.number().int().min(0);
/** A number JSON may not hold (±Infinity, NaN): JSON.stringify writes it as null. */
const measured = z.number().nullable();
const verdict = z.enum(['pass', 'fail', 'inconclusive']);
/** The case as sent to the worker; generated cases hold finite numbers only. */
const row = z.array(z.number());
const matrix = z.array(row);
const gradientCaseSchema = gradientCaseOf(row, matrix);
const strategy = z.enum(['full', 'directions', 'fast']);
const precision = conventionsSchema.shape.precision.unwrap();
/** A fast-check path: `3:1:0`. */
const path = z.string().regex(/^\d+(:\d+)*$/);

/** The conventions a worker was read with, after defaults (adapters/conventions.ts). */
const conventions = z.object(conventionsSchema.shape).required({ weightLayout: true, returns: true, batch: true, precision: true });

const entryCheck = z.object({
  tensor: z.string(),
  layer: count,
  kind: z.string(),
  index: z.number().int().min(-1),
  row: z.number().int(),
  col: z.number().int(),
  direction: z.number().int().optional(),
  claimed: measured,
  numeric: measured,
  errorEstimate: measured,
  absoluteError: measured,
  relativeError: measured,
  tolerance: measured,
  step: measured,
  method: z.enum(['central', 'forward', 'backward']),
  status: z.enum(['pass', 'fail', 'skipped', 'unresolved']),
  nearKink: z.boolean(),
  converged: z.boolean(),
});

const tensorReport = z.object({
  name: z.string(),
  layer: z.number().int(),
  kind: z.string(),
  rows: z.number().int(),
  cols: z.number().int(),
  checked: count,
  failed: count,
  skipped: count,
  unresolved: count,
  worst: entryCheck.nullable(),
  verdict,
});

const gradientReport = z.object({
  verdict,
  strategy,
  label: z.string().optional(),
  seed: z.number().int().optional(),
  tolerances: z.object({ rtol: z.number(), atol: z.number() }),
  precision,
  levels: z.number().int(),
  tensors: z.array(tensorReport),
  failures: z.array(entryCheck),
  unresolved: z.array(entryCheck),
  counts: z.object({ checked: count, failed: count, skipped: count, unresolved: count }),
  lossNoise: z.number().optional(),
});

/** The worker's loss value against the reference forward pass (check/objective/loss-comparison.ts). */
const lossComparison = z.object({ claimed: measured, reference: measured, tolerance: measured, agrees: z.boolean() });

/** One random case in full: a line of --json-cases, and an entry of notableCases.inFull. */
const caseResult = z.object({
  run: z.number().int().min(1),
  case: gradientCaseSchema,
  verdict,
  report: gradientReport,
  loss: lossComparison.nullable(),
});

const implementationReport = z.object({
  implementation: z.string(),
  case: gradientCaseSchema,
  conventions,
  mode: z.enum(['reference', 'self']),
  report: gradientReport,
  loss: lossComparison.optional(),
  claimed: z.object({ parameters: z.array(measured), inputs: z.array(measured).optional() }),
  verdict,
});

const tensorSummary = z.object({
  name: z.string(),
  layer: z.number().int(),
  kind: z.string(),
  cases: count,
  checked: count,
  skipped: count,
  unresolved: count,
  failedCases: count,
  worst: z.object({ entry: entryCheck, run: z.number().int().min(1), caseSeed: z.number().int() }).nullable(),
  verdict: z.enum(['pass', 'fail']),
});

/** The diagnosis of the counterexample (diagnosis/diagnosis.ts): its verdict and summary; the evidence behind them as the API's `Diagnosis` has it. */
const diagnosis = z.object({
  verdict: z.enum(['named', 'ambiguous', 'unknown', 'passed']),
  cause: z.string().optional(),
  summary: z.string(),
  lossOnly: z.boolean(),
  confidence: z.string().optional(),
  implementation: z.string(),
  case: z.string(),
});

/** A verdict of the counterexample checked again (its own $defs entry, as the schema has always named it). */
const stateVerdict = z.enum(verdict.options);

/** runner/state-dependence.ts */
const state = z.object({
  dependsOnEarlierCalls: z.boolean(),
  again: stateVerdict.optional(),
  afterAnother: stateVerdict.optional(),
  afterCase: z.string().optional(),
  fresh: stateVerdict.optional(),
  prelude: z.array(path).optional(),
  companion: z.string().optional(),
});

/** `gradcheck check`'s options after defaults (check-options.ts), the constraint flags under the API's names. */
const options = z.object({
  ...supportsSchema.shape,
  config: z.string().optional(),
  runs: z.number().int().min(1).optional(),
  seed: z.number().int().optional(),
  path: path.optional(),
  mode: z.enum(['reference', 'self']),
  strategy,
  rtol: z.number().gt(0).lt(1),
  atol: z.number().min(0).optional(),
  layout: conventionsSchema.shape.weightLayout,
  precision: precision.optional(),
  timeout: z.number().int().min(1),
  json: z.string().optional(),
  jsonCases: z.string().optional(),
  html: z.string().optional(),
  reporter: z.array(z.union([z.object({ kind: z.enum(['junit', 'tap']), file: z.string() }), z.object({ kind: z.literal('github') })])).optional(),
  function: z.string().optional(),
});

/** notable-cases.ts; withUnresolved: cases with at least one unresolved entry (they may still pass: docs/verdicts.md). */
const caseTally = z.object({ checked: count, pass: count, fail: count, inconclusive: count, withUnresolved: count });
export type CaseTally = z.infer<typeof caseTally>;

const notableCase = z.object({
  run: z.number().int().min(1),
  /** The fast-check path that replays it with the run's seed; null when the run itself replayed a --path. */
  path: z.string().regex(/^\d+$/).nullable(),
  caseSeed: z.number().int(),
  verdict,
  failed: count,
  unresolved: count,
});
export type NotableCase = z.infer<typeof notableCase>;

const notableCases = z.object({ count, listed: z.array(notableCase).max(MAX_LISTED), inFull: z.array(caseResult) });

const verdictOfRun = z.enum(['pass', 'fail', 'inconclusive', 'error', 'interrupted']);
const signalExits = Object.values(EXIT_SIGNAL);

/**
 * The exit code each verdict allows (check-report.ts's exitCodeOf): a failure found before an error
 * while shrinking (2) or a signal keeps its verdict. Written once, checked by zod and stated in the JSON Schema.
 */
const EXITS_OF: Partial<Record<z.infer<typeof verdictOfRun>, readonly number[]>> = {
  pass: [EXIT_PASS],
  inconclusive: [EXIT_INCONCLUSIVE],
  fail: [EXIT_GRADIENTS_WRONG, EXIT_USAGE, ...signalExits],
  error: [EXIT_USAGE],
};

const checkResultObject = z.object({
  format: z.literal(CHECK_RESULT_FORMAT),
  version: z.string(),
  verdict: verdictOfRun,
  exitCode: z.literal([EXIT_PASS, EXIT_GRADIENTS_WRONG, EXIT_USAGE, EXIT_INCONCLUSIVE, ...signalExits]),
  interrupted: z.string().nullable().optional(),
  worker: z.object({ name: z.string().optional(), command: z.array(z.string()).min(1), conventions: conventions.optional() }),
  options,
  runs: count,
  seed: z.number().int().optional(),
  seedSource: z.enum(['from --seed', 'from GRADCHECK_SEED', 'random']).optional(),
  path: z.string().nullable().optional(),
  replay: z.string().nullable().optional(),
  constraints: z.object(supportsSchema.shape).optional(),
  unsupported: z.object({ count: z.number().int().min(1), reasons: z.array(z.object({ reason: z.string(), count: z.number().int().min(1) })) }).nullable().optional(),
  summary: z.array(tensorSummary),
  missing: count.optional(),
  counterexample: z.object({ description: z.string(), report: implementationReport }).nullable().optional(),
  hints: z.array(z.object({ declare: conventions.partial(), text: z.string() })).optional(),
  layoutHint: z.string().nullable().optional(),
  headline: z.string().nullable().optional(),
  state: state.nullable().optional(),
  diagnosis: diagnosis.nullable().optional(),
  precisionHint: z.string().nullable().optional(),
  diagnosisError: z.string().nullable().optional(),
  error: z.object({ name: z.string(), message: z.string() }).nullable(),
  message: z.string(),
  caseTally,
  caseReplay: z.string().nullable().optional(),
  notableCases,
  casesFile: z.string().nullable().optional(),
});

/** The --json document. */
export const checkResultSchema = checkResultObject.superRefine((doc, ctx) => {
  const allowed = EXITS_OF[doc.verdict];
  if (allowed && !allowed.includes(doc.exitCode)) ctx.addIssue({ code: 'custom', path: ['exitCode'], message: `a ${doc.verdict} exits ${allowed.join(' or ')}` });
  if (doc.verdict === 'pass' && doc.error !== null) ctx.addIssue({ code: 'custom', path: ['error'], message: 'a pass has no error' });
  if (doc.verdict === 'fail' && !doc.counterexample) ctx.addIssue({ code: 'custom', path: ['counterexample'], message: 'a failure has its counterexample' });
  if (doc.verdict === 'error' && doc.error === null) ctx.addIssue({ code: 'custom', path: ['error'], message: 'an error says which' });
});

/** The document's fields as check.ts holds them, before the format tag and version (json-format.ts). */
export type CheckResultFields = Held<Omit<z.input<typeof checkResultObject>, 'format' | 'version'>>;

/** A line of --json-cases: the header, then one case each. */
export const caseLineSchema = z.union([z.object({ format: z.literal(CHECK_CASES_FORMAT), version: z.string() }), caseResult]);

/** A case line as check.ts holds it (caseJson). */
export type CaseLine = Held<z.input<typeof caseResult>>;

/** The superRefine's rules in JSON Schema. */
const verdictRules = [
  ...Object.entries(EXITS_OF).map(([v, codes]) => ({ if: { properties: { verdict: { const: v } } }, then: { properties: { exitCode: codes.length === 1 ? { const: codes[0] } : { enum: codes } } } })),
  { if: { properties: { verdict: { const: 'pass' } } }, then: { properties: { error: { type: 'null' } } } },
  { if: { properties: { verdict: { const: 'fail' } } }, then: { required: ['counterexample'], properties: { counterexample: { type: 'object' } } } },
  { if: { properties: { verdict: { const: 'error' } } }, then: { properties: { error: { type: 'object' } } } },
];

/** $defs names, titles and descriptions of both files. */
export const checkResultRegistry = z.registry<Record<string, unknown>>();
checkResultRegistry
  .add(checkResultSchema, {
    title: 'gradcheck check --json FILE',
    description:
      'The document `gradcheck check --json FILE` writes: the verdict and exit code, the worker and options, a tally of the random cases checked, the notable ones (failing, or with entries finite differences could not settle) and the rule that replays any case, the per-tensor summary, and on a failure the shrunk counterexample, hints and diagnosis; on a worker or usage error, the error. Fields added in later versions of gradcheck are allowed (additionalProperties), so a consumer written against this schema keeps working. Generated from src/cli/check-result-schema.ts by `npm run schemas`.',
    allOf: verdictRules,
  })
  .add(caseLineSchema, {
    title: 'gradcheck check --json-cases FILE, one line',
    description:
      'Each line of the NDJSON that `gradcheck check --json-cases FILE` streams: the first is the header (format and version), every other one a random case checked, in run order. Generated from src/cli/check-result-schema.ts by `npm run schemas`.',
  })
  .add(checkResultObject.shape.format, { description: "The document's format and its version; a change that breaks consumers increments the number." })
  .add(checkResultObject.shape.version, { description: 'The version of gradcheck that wrote the document.' })
  .add(checkResultObject.shape.verdict, {
    description: 'pass: every case agreed; fail: a gradient mismatch (see counterexample); inconclusive: none failed, none could be settled; error: a worker or usage error; interrupted: stopped by a signal before a verdict.',
  })
  .add(checkResultObject.shape.exitCode, { description: "The process's exit code: 0 pass, 1 gradients wrong, 2 usage or worker error, 3 inconclusive, 130 SIGINT, 143 SIGTERM." })
  .add(checkResultObject.shape.interrupted, { description: 'The signal that stopped the run (SIGINT, SIGTERM), or null.' })
  .add(checkResultObject.shape.options, { description: 'The options of the run, after defaults.' })
  .add(checkResultObject.shape.runs, { description: 'Random cases checked before the verdict (shrinking not counted).' })
  .add(checkResultObject.shape.seed, { description: 'The fast-check seed in use.' })
  .add(checkResultObject.shape.path, { description: 'fast-check path of the counterexample (or of the case that failed).' })
  .add(checkResultObject.shape.replay, { description: 'The command line that replays the run.' })
  .add(checkResultObject.shape.constraints, { description: "The case constraints in force (the worker's supports ∩ the flags and --config), in the API's names (CaseConstraints)." })
  .add(checkResultObject.shape.missing, { description: 'Checked cases that could not be replayed for the summary (expected 0).' })
  .add(checkResultObject.shape.unsupported, { description: 'Random cases the worker declined as outside what it supports (not counted as checked), or null.' })
  .add(checkResultObject.shape.headline, {
    description:
      'On a failure, what failed in the words of the FAIL line: "gradients disagree with finite differences", or, when only the returned loss disagrees, "the returned loss disagrees with the reference forward pass (claimed = R × reference); the gradients agree with finite differences". Null without a counterexample.',
  })
  .add(checkResultObject.shape.state, {
    description:
      'On a failure, whether the counterexample depends on earlier calls: its verdict checked again at once, after another case, and on a fresh worker process, and the fast-check paths the replay checks before it (GRADCHECK_PRELUDE). Null without a counterexample.',
  })
  .add(state.shape.companion, {
    description:
      'The companion case checked just before the counterexample (its description), when the failure shows only after it: alone on a fresh worker the counterexample passes. The replay of its path checks both.',
  })
  .add(checkResultObject.shape.precisionHint, {
    description:
      "On a failure that looks like float32 arithmetic checked as float64 (the diagnosis named float32 rounding, or proved the float32 declaration): how to declare it, as the text's hint line (precision: 'float32', or --precision float32). Null otherwise.",
  })
  .add(checkResultObject.shape.message, { description: 'The outcome as printed (pass line, failure, or error).' })
  .add(caseTally, { description: 'Every random case checked, by verdict; withUnresolved: those with at least one unresolved entry.' })
  .add(checkResultObject.shape.caseReplay, { description: 'The command that replays any case: put its path (run − 1) for <path>; null when the run itself replayed a --path, or never started.' })
  .add(notableCases, {
    description: `The failing cases and those with unresolved entries: how many, the first ${MAX_LISTED} listed, and the first in full (within ${IN_FULL_BUDGET / 1000} kB; a failing one always).`,
  })
  .add(checkResultObject.shape.casesFile, { description: 'The --json-cases file every case was streamed to, or null.' })
  .add(checkResultObject.shape.worker.shape.name, { description: 'The name the worker gave in its handshake (absent when it never started).' })
  .add(checkResultObject.shape.worker.shape.command, { description: 'The worker command as an argument array (run without a shell).' })
  .add(conventions, { id: 'conventions', description: 'How the worker lays out and returns gradients, after defaults (docs/protocol.md).' })
  .add(matrix, { id: 'matrix' })
  .add(gradientCaseSchema, { id: 'gradientCase', description: 'The case as sent to the worker (docs/protocol.md).' })
  .add(entryCheck, { id: 'entryCheck', description: 'One compared entry (or direction) of a tensor.' })
  .add(gradientReport, { id: 'gradientReport' })
  .add(lossComparison, { id: 'lossComparison', description: "The worker's loss value against the reference forward pass's: both, the tolerance, and whether they agree." })
  .add(caseResult, { id: 'caseResult', description: 'One random case: the case as sent to the worker, its verdict and the gradient report.' })
  .add(caseResult.shape.loss, { description: "The comparison of the worker's loss value with the engine's, or null." })
  .add(implementationReport, { id: 'implementationReport' })
  .add(implementationReport.shape.claimed, { description: 'The claimed gradients read as dL/dθ of the case (flat), and dL/dx when the worker returned it.' })
  .add(tensorSummary, { id: 'tensorSummary', description: 'One row of the per-tensor summary over all cases.' })
  .add(diagnosis, { id: 'diagnosis' })
  .add(stateVerdict, { id: 'stateVerdict' });
