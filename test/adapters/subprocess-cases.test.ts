// Per-case faults through one well-behaved fault worker (test/workers/fault_worker.py ok): the seed of
// a case picks what goes wrong with it; the other cases of the same message must be unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GradcheckError, checkImplementationCase, spawnWorker, type GradientCase, type GradientResult, type WorkerImplementation } from '../../src/index.js';
import { claimedFromResult } from '../../src/adapters/gradient-case.js';
import { gradientsOf, lossesOf } from '../../src/adapters/call-implementation.js';
import { idCounter } from '../../src/adapters/check-implementation.js';
import { ROOT, faultWorker, gradientCases, smallCase } from '../workers/cases.js';

let worker: WorkerImplementation;
beforeAll(async () => {
  worker = await spawnWorker(faultWorker('ok'), { cwd: ROOT, maxCasesPerMessage: 3 });
});
afterAll(() => worker?.close());

const check = (seed: number, mode: 'reference' | 'self' = 'reference') => checkImplementationCase(worker, smallCase(), { seed, nextId: idCounter() }, { mode });
const message = (r: unknown) => (r instanceof Error ? r.message : 'a result');

describe('a worker answering several cases per message', () => {
  it('keeps every good result when other cases of the same messages fail, each error naming its case and seed', async () => {
    const seeds = [0, 104, 105, 106, 108, 0, 0];
    const results = await worker.gradientsMany(gradientCases(seeds));
    expect(results.map(message)).toEqual([
      'a result',
      'the worker reported: ValueError: shapes (3,4) and (2,1) not aligned (at model.py:40 in gradients)',
      'fault-ok: case 3 (seed 105): parameters[0].W[0][1] is "abc"; expected a number (NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity")',
      "fault-ok: case 4 (seed 106): the response to request 2 has the result for case 1004 where case 4 was expected; results come in the order of the request's cases",
      'fault-ok: case 5 (seed 108): parameters is missing; expected an array with one { W, b? } per layer',
      'a result',
      'a result',
    ]);
    // A worker's own error is a plain Error, prefixed with the case by whoever calls it:
    await expect(gradientsOf(worker, gradientCases([104]))).rejects.toThrow(
      'fault-ok: case 1 (seed 104): gradients failed: the worker reported: ValueError: shapes (3,4) and (2,1) not aligned (at model.py:40 in gradients)',
    );
  });

  it('answers concurrent batches from one worker in order (requests queue)', async () => {
    const [a, b] = await Promise.all([worker.gradientsMany(gradientCases([0, 0, 0, 0])), worker.lossMany!(gradientCases([0, 0]))]);
    expect(a.every((r) => !(r instanceof Error) && (r as GradientResult).parameters.length === 2)).toBe(true);
    expect(b).toEqual([0.25, 0.25]);
  });

  it('throws from the single-case forms, naming the case', async () => {
    await expect(worker.gradients(gradientCases([105])[0])).rejects.toThrow(GradcheckError);
    await expect(worker.loss!(gradientCases([0, 104])[1])).rejects.toThrow(
      'fault-ok: case 2 (seed 104): loss failed: the worker reported: ZeroDivisionError: float division by zero (at model.py:12 in loss)',
    );
  });
});

describe('values a worker must not return', () => {
  it('rejects NaN in a weight gradient, naming the case, seed and entry', async () => {
    await expect(check(101)).rejects.toThrow('fault-ok: case 1 (seed 101): parameters[0].W[1][0] is NaN; expected a finite number');
  });

  it('rejects Infinity in a bias gradient', async () => {
    await expect(check(102)).rejects.toThrow('fault-ok: case 1 (seed 102): parameters[1].b[0] is Infinity; expected a finite number');
  });

  it('rejects weights of the wrong shape, saying which layout was expected', async () => {
    await expect(check(103)).rejects.toThrow("fault-ok: case 1 (seed 103): parameters[0].W has shape 2×3; expected 3×2 (inputs × outputs, weightLayout 'in-out')");
  });

  it('rejects a NaN loss returned with the gradients', async () => {
    await expect(check(107)).rejects.toThrow('fault-ok: case 1 (seed 107): loss is NaN; expected a finite number or no loss');
  });

  it('rejects a NaN or -Infinity loss in self mode', async () => {
    await expect(lossesOf(worker, gradientCases([0, 101]))).rejects.toThrow('fault-ok: case 2 (seed 101): loss is NaN; expected a finite number');
    await expect(lossesOf(worker, gradientCases([102]))).rejects.toThrow('fault-ok: case 1 (seed 102): loss is -Infinity; expected a finite number');
  });
});

describe('numbers on the wire', () => {
  // Values chosen at the edges of float64 (IEEE 754 binary64): the smallest subnormal, the smallest
  // normal, the largest finite value, and decimals with no short exact form.
  const edges = [0.1, 1 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1e-300, 0.1 + 0.2, Math.PI, 123456789.12345679, 1e21, -2.5e-7];

  it('round-trip exactly, bit for bit, through Python json and back', async () => {
    const c: GradientCase = { ...gradientCases([200])[0] };
    const W = [edges.slice(0, 2), edges.slice(2, 4), edges.slice(4, 6)];
    const sent: GradientCase = { ...c, parameters: [{ W, b: edges.slice(6, 8) }, { W: [[edges[8]], [edges[9]]], b: [edges[10]] }] };
    const [echo] = await worker.gradientsMany([sent]);
    const back = echo as GradientResult;
    const got = [...back.parameters[0].W.flat(), ...back.parameters[0].b!, back.parameters[1].W[0][0], back.parameters[1].W[1][0], ...back.parameters[1].b!];
    expect(got).toEqual(edges);
    // Same float64 bits, not just close:
    expect(Buffer.from(Float64Array.from(got).buffer).equals(Buffer.from(Float64Array.from(edges).buffer))).toBe(true);
    expect(back.inputs).toEqual(c.inputs);
  });

  it('carry NaN and ±Infinity as strings in both directions', async () => {
    const c = gradientCases([200])[0];
    const sent: GradientCase = { ...c, inputs: [[Number.NaN, Infinity, -Infinity], c.inputs[1]] };
    const [echo] = await worker.gradientsMany([sent]);
    expect((echo as GradientResult).inputs![0]).toEqual([Number.NaN, Infinity, -Infinity]);
    // …and gradcheck rejects them as results, naming the field.
    expect(() => claimedFromResult(echo as GradientResult, smallCase().network, worker.conventions, 2, 'fault-ok: case 1 (seed 200)')).toThrow(
      'fault-ok: case 1 (seed 200): inputs[0][0] is NaN; expected a finite number',
    );
  });
});
