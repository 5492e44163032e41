/** The cost notice `gradcheck check` prints before an expensive function check (src/cli/function-cost.ts). */
import { describe, expect, it } from 'vitest';
import { costNotice, maxEntries } from '../../src/cli/function-cost.js';
import type { FunctionSpec } from '../../src/adapters/subprocess/schemas.js';

const gate: FunctionSpec = { name: 'gate', inputs: { W: { shape: ['H', 'D'] }, x: { shape: ['D'] }, b: { shape: ['H'] }, mask: { shape: ['H'], differentiable: false } }, dims: { H: { min: 1, max: 64 }, D: { min: 1, max: 72 } } };

describe('costNotice', () => {
  it('counts the differentiated entries at the dimensions’ maxima', () => {
    expect(maxEntries(gate)).toBe(64 * 72 + 72 + 64);
  });
  it('names entries × calls, the run’s total and the cheaper strategies above 100,000 calls', () => {
    // 3 calls an entry (column stage) + 46 (f(x) and ECnoise's 9 samples at up to 5 spacings): 3·4744 + 46 = 14,278 a case.
    expect(costNotice(gate, 'vjp', 50, 'full')).toBe(
      'gradcheck check: gate vjp is expensive: up to 4,744 input entries × ~3 calls = ~14,278 calls of gate a case, ~713,900 for 50 cases (more where entries need refining).\n' +
        '  cheaper: --strategy fast (random directions and group probes: calls independent of the entries, docs/fast-mode.md), or --runs 7, or smaller dims in the handshake.\n',
    );
  });
  it('says nothing for a cheap run, a JVP or a strategy whose calls do not grow with the entries', () => {
    expect(costNotice(gate, 'vjp', 7, 'full')).toBeUndefined();
    expect(costNotice(gate, 'jvp', 50, 'full')).toBeUndefined();
    expect(costNotice(gate, 'vjp', 50, 'fast')).toBeUndefined();
  });
});
