// The worker client's pure parts, without processes: number encoding, message schemas and their
// error texts, chunking, the stderr tail, line splitting, options.
import { describe, expect, it } from 'vitest';
import { spawnWorker } from '../../src/index.js';
import { DEFAULT_WORKER_OPTIONS } from '../../src/adapters/subprocess/worker-options.js';
import { encodeLine } from '../../src/adapters/subprocess/protocol.js';
import { chunkCases, describeCaseIds } from '../../src/adapters/subprocess/chunk-cases.js';
import { formatIssue } from '../../src/adapters/subprocess/format-issue.js';
import { LineSplitter } from '../../src/adapters/subprocess/line-splitter.js';
import { hasBareNonFinite } from '../../src/adapters/subprocess/protocol.js';
import { gradientResultSchema, handshakeSchema, responseSchema } from '../../src/adapters/subprocess/schemas.js';
import { StderrTail } from '../../src/adapters/subprocess/stderr-tail.js';
import { resolveWorkerOptions, validateCommand } from '../../src/adapters/subprocess/worker-options.js';
import type { z } from 'zod';
import { gradientCases } from '../workers/cases.js';

const problems = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value, { reportInput: true });
  return parsed.success ? [] : parsed.error.issues.map((i) => formatIssue(i));
};

describe('numbers on the wire', () => {
  it('writes the shortest round-trip decimal, as Python repr does', () => {
    // Python 3: repr(0.1) == '0.1', repr(1/3) == '0.3333333333333333', repr(5e-324) == '5e-324',
    // repr(0.1 + 0.2) == '0.30000000000000004', repr(1e21) == '1e+21'.
    expect(encodeLine({ x: [0.1, 1 / 3, 5e-324, 0.1 + 0.2, 1e21] })).toBe('{"x":[0.1,0.3333333333333333,5e-324,0.30000000000000004,1e+21]}');
  });

  it('writes NaN and ±Infinity as strings (JSON has no such numbers)', () => {
    expect(encodeLine({ W: [[Number.NaN, Infinity, -Infinity, 1]] })).toBe('{"W":[["NaN","Infinity","-Infinity",1]]}');
  });

  it('spots the bare NaN/Infinity tokens of Python json.dumps defaults, not the strings', () => {
    expect(hasBareNonFinite('{"loss": NaN}')).toBe(true);
    expect(hasBareNonFinite('{"W": [[1.0, -Infinity]]}')).toBe(true);
    expect(hasBareNonFinite('{"loss": "NaN", "note": "Infinity"}')).toBe(false);
  });

  it('reads the non-finite strings back as numbers; gradcheck rejects them downstream', () => {
    const parsed = gradientResultSchema.parse({ parameters: [{ W: [['NaN', 'Infinity']], b: ['-Infinity'] }], loss: 'NaN' });
    expect(parsed.parameters[0].W[0]).toEqual([Number.NaN, Infinity]);
    expect(parsed.parameters[0].b).toEqual([-Infinity]);
    expect(parsed.loss).toBeNaN();
  });
});

describe('message schemas', () => {
  it('name the field, what was found and what was expected in a result', () => {
    expect(problems(gradientResultSchema, { parameters: [{ W: [[1, 'abc', null]] }] })).toEqual([
      'parameters[0].W[0][1] is "abc"; expected a number (NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity")',
      'parameters[0].W[0][2] is null; expected a number (NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity")',
    ]);
    expect(problems(gradientResultSchema, { parameters: [{ W: 5 }] })).toEqual(['parameters[0].W is 5; expected an array of rows (arrays of numbers)']);
    expect(problems(gradientResultSchema, 3)).toEqual(['the message is 3; expected an object { "parameters": [{ "W", "b"? }, …], "inputs"?, "loss"? } or { "error" }']);
  });

  it('check the handshake field by field', () => {
    expect(problems(handshakeSchema, { protocol: 1, name: '', capabilities: ['gradients'] })).toEqual(['name is ""; expected a non-empty string']);
    expect(problems(handshakeSchema, { protocol: 1, name: 'w', capabilities: 'gradients' })).toEqual([
      'capabilities is "gradients"; expected an array of capabilities, such as ["gradients", "loss"]',
    ]);
    expect(problems(handshakeSchema, { protocol: 1, name: 'w', capabilities: ['loss'] })).toEqual([
      'capabilities is ["loss"]; expected a list including "gradients" (a network worker) or "functions" (a worker of named functions, docs/protocol.md)',
    ]);
    expect(problems(handshakeSchema, { protocol: 1, name: 'w', capabilities: ['gradients'], maxCases: 0 })).toEqual(['maxCases is 0; expected an integer ≥ 1']);
    expect(problems(handshakeSchema, { protocol: 1, name: 'w', capabilities: ['gradients'], conventions: { returns: 'grad', learningRate: -1 } })).toEqual([
      'conventions.returns is "grad"; expected one of "gradient", "negative-gradient", "update"',
      'conventions.learningRate is -1; expected a positive number',
    ]);
  });

  it('check the response envelope', () => {
    expect(problems(responseSchema, { results: [] })).toEqual(['id is missing; expected the id of the request it answers']);
    expect(problems(responseSchema, { id: 1, results: {} })).toEqual(['results is {}; expected an array with one result per case']);
  });
});

describe('chunking a batch into messages', () => {
  it('puts at most maxCases cases in a message, in order', () => {
    const cases = gradientCases([1, 2, 3, 4, 5, 6, 7]);
    const chunks = chunkCases(cases, 3, Infinity);
    expect(chunks.map((c) => [c.start, c.cases.map((x) => x.id)])).toEqual([
      [0, [1, 2, 3]],
      [3, [4, 5, 6]],
      [6, [7]],
    ]);
    expect(chunks[0].encoded[0]).toBe(encodeLine(cases[0]));
  });

  it('starts a new message when the next case would pass maxChars; a larger case goes alone', () => {
    const cases = gradientCases([1, 2, 3]);
    const one = encodeLine(cases[0]).length;
    expect(chunkCases(cases, 64, 2 * one + 2).map((c) => c.cases.length)).toEqual([2, 1]);
    expect(chunkCases(cases, 64, 10).map((c) => c.cases.length)).toEqual([1, 1, 1]);
  });

  it('describes the cases of a message', () => {
    const cases = gradientCases([0, 0, 0, 0, 0]);
    expect(describeCaseIds(cases.slice(0, 1))).toBe('case 1');
    expect(describeCaseIds(cases)).toBe('cases 1–5');
    expect(describeCaseIds([cases[0], cases[2], cases[3], cases[4]])).toBe('cases 1, 3, 4, … (4)');
  });
});

describe('the stderr tail', () => {
  it('keeps the last lines within its size, marking a cut line', () => {
    const tail = new StderrTail(30, 2);
    tail.push('first line\nsecond line\n');
    tail.push('third line\nfourth\n');
    expect(tail.lines()).toEqual(['third line', 'fourth']);
    expect(tail.describe()).toBe('; last stderr lines (earlier output dropped):\n    third line\n    fourth');
    const cut = new StderrTail(8, 5);
    cut.push('abcdefghij\nxy\n');
    expect(cut.lines()).toEqual(['…ghij', 'xy']); // the last 8 characters: 'ghij\nxy\n'
  });

  it('says when the worker wrote nothing', () => {
    expect(new StderrTail(100, 5).describe()).toBe('; it wrote nothing to stderr');
  });
});

describe('splitting stdout into lines', () => {
  it('joins lines split across chunks, drops CR and blank lines, numbers every line', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(100, (line, n) => lines.push(`${n}:${line}`), () => lines.push('overflow'));
    splitter.push('{"a":');
    splitter.push('1}\r\n\n{"b":2}\n{"c"');
    splitter.push(':3}\n');
    expect(lines).toEqual(['1:{"a":1}', '3:{"b":2}', '4:{"c":3}']);
  });

  it('reports a line longer than the limit, even before its newline arrives', () => {
    const overflows: number[] = [];
    const splitter = new LineSplitter(5, () => undefined, (n) => overflows.push(n));
    splitter.push('ok\n123456');
    expect(overflows).toEqual([2]);
  });
});

describe('spawnWorker arguments', () => {
  it('takes an argument array, never a shell string', async () => {
    await expect(spawnWorker('python3 worker.py' as unknown as string[])).rejects.toThrow(
      `spawnWorker: command is "python3 worker.py"; expected a non-empty argument array such as ['python3', 'worker.py'] (workers are started without a shell)`,
    );
    expect(() => validateCommand([])).toThrow('spawnWorker: command is []; expected a non-empty argument array');
  });

  it('documents its defaults and validates every option', () => {
    expect(resolveWorkerOptions({})).toEqual(DEFAULT_WORKER_OPTIONS);
    // The defaults as documented in docs/protocol.md ("Client options").
    expect(DEFAULT_WORKER_OPTIONS).toEqual({
      handshakeTimeoutMs: 10_000,
      timeoutMs: 30_000,
      closeTimeoutMs: 2_000,
      maxCasesPerMessage: 64,
      maxMessageChars: 1_048_576,
      maxLineChars: 67_108_864,
      stderrTailChars: 65_536,
      stderrTailLines: 20,
    });
    expect(() => resolveWorkerOptions({ timeoutMs: 0 })).toThrow('spawnWorker: options.timeoutMs is 0; expected an integer ≥ 1');
    expect(() => resolveWorkerOptions({ maxCasesPerMessage: 2.5 })).toThrow('spawnWorker: options.maxCasesPerMessage is 2.5; expected an integer ≥ 1');
    expect(() => resolveWorkerOptions({ name: '' })).toThrow('spawnWorker: options.name is ""; expected a non-empty string');
    expect(() => resolveWorkerOptions({ onStderr: 'log' as never })).toThrow('spawnWorker: options.onStderr is string; expected a function (text) => void');
    expect(() => resolveWorkerOptions({ timeout: 5 } as never)).toThrow(
      'spawnWorker: options.timeout is not an option; expected one of name, cwd, env, onStderr, signal, handshakeTimeoutMs, timeoutMs, closeTimeoutMs, maxCasesPerMessage, maxMessageChars, maxLineChars, stderrTailChars, stderrTailLines',
    );
  });
});
