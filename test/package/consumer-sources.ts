// The files a consumer of the installed package writes: scripts in both module formats, a typed API
// user and a vitest test file, each relying only on what README.md documents.

/** The README's API example, printing the report of a gradient planted 1% wrong and a clean verdict. */
const exampleBody = `
const network = new Network({ inputs: 2, layers: [{ outputs: 3, activation: 'relu' }, { outputs: 1, activation: 'identity' }] });
const params = new Float64Array([0.5, -0.3, 0.8, 0.2, 0.7, -0.4, 0.1, 0.0, -0.2, 1.2, -0.6, 0.9, 0.05]);
const inputs = matrixFromRows([[1.0, 2.0], [-0.5, 0.3]]);
const targets = matrixFromRows([[0.5], [-1.0]]);
const problem = { network, params, inputs, targets, reduction: 'mean' };
const clean = network.gradients(params, inputs, targets, 'mean').parameters;
const planted = Float64Array.from(clean);
planted[9] *= 1.01;
console.log('clean: ' + checkNetwork(problem, { claimed: { parameters: clean } }).verdict);
console.log(renderReport(checkNetwork(problem, { claimed: { parameters: planted } })));
`;

export const esmScript = `import { Network, checkNetwork, matrixFromRows, renderReport } from 'gradcheck';\n${exampleBody}`;
export const cjsScript = `const { Network, checkNetwork, matrixFromRows, renderReport } = require('gradcheck');\n${exampleBody}`;

/** The one line README.md documents for typing the matchers, in a declaration file the tsconfig includes. */
export const matcherTypesLine = '/// <reference types="gradcheck/vitest" />\n';

/** Uses the public types; each @ts-expect-error fails the compile if the types were `any`. */
export const apiSource = `
import { Network, checkNetwork, matrixFromRows, type GradientReport, type Verdict } from 'gradcheck';

const network = new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'sigmoid' }] });
const params = new Float64Array([0.3, -0.1]);
const inputs = matrixFromRows([[0.5]]);
const targets = matrixFromRows([[1]]);
export const report: GradientReport = checkNetwork({ network, params, inputs, targets, reduction: 'sum' });
export const verdict: Verdict = report.verdict;
// @ts-expect-error: not an activation gradcheck knows
new Network({ inputs: 1, layers: [{ outputs: 1, activation: 'softmax' }] });
// @ts-expect-error: 'maybe' is no verdict
export const wrong: 'maybe' = report.verdict;
`;

/**
 * Imports \`gradcheck/vitest\` by name. Compiled on its own: any import of it applies its augmentation
 * of vitest's \`Matchers\`, which would hide whether the documented line alone types them.
 */
export const vitestEntrySource = `
import { gradcheckMatchers, type GradcheckMatchers, type MatcherResult } from 'gradcheck/vitest';

export const names = Object.keys(gradcheckMatchers) as Array<keyof GradcheckMatchers>;
export const result: Promise<MatcherResult> = gradcheckMatchers.toHaveCorrectGradients(undefined, { runs: 1 });
// @ts-expect-error: not a matcher
gradcheckMatchers.toBeFine();
`;

/**
 * A vitest test file using both matchers. It runs for real (a correct and a sign-flipped
 * implementation, a clean and a planted report) and type-checks: the calls in \`neverCalled\` must be
 * errors, so the matchers are typed precisely, not as \`any\`.
 */
export const matchersTestSource = `
import { expect, it } from 'vitest';
import { Network, checkNetwork, matrixFromRows, referenceImplementation, type GradientCase, type Implementation } from 'gradcheck';

const engine = referenceImplementation({ name: 'engine' });
const negated: Implementation = {
  name: 'negated',
  async gradients(c: GradientCase) {
    const { parameters } = await engine.gradients(c);
    const flip = (rows: number[][]) => rows.map((row) => row.map((v) => -v));
    return { parameters: parameters.map((p) => (p.b ? { W: flip(p.W), b: p.b.map((v) => -v) } : { W: flip(p.W) })) };
  },
};

const network = new Network({ inputs: 2, layers: [{ outputs: 2, activation: 'sigmoid' }, { outputs: 1, activation: 'identity' }] });
const params = new Float64Array([0.5, -0.3, 0.8, 0.2, 0.1, -0.2, 1.2, -0.6, 0.05]);
const problem = { network, params, inputs: matrixFromRows([[1, 2]]), targets: matrixFromRows([[0.5]]), reduction: 'sum' as const };
const clean = network.gradients(params, problem.inputs, problem.targets, 'sum').parameters;
const planted = Float64Array.from(clean);
planted[0] *= 1.01;

it('passes a correct implementation and fails a sign-flipped one', async () => {
  await expect(engine).toHaveCorrectGradients({ runs: 3, seed: 1 });
  await expect(negated).not.toHaveCorrectGradients({ runs: 3, seed: 1 });
});

it("words a failure with the replay line, and its stack stays inside the package's dist", async () => {
  const error = await expect(negated).toHaveCorrectGradients({ runs: 3, seed: 1 }).then(() => undefined, (e: Error) => e);
  expect(error?.message).toMatch(/^expected negated to have correct gradients, but they do not:\\n/);
  expect(error?.message).toMatch(/GRADCHECK_SEED=1 GRADCHECK_PATH="[0-9:]+"/);
  expect(error?.stack ?? '').not.toMatch(/gradcheck\\/src\\//);
});

it('passes a clean report and fails a planted one', () => {
  expect(checkNetwork(problem, { claimed: { parameters: clean } })).toPassGradientCheck();
  expect(checkNetwork(problem, { claimed: { parameters: planted } })).not.toPassGradientCheck();
});

export function neverCalled(): void {
  // @ts-expect-error: toPassGradientCheck takes no argument
  expect(1).toPassGradientCheck(1);
  // @ts-expect-error: runs is a number
  void expect(engine).toHaveCorrectGradients({ runs: 'many' });
}
`;

/** README.md's vitest setup, on one test file. */
export const vitestConfig = (testFile: string) => `export default { test: { setupFiles: ['gradcheck/vitest'], include: ['${testFile}'] } };\n`;

/** A test file that forgets the `await` on toHaveCorrectGradients, and one test that awaits it. */
export const unawaitedTestSource = `
import { expect, it } from 'vitest';
import { referenceImplementation } from 'gradcheck';

const engine = referenceImplementation({ name: 'engine' });

it('awaits', async () => {
  await expect(engine).toHaveCorrectGradients({ runs: 3, seed: 1 });
});

it('forgets the await', () => {
  void expect(engine).toHaveCorrectGradients({ runs: 3, seed: 1 });
});
`;
