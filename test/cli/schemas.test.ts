// schemas/*.json are written by `npm run schemas` (scripts/schemas.ts) from the zod schemas. These
// tests hold the committed files to what it writes, and the zod schemas and the JSON Schemas to the
// same answers; real CLI output and a real worker exchange are validated in reporters.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { ROOT, schemaFiles } from '../../scripts/schemas.js';
import { gradientCaseSchema, protocolMessageSchema } from '../../src/adapters/subprocess/protocol-schema.js';
import { resolveConventions } from '../../src/adapters/conventions.js';
import type { GradientCase } from '../../src/adapters/implementation.js';
import { checkResultSchema, type Held } from '../../src/cli/check-result-schema.js';
import { CHECK_RESULT_FORMAT } from '../../src/cli/json-format.js';

const files = schemaFiles();
const ajv = new Ajv2020({ allErrors: true });
const validateMessage = ajv.compile(JSON.parse(files['protocol.schema.json']) as object);
const validateResult = ajv.compile(JSON.parse(files['check-result.schema.json']) as object);

describe('schemas/*.json', () => {
  it('are what `npm run schemas` writes from the zod schemas', () => {
    expect(Object.keys(files).sort()).toEqual(['check-cases.schema.json', 'check-result.schema.json', 'protocol.schema.json']);
    for (const [name, text] of Object.entries(files)) {
      const committed = readFileSync(join(ROOT, 'schemas', name), 'utf8');
      expect(committed === text, `schemas/${name} is not what the zod schemas give: run \`npm run schemas\` and commit the result`).toBe(true);
    }
  });

  it('are draft 2020-12 with a title and description', () => {
    for (const text of Object.values(files)) {
      expect(JSON.parse(text)).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: expect.any(String) as string, description: expect.any(String) as string });
    }
  });
});

describe('the protocol schema', () => {
  // Each message by the schema of its kind, as gradcheck knows it: the first line is the handshake, it writes the requests.
  const [handshakeZod, requestZod, responseZod] = protocolMessageSchema.options;
  const zodOf = (m: object) => ('protocol' in m ? handshakeZod : 'op' in m ? requestZod : responseZod);
  const handshake = { protocol: 1, name: 'w', capabilities: ['gradients'] };
  const layers = [{ outputs: 1, activation: 'identity' }];
  const networkCase = { id: 1, seed: 1, network: { inputs: 1, layers }, parameters: [{ W: [[0.5]], b: [0] }], inputs: [[1]], targets: [[0]], reduction: 'mean' };
  const accepted = [
    handshake,
    { ...handshake, capabilities: ['functions'], functions: [{ name: 'f', inputs: { x: { shape: ['n'] } }, dims: { n: { min: 1, max: 4 } } }] },
    { ...handshake, conventions: { returns: 'update', learningRate: 0.5 } },
    { id: 1, op: 'gradients', cases: [networkCase] },
    { id: 2, op: 'vjp', cases: [{ id: 3, function: 'f', inputs: { x: { shape: [2], data: [1, 'NaN'] } }, cotangent: { y: { shape: [], data: [1] } } }] },
    { id: 3, op: 'shutdown' },
    { id: 1, results: [{ case: 1, parameters: [{ W: [['Infinity']], b: null }], loss: 0.5 }, { case: 2, error: 'KeyError' }] },
    { id: 2, error: 'MemoryError' },
  ];
  // zod's part: what the reader parses with (schemas.ts).
  const rejectedByZod = [
    { ...handshake, protocol: 2 },
    { ...handshake, capabilities: ['loss'] },
    { ...handshake, name: '' },
    { ...handshake, conventions: { weightLayot: 'out-in' } },
    { ...handshake, supports: { activations: ['softmax'] } },
    { id: 'one', results: [] },
    { id: 1, op: 'gradients' },
    { id: 1, op: 'gradients', cases: [{ ...networkCase, network: { inputs: 1, layers: [{ outputs: 1, activation: 'tanh' }] } }] },
    { id: 1, op: 'shutdown', cases: [networkCase] },
    { id: 4, results: [{ case: 5, parameters: [{ W: [['abc']] }] }] },
  ];
  // Rules gradcheck checks in code, stated in the JSON Schema by protocolRegistry.
  const checkedInCode = [
    { message: { ...handshake, conventions: { returns: 'update' } }, code: () => resolveConventions({ returns: 'update' }) },
    { message: { ...handshake, conventions: { learningRate: 0.5 } }, code: () => resolveConventions({ learningRate: 0.5 }) },
  ];
  // worker-connection.ts: exactly one of results and error; read-result.ts reads one kind of answer.
  const statedForWorkers = [{ id: 1, results: [], error: 'both' }, { id: 1 }, { id: 4, results: [{ case: 5, unsupported: 'relu', error: 'both' }] }];

  it('accepts the same messages in zod and in JSON Schema', () => {
    for (const m of accepted) {
      expect(zodOf(m).safeParse(m).success, JSON.stringify(m)).toBe(true);
      expect(validateMessage(m), `${JSON.stringify(m)}: ${JSON.stringify(validateMessage.errors)}`).toBe(true);
    }
  });

  it('rejects in JSON Schema what zod, or the code after it, rejects', () => {
    for (const m of rejectedByZod) {
      expect(zodOf(m).safeParse(m).success, JSON.stringify(m)).toBe(false);
      expect(validateMessage(m), JSON.stringify(m)).toBe(false);
    }
    for (const { message, code } of checkedInCode) {
      expect(code).toThrow(/learningRate/);
      expect(validateMessage(message), JSON.stringify(message)).toBe(false);
    }
    for (const m of statedForWorkers) expect(validateMessage(m), JSON.stringify(m)).toBe(false);
  });

  it('describes the cases gradcheck sends (GradientCase)', () => {
    expectTypeOf<GradientCase>().toExtend<Held<z.input<typeof gradientCaseSchema>>>();
  });
});

describe('the check-result schema', () => {
  const noCases = { caseTally: { checked: 0, pass: 0, fail: 0, inconclusive: 0, withUnresolved: 0 }, caseReplay: null, notableCases: { count: 0, listed: [], inFull: [] } };
  // A worker that could not start, as check.ts writes it.
  const notRun = {
    format: CHECK_RESULT_FORMAT,
    version: '0.1.0',
    verdict: 'error',
    exitCode: 2,
    interrupted: null,
    worker: { command: ['w'] },
    options: { mode: 'reference', strategy: 'full', rtol: 1e-3, timeout: 1000 },
    runs: 0,
    summary: [],
    ...noCases,
    error: { name: 'Error', message: 'could not start' },
    message: 'could not start',
  };
  const accepted = [
    notRun,
    { ...notRun, verdict: 'interrupted', exitCode: 130, interrupted: 'SIGINT' },
    { ...notRun, verdict: 'pass', exitCode: 0, error: null },
    { ...notRun, verdict: 'inconclusive', exitCode: 3, error: null },
  ];
  const rejected = [
    { ...notRun, verdict: 'pass', exitCode: 1, error: null },
    { ...notRun, verdict: 'pass', exitCode: 0 },
    { ...notRun, verdict: 'inconclusive', exitCode: 0, error: null },
    { ...notRun, error: null },
    { ...notRun, verdict: 'fail', exitCode: 1, error: null },
    { ...notRun, exitCode: 4 },
    { ...notRun, format: 'gradcheck-check/1' },
    { ...notRun, options: { ...notRun.options, rtol: 0 } },
    { ...notRun, notableCases: { count: 1, listed: [{ run: 1, path: '0:1', caseSeed: 1, verdict: 'fail', failed: 1, unresolved: 0 }], inFull: [] } },
    Object.fromEntries(Object.entries(notRun).filter(([k]) => k !== 'caseTally')),
  ];

  it('zod and JSON Schema accept and reject the same documents (the verdict and exit code rules included)', () => {
    for (const doc of accepted) {
      expect(checkResultSchema.safeParse(doc).success, JSON.stringify(doc)).toBe(true);
      expect(validateResult(doc), JSON.stringify(validateResult.errors)).toBe(true);
    }
    for (const doc of rejected) {
      expect(checkResultSchema.safeParse(doc).success, JSON.stringify(doc)).toBe(false);
      expect(validateResult(doc), JSON.stringify(doc)).toBe(false);
    }
  });
});
