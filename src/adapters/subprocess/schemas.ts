/**
 * zod schemas of every message a worker sends (docs/protocol.md). Leaf schemas carry the
 * expectation that `formatIssue` puts in error messages.
 */
import { z } from 'zod';
import { NON_FINITE, decodeNonFinite } from './protocol.js';

/** A JSON number, or one of the non-finite tokens (decoded to NaN / ±Infinity, rejected downstream). */
export const wireNumber = z.union([z.number(), z.enum(NON_FINITE).transform(decodeNonFinite)], {
  error: 'a number (NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity")',
});
export const row = z.array(wireNumber, { error: 'an array of numbers' });
export const matrix = z.array(row, { error: 'an array of rows (arrays of numbers)' });

export const conventionsSchema = z.strictObject(
  {
    weightLayout: z.enum(['in-out', 'out-in']).optional(),
    returns: z.enum(['gradient', 'negative-gradient', 'update']).optional(),
    learningRate: z.number({ error: 'a positive number' }).positive({ error: 'a positive number' }).optional(),
    reduction: z.enum(['mean', 'sum', 'half-sum']).optional(),
    batch: z.enum(['batch', 'per-sample']).optional(),
    precision: z.enum(['float64', 'float32', 'float16', 'bfloat16']).optional(),
  },
  { error: 'an object { weightLayout?, returns?, learningRate?, reduction?, batch?, precision? }' },
);

export const activation = z.enum(['identity', 'sigmoid', 'relu'], { error: `one of "identity", "sigmoid", "relu"` });
const activationList = z.array(activation, { error: 'a list of activations, such as ["sigmoid", "relu"]' }).min(1, { error: 'a non-empty list of activations' });
const bound = z.number({ error: 'an integer ≥ 1' }).int({ error: 'an integer ≥ 1' }).min(1, { error: 'an integer ≥ 1' }).optional();

/**
 * What a worker supports (docs/protocol.md), in the case constraints' names (src/arbitraries/supports.ts).
 * Also the shape of a `--config` file's `supports`.
 */
export const supportsSchema = z.strictObject(
  {
    activations: activationList.optional(),
    outputActivations: activationList.optional(),
    reductions: z
      .array(z.enum(['mean', 'sum', 'half-sum'], { error: 'one of "mean", "sum", "half-sum"' }), { error: 'a list of reductions, such as ["mean"]' })
      .min(1, { error: 'a non-empty list of reductions' })
      .optional(),
    bias: z.union([z.boolean(), z.literal('mixed')], { error: 'true (every layer), false (none) or "mixed"' }).optional(),
    minDepth: bound,
    maxDepth: bound,
    minWidth: bound,
    maxWidth: bound,
    minInputs: bound,
    maxInputs: bound,
    minOutputs: bound,
    maxOutputs: bound,
    minBatch: bound,
    maxBatch: bound,
  },
  { error: 'an object { activations?, outputActivations?, reductions?, bias?, minDepth?, maxDepth?, minWidth?, maxWidth?, minInputs?, maxInputs?, minOutputs?, maxOutputs?, minBatch?, maxBatch? }' },
);

const dimensionBound = z.number({ error: 'an integer ≥ 1' }).int({ error: 'an integer ≥ 1' }).min(1, { error: 'an integer ≥ 1' });

/** A dimension of an input's shape: a fixed size, or the name of a dimension the function declares in `dims`. */
const dimension = z.union([dimensionBound, z.string().min(1)], { error: 'an integer ≥ 1 or the name of a dimension in "dims"' });

/** One input of a worker's function: its shape, whether it is differentiated, and what its values are. */
export const functionInputSchema = z.strictObject(
  {
    shape: z.array(dimension, { error: 'an array of dimensions ([] for a scalar)' }),
    differentiable: z.boolean({ error: 'true or false' }).optional(),
    values: z.enum(['real', 'probabilities', 'positive'], { error: 'one of "real", "probabilities", "positive"' }).optional(),
  },
  { error: 'an object { shape, differentiable?, values? }' },
);

/** A named function a worker exposes (the `functions` capability, docs/protocol.md). */
export const functionSpecSchema = z.strictObject(
  {
    name: z.string({ error: 'a non-empty string' }).min(1, { error: 'a non-empty string' }),
    inputs: z.record(z.string(), functionInputSchema, { error: 'an object { inputName: { shape, differentiable?, values? } }' }),
    dims: z
      .record(z.string(), z.strictObject({ min: dimensionBound, max: dimensionBound }, { error: 'an object { min, max } of integers ≥ 1' }), { error: 'an object { dimName: { min, max } }' })
      .optional(),
    jvp: z.boolean({ error: 'true or false' }).optional(),
    kinks: z.array(z.number({ error: 'a number' }), { error: 'an array of numbers' }).optional(),
  },
  { error: 'an object { name, inputs, dims?, jvp?, kinks? }' },
);
/** A named function as a worker declares it in its handshake. */
export type FunctionSpec = z.infer<typeof functionSpecSchema>;

const functionsSchema = z.array(functionSpecSchema, { error: 'an array of { name, inputs, dims?, jvp?, kinks? }' });

/** A tensor on the wire: its shape and its row-major entries. */
export const wireTensorSchema = z.object(
  { shape: z.array(z.number().int().min(1), { error: 'an array of integers ≥ 1' }), data: row },
  { error: 'an object { "shape": [...], "data": [numbers] }' },
);
const wireTensors = z.record(z.string(), wireTensorSchema, { error: 'an object { name: { shape, data } }' });

/** The answer to one `evaluate` case: the function's outputs by name. */
export const evaluateResultSchema = z.object({ outputs: wireTensors }, { error: 'an object { "outputs": { name: tensor } } or { "error" }' });
/** The answer to one `vjp` case: the gradient of ⟨f, cotangent⟩ for each differentiated input. */
export const vjpResultSchema = z.object({ vjp: wireTensors }, { error: 'an object { "vjp": { input: tensor } } or { "error" }' });
/** The answer to one `jvp` case: J·tangent for each output. */
export const jvpResultSchema = z.object({ jvp: wireTensors }, { error: 'an object { "jvp": { output: tensor } } or { "error" }' });

/** The zod schema of a worker's handshake, its first stdout line (docs/protocol.md); `spawnWorker` parses with it. */
export const handshakeSchema = z.object({
  protocol: z.literal(1),
  name: z.string({ error: 'a non-empty string' }).min(1, { error: 'a non-empty string' }),
  /** The version of gradcheck's Python package that wrote the handshake; it must be this gradcheck's. */
  helperVersion: z.string({ error: 'a version string such as "0.1.0"' }).optional(),
  conventions: conventionsSchema.optional(),
  capabilities: z
    .array(z.string({ error: 'a capability name' }), { error: `an array of capabilities, such as ["gradients", "loss"]` })
    .refine((c) => c.includes('gradients') || c.includes('functions'), {
      error: `a list including "gradients" (a network worker) or "functions" (a worker of named functions, docs/protocol.md)`,
    }),
  maxCases: z.number({ error: 'an integer ≥ 1' }).int({ error: 'an integer ≥ 1' }).min(1, { error: 'an integer ≥ 1' }).optional(),
  supports: supportsSchema.optional(),
  functions: functionsSchema.optional(),
});
/** A worker's first line: its name, protocol version, capabilities, conventions, supports and functions (docs/protocol.md). */
export type Handshake = z.infer<typeof handshakeSchema>;

/** A response envelope: `results` (one per case, in order) or a request-level `error` (checked by the reader). */
export const responseSchema = z.object({
  id: z.number({ error: 'the id of the request it answers' }).int({ error: 'the id of the request it answers' }),
  results: z.array(z.unknown(), { error: 'an array with one result per case' }).optional(),
  error: z.string({ error: 'a message string' }).optional(),
});
export type Response = z.infer<typeof responseSchema>;

const caseId = z.number({ error: 'the case id' }).int({ error: 'the case id' }).optional();

/** A case the worker could not compute. */
export const caseErrorSchema = z.object({ case: caseId, error: z.string({ error: 'a message string' }) });

/** A case the worker declines: outside what it supports (not an error, not a pass). */
export const caseUnsupportedSchema = z.object({ case: caseId, unsupported: z.string({ error: 'the reason, a string' }) });

export const gradientResultSchema = z.object({
  case: caseId,
  parameters: z.array(z.object({ W: matrix, b: row.nullish() }, { error: 'an object { W, b? }' }), {
    error: 'an array with one { W, b? } per layer',
  }),
  inputs: matrix.nullish(),
  loss: wireNumber.nullish(),
}, { error: 'an object { "parameters": [{ "W", "b"? }, …], "inputs"?, "loss"? } or { "error" }' });

export const lossResultSchema = z.object({ case: caseId, loss: wireNumber }, { error: 'an object { "loss" } or { "error" }' });
