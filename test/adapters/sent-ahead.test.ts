// Requests sent ahead (sent-ahead.ts) and the hand-checked reading of plain answers (read-result.ts).
import { describe, expect, it } from 'vitest';
import { SentAhead, sameValue } from '../../src/adapters/subprocess/sent-ahead.js';
import { plainGradientResult } from '../../src/adapters/subprocess/read-result.js';
import { gradientResultSchema } from '../../src/adapters/subprocess/schemas.js';
import { encodeLine } from '../../src/adapters/subprocess/protocol.js';
import type { GradientCase, GradientResult } from '../../src/adapters/implementation.js';

const gc = (id: number, x = 0.5): GradientCase => ({
  id,
  seed: 7,
  network: { inputs: 1, layers: [{ outputs: 1, activation: 'identity', bias: true }] },
  parameters: [{ W: [[x]], b: [0] }],
  inputs: [[1]],
  targets: [[0]],
  reduction: 'mean',
});
const result = (g: number): GradientResult => ({ parameters: [{ W: [[g]], b: [g] }] });

describe('SentAhead', () => {
  it('answers the cases sent ahead, in order, and drops those sent before the one asked', async () => {
    const ahead = new SentAhead();
    ahead.add([gc(1), gc(2), gc(3)], Promise.resolve([result(1), result(2), result(3)]));
    expect(await ahead.take([gc(2)])).toEqual([result(2)]); // case 1 was never asked: dropped
    expect(ahead.size).toBe(1);
    expect(await ahead.take([gc(3)])).toEqual([result(3)]);
    expect(ahead.size).toBe(0);
  });

  it('a case that differs from the one sent (same id, other value) is not answered, and nothing waits any more', () => {
    const ahead = new SentAhead();
    ahead.add([gc(1), gc(2)], Promise.resolve([result(1), result(2)]));
    expect(ahead.take([gc(1, 0.25)])).toBeUndefined();
    expect(ahead.size).toBe(0);
    expect(ahead.take([gc(2)])).toBeUndefined();
  });

  it('keeps a failed batch without an unhandled rejection, and hands the failure to whoever asks', async () => {
    const ahead = new SentAhead();
    ahead.add([gc(1)], Promise.reject(new Error('worker gone')));
    await new Promise((r) => setTimeout(r, 10));
    await expect(ahead.take([gc(1)])!).rejects.toThrow('worker gone');
  });
});

describe('sameValue: equal exactly when encodeLine writes the same line', () => {
  const pairs: [unknown, unknown][] = [
    [gc(1), gc(1)],
    [gc(1), gc(2)],
    [gc(1), gc(1, 0.5000000000000001)],
    [{ W: [[Number.NaN]] }, { W: [[Number.NaN]] }],
    [{ W: [[0]] }, { W: [[-0]] }],
    [{ a: 1, b: undefined }, { a: 1 }],
    [{ a: [1, 2] }, { a: [1, 2, 3] }],
    [{ a: null }, { a: 0 }],
  ];
  for (const [a, b] of pairs) {
    it(`${encodeLine(a)} vs ${encodeLine(b)}`, () => expect(sameValue(a, b)).toBe(encodeLine(a) === encodeLine(b)));
  }
});

describe('plainGradientResult: what the schema reads, or undefined for the schema to read', () => {
  const plain = [
    { parameters: [{ W: [[1, 2]], b: [3] }], inputs: [[4]], loss: 5, case: 9 },
    { parameters: [{ W: [[1]], b: null }], inputs: null, loss: null },
    { parameters: [{ W: [[1]] }] },
  ];
  for (const raw of plain) {
    it(`reads ${JSON.stringify(raw)} as the schema does`, () => {
      const schema = gradientResultSchema.parse(raw);
      const fast = plainGradientResult(raw)!;
      expect(fast).toBeDefined();
      expect({ parameters: fast.parameters, inputs: fast.inputs, loss: fast.loss, case: fast.case }).toEqual({ parameters: schema.parameters, inputs: schema.inputs, loss: schema.loss, case: schema.case });
    });
  }
  const other = [
    { parameters: [{ W: [['NaN']] }] },
    { parameters: [{ W: [[1]] }], loss: 'Infinity' },
    { parameters: [{ W: [1] }] },
    { parameters: [{ b: [1] }] },
    { parameters: 'x' },
    { parameters: [{ W: [[1]] }], case: 1.5 },
    { parameters: [{ W: [[1e400]] }] },
    [1],
  ];
  for (const raw of other) {
    it(`leaves ${JSON.stringify(raw)} to the schema`, () => expect(plainGradientResult(raw)).toBeUndefined());
  }
});
