/** Every message a function check gives for bad input names the field and what was expected. */
import { describe, expect, it } from 'vitest';
import { checkVjp } from '../../src/check/functions/check-vjp.js';
import { checkJvp } from '../../src/check/functions/check-jvp.js';
import { checkJacobian, MAX_JACOBIAN_ENTRIES } from '../../src/check/functions/check-jacobian.js';
import { GradcheckError } from '../../src/errors.js';
import type { NamedTensors } from '../../src/check/functions/tensor.js';

const f = ({ x }: NamedTensors) => ({ shape: x.shape, data: x.data.map((v) => 2 * v) });
const vjp = ({ x }: NamedTensors, { y }: NamedTensors) => ({ x: { shape: x.shape, data: y.data.map((v) => 2 * v) } });
const x = Float64Array.of(1, 2);

function message(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(GradcheckError);
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

describe('bad input to checkVjp', () => {
  it.each([
    [{ f, vjp, inputs: { x }, rtoll: 1 }, 'checkVjp: options.rtoll is not an option of checkVjp; expected one of f, inputs, wrt, name, vjp, claimed, cotangent, rtol, atol, strategy, precision, sensitivity, groupSize, directions, seed, levels, locate, label'],
    [{ f: 3, vjp, inputs: { x } }, 'checkVjp: f is number; expected a function (inputs: { name: tensor }) => tensor or { name: tensor }'],
    [{ f, vjp, inputs: x }, 'checkVjp: inputs is a Float64Array; expected { name: tensor }, for example { x: Float64Array.of(1, 2) }'],
    [{ f, vjp, inputs: {} }, 'checkVjp: inputs is empty; expected at least one named tensor'],
    [{ f, vjp, inputs: { x: [1, 2] } }, 'checkVjp: inputs.x is a plain array; expected a Float64Array or { shape, data: Float64Array }'],
    [{ f, vjp, inputs: { x: { shape: [3], data: x } } }, 'checkVjp: inputs.x has 2 entries but shape 3 needs 3'],
    [{ f, vjp, inputs: { x: { shape: [0], data: new Float64Array(0) } } }, 'checkVjp: inputs.x.shape is [0]; expected an array of integers ≥ 1 ([] for a scalar)'],
    [{ f, vjp, inputs: { x: Float64Array.of(1, NaN) } }, 'checkVjp: inputs.x entry 1 is NaN; expected finite numbers'],
    [{ f, vjp, inputs: { x }, wrt: ['z'] }, 'checkVjp: wrt names "z", which is not an input; expected one of x'],
    [{ f, inputs: { x } }, 'checkVjp: neither vjp nor claimed is given; expected one of them'],
    [{ f, vjp, claimed: { x }, inputs: { x } }, 'checkVjp: both vjp and claimed are given; expected one of them'],
    [{ f, claimed: { x }, inputs: { x } }, 'checkVjp: claimed is given without cotangent; expected the cotangent the claimed gradients were computed for'],
    [{ f, claimed: { x }, cotangent: { y: Float64Array.of(1, 2, 3) }, inputs: { x } }, 'checkVjp: cotangent.y has shape 3; expected 2'],
    [{ f, claimed: { x }, cotangent: { z: x }, inputs: { x } }, 'checkVjp: cotangent.z is not expected; expected y'],
    [{ f, vjp: () => ({ x: Float64Array.of(1) }), inputs: { x } }, 'checkVjp: vjp(inputs, cotangent).x has shape 1; expected 2'],
    [{ f, vjp: () => ({}), inputs: { x } }, 'checkVjp: vjp(inputs, cotangent).x is missing; expected a tensor of shape 2'],
    [{ f: () => ({}), vjp, inputs: { x } }, 'checkVjp: f returned no output; expected a tensor or { name: tensor }'],
    [{ f: () => 5, vjp, inputs: { x } }, 'checkVjp: f returned 5 at the checked point; expected a tensor or { name: tensor }'],
  ])('%#', (spec, expected) => {
    expect(message(() => checkVjp(spec as never))).toBe(expected);
  });
  it('names an output whose shape changes between points', () => {
    let calls = 0;
    const changing = ({ x }: NamedTensors) => (calls++ === 0 ? x.data.slice() : x.data.slice(0, 1));
    expect(message(() => checkVjp({ f: changing, vjp, inputs: { x } }))).toBe('checkVjp: f output y has shape 1 at a shifted point; it was 2 at the checked point');
  });
  it('rejects a misspelt option passed as the second argument', () => {
    expect(message(() => checkVjp({ f, vjp, inputs: { x } }, { sead: 1 } as never))).toMatch(/^checkVjp: options\.sead is not an option of checkVjp; expected one of rtol, /);
  });
});

describe('bad input to checkJvp and checkJacobian', () => {
  it('names the missing rule and a tangent of the wrong shape', () => {
    expect(message(() => checkJvp({ f, inputs: { x } }))).toBe('checkJvp: neither jvp nor claimed is given; expected one of them');
    expect(message(() => checkJvp({ f, claimed: x, tangent: Float64Array.of(1), inputs: { x } }))).toBe('checkJvp: tangent.x has shape 1; expected 2');
    expect(message(() => checkJacobian({ f, inputs: { x } }))).toBe('checkJacobian: neither vjp nor jvp is given; expected one of them');
  });
  it(`refuses a Jacobian above ${MAX_JACOBIAN_ENTRIES} entries (memory: one output per memoised call)`, () => {
    const big = new Float64Array(400);
    expect(message(() => checkJacobian({ f: ({ x }) => new Float64Array(x.data.length * 251), vjp, inputs: { x: big } }))).toBe(
      'checkJacobian: the Jacobian has 100400×400 = 40160000 entries, more than 100000; check the rule with checkVjp or checkJvp instead',
    );
  });
});
