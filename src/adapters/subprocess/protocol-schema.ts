/**
 * Every message of worker protocol 1, both ways (docs/protocol.md), as one zod schema: the worker's
 * handshake and responses (schemas.ts, which the reader parses with) and gradcheck's requests (below;
 * gradcheck writes them, so nothing parses them, and test/cli/schemas.test.ts holds the types it writes
 * to them). `npm run schemas` writes it as schemas/protocol.schema.json.
 *
 * Some rules are checked in code rather than by zod (`returns: 'update'` needs `learningRate`:
 * conventions.ts; exactly one of `results` and `error`: worker-connection.ts; a result is one kind
 * of answer). `protocolRegistry` states them in JSON Schema beside each schema it describes, and the
 * faulty messages of test/cli/reporters.test.ts hold both to the same answers.
 */
import { z } from 'zod';
import {
  activation,
  caseErrorSchema,
  caseUnsupportedSchema,
  conventionsSchema,
  evaluateResultSchema,
  functionSpecSchema,
  gradientResultSchema,
  handshakeSchema,
  jvpResultSchema,
  lossResultSchema,
  matrix,
  responseSchema,
  row,
  supportsSchema,
  vjpResultSchema,
  wireNumber,
  wireTensorSchema,
} from './schemas.js';

const integer = z.number().int();

/** A layer of a case's network (`NetworkSpec` of engine/dense-layer.ts). */
const layerSchema = z.object({ outputs: integer.min(1), activation, bias: z.boolean().optional() });

/**
 * A network at a point (`GradientCase` of adapters/implementation.ts), its numbers as `row` and
 * `matrix` have them: on the wire (tokens for NaN and ±Infinity), or plain in a JSON document.
 */
export function gradientCaseOf<Row extends z.ZodType<readonly number[], unknown>>(row: Row, matrix: z.ZodArray<Row>) {
  return z.object({
    id: integer,
    seed: integer,
    network: z.object({ inputs: integer.min(1), layers: z.array(layerSchema).min(1) }),
    parameters: z.array(z.object({ W: matrix, b: row.optional() })),
    inputs: matrix,
    targets: matrix,
    reduction: z.enum(['mean', 'sum', 'half-sum']),
  });
}

/** A case as gradcheck sends it. */
export const gradientCaseSchema = gradientCaseOf(row, matrix);

/**
 * A case on the wire. gradcheck sends only the reductions above, but the protocol lets a worker be
 * asked any other (docs/protocol.md's exchange asks for "median"): it answers that case with an error.
 */
const wireCaseSchema = gradientCaseSchema.extend({ reduction: z.string() });

const namedTensors = z.record(z.string(), wireTensorSchema);

/** One call of a named function (function-calls.ts). */
const functionCaseSchema = z.object({ id: integer, function: z.string(), inputs: namedTensors, cotangent: namedTensors.optional(), tangent: namedTensors.optional() });

/** gradcheck's requests: network cases, named-function calls, or shutdown (which carries nothing). */
const requestSchema = z.xor([
  z.object({ id: integer.min(1), op: z.enum(['gradients', 'loss']), cases: z.array(wireCaseSchema).min(1) }),
  z.object({ id: integer.min(1), op: z.enum(['evaluate', 'vjp', 'jvp']), cases: z.array(functionCaseSchema).min(1) }),
  z.strictObject({ id: integer.min(1), op: z.literal('shutdown') }),
]);

/** A response with its results as the reader takes them (read-result.ts, function-calls.ts): one kind of answer each. */
const typedResponseSchema = responseSchema.extend({
  results: z.array(z.union([gradientResultSchema, lossResultSchema, caseErrorSchema, caseUnsupportedSchema, evaluateResultSchema, vjpResultSchema, jvpResultSchema])).optional(),
});

/** One line of the protocol, either way. */
export const protocolMessageSchema = z.union([handshakeSchema, requestSchema, typedResponseSchema]);

/** A result holds no field of another kind of answer. */
const noneOf = (...fields: string[]) => ({ not: { anyOf: fields.map((f) => ({ required: [f] })) } });

/** What the JSON Schema says of each part: $defs names and descriptions, and the rules checked in code. */
export const protocolRegistry = z.registry<Record<string, unknown>>();
protocolRegistry
  .add(protocolMessageSchema, {
    title: 'gradcheck worker protocol, version 1',
    description:
      'Every line of the JSON-lines protocol between gradcheck and a worker (docs/protocol.md): the worker\'s handshake, gradcheck\'s requests, the worker\'s responses. One JSON object per line. Fields not named here are ignored in handshakes and responses (a compatible addition does not change the protocol version), but not in conventions. Generated from the zod schemas of src/adapters/subprocess/ by `npm run schemas`.',
  })
  .add(wireNumber, { id: 'number', description: 'A JSON number, or NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity" (gradcheck rejects them in results, naming the case and entry).' })
  .add(row, { id: 'row' })
  .add(matrix, { id: 'matrix' })
  .add(conventionsSchema, {
    id: 'conventions',
    description: 'How the worker lays out and scales what it returns; every field optional. Unknown fields are an error: a misspelt one would silently change the meaning.',
    // conventions.ts: learningRate is required, and only allowed, with returns: 'update'.
    if: { required: ['returns'], properties: { returns: { const: 'update' } } },
    then: { required: ['learningRate'] },
    else: { not: { required: ['learningRate'] } },
  })
  .add(handshakeSchema, { id: 'handshake', description: "The worker's first line on stdout." })
  .add(handshakeSchema.shape.helperVersion, {
    description: "The version of gradcheck's Python package that wrote this handshake (gradcheck.__version__); gradcheck stops a worker whose helper version is not its own.",
  })
  .add(handshakeSchema.shape.capabilities, {
    description: 'Must include "gradients" (a network worker) or "functions" (a worker of named functions); "loss" adds loss requests.',
    // The refinement of handshakeSchema.capabilities.
    anyOf: [{ contains: { const: 'gradients' } }, { contains: { const: 'functions' } }],
  })
  .add(handshakeSchema.shape.functions, { description: 'With the functions capability: the named functions the worker answers evaluate, vjp and jvp requests for.' })
  .add(supportsSchema, { id: 'supports', description: 'What the worker supports; gradcheck generates only such cases. Unknown fields are an error.' })
  .add(functionSpecSchema, {
    id: 'functionSpec',
    description: 'A named function: its inputs\' shapes (sizes or names of dimensions with ranges in dims), whether each is differentiated, and what its values are.',
  })
  .add(layerSchema, { id: 'layer' })
  .add(layerSchema.shape.bias, { description: 'Absent means true.' })
  .add(wireCaseSchema, { id: 'case', description: 'A network at a point (GradientCase).' })
  .add(wireCaseSchema.shape.reduction, { description: '"mean", "sum" or "half-sum" for the cases gradcheck generates; a worker answers any other with a case error.' })
  .add(functionCaseSchema, { id: 'functionCase', description: 'One call of a named function (evaluate), with a cotangent per output (vjp) or a tangent per differentiated input (jvp).' })
  .add(wireTensorSchema, { id: 'tensor', description: 'A tensor: its shape and its entries in row-major order.' })
  .add(namedTensors, { id: 'namedTensors' })
  .add(requestSchema, { id: 'request', description: 'From gradcheck, one at a time; the next is sent after the response to this one.' })
  .add(typedResponseSchema, {
    id: 'response',
    description: 'From the worker: the answer to the pending request, with exactly one of results (one per case, in order) and error (the whole request failed; the worker goes on).',
    // worker-connection.ts: exactly one of results and error; and a response is neither a request nor a handshake.
    oneOf: [{ required: ['results'] }, { required: ['error'] }],
    ...noneOf('op', 'protocol'),
  })
  .add(gradientResultSchema, { id: 'gradientsResult', ...noneOf('error', 'unsupported') })
  .add(lossResultSchema, { id: 'lossResult', ...noneOf('error', 'parameters', 'unsupported') })
  .add(caseErrorSchema, { id: 'caseError', description: 'A case the worker could not compute: only that case fails.', ...noneOf('parameters', 'loss', 'unsupported') })
  .add(caseUnsupportedSchema, { id: 'caseUnsupported', description: 'A case the worker declines, outside what it supports: neither an error nor a pass.', ...noneOf('parameters', 'loss', 'error') })
  .add(evaluateResultSchema, { id: 'evaluateResult' })
  .add(vjpResultSchema, { id: 'vjpResult' })
  .add(jvpResultSchema, { id: 'jvpResult' });
