/**
 * The HTML report without a browser: bytes, self-containment, the colour scale, the curve's shape,
 * the errors a caller can see, and the CLI's and matchers' --html plumbing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interpolateCividis } from 'd3-scale-chromatic';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exampleCase } from '../../src/cli/commands/example.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { judge } from '../../src/check/numerics/judge.js';
import { renderHtmlReport } from '../../src/html/render-html-report.js';
import { ratioColor, ratioPosition } from '../../src/html/color-scale.js';
import { errorStepCurve } from '../../src/html/step-curve.js';
import { recordEntries } from '../../src/html/record-entries.js';
import { entryCell } from '../../src/html/gradient-view.js';
import { htmlOnFailure } from '../../src/vitest/html-on-failure.js';
import { gradcheckMatchers } from '../../src/vitest/matchers.js';
import { referenceImplementation } from '../../src/adapters/reference-implementation.js';
import { checkImplementationCase } from '../../src/adapters/check-implementation.js';
import type { GradientCase, GradientResult, Implementation } from '../../src/adapters/implementation.js';
import { GradientPropertyError, runGradientProperty } from '../../src/runner/assert-gradients.js';
import { runCli } from '../cli/check-harness.js';

function wrongColumn() {
  const nc = exampleCase(1);
  const g = nc.network.gradients(nc.params, nc.inputs, nc.targets, nc.reduction);
  const parameters = Float64Array.from(g.parameters);
  for (const k of [1, 4, 7, 10]) parameters[k] *= 1.01;
  const claimed = { parameters, inputs: g.inputs };
  return { nc, claimed, report: checkNetwork(nc, { claimed }) };
}

describe('renderHtmlReport', () => {
  it('gives the same bytes for the same input, and loads nothing: no script, no src, no href but embedded images, a policy that allows nothing else', () => {
    const { nc, claimed, report } = wrongColumn();
    const html = renderHtmlReport({ report, case: nc, claimed });
    expect(renderHtmlReport({ report, case: nc, claimed })).toBe(html);
    expect(html).not.toMatch(/<script|\ssrc=|\shref=(?!"data:image\/png;base64,)|@import|url\((?!#)/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    // The only URL is SVG's namespace name, which is never fetched.
    expect(new Set(html.match(/https?:\/\/[^"\s]+/g))).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });

  it('draws one cell per entry of the check, and the recorded entries are the report\'s', () => {
    const { nc, claimed, report } = wrongColumn();
    const recorded = recordEntries(nc, report, claimed);
    expect(recorded.entries.length).toBe(report.counts.checked);
    expect(recorded.report.counts).toEqual(report.counts);
    expect(recorded.entries.filter((e) => e.status === 'fail')).toEqual(report.failures);
    const html = renderHtmlReport({ report, case: nc, claimed });
    expect(html.match(/<rect class="cell /g)?.length).toBe(42);
    expect(html.match(/<rect class="cell fail"/g)?.length).toBe(4);
  });

  it("colours a cell by the judge's own ratio: |claimed − numeric| / the judge's tolerance", () => {
    const { nc, claimed, report } = wrongColumn();
    const e = recordEntries(nc, report, claimed).entries.find((x) => x.tensor === 'W1' && x.row === 2 && x.col === 1)!;
    const j = judge(e.claimed, { value: e.numeric, truncation: e.errorEstimate, rounding: 0, step: e.step, method: e.method, converged: true, kink: 'none' }, report.tolerances);
    // The claimed side's rounding allowance is not in this judge call, so the entry's tolerance is at least as wide.
    expect(e.tolerance).toBeGreaterThanOrEqual(j.tolerance);
    expect(entryCell(e).ratio).toBe(e.absoluteError / e.tolerance);
    expect(entryCell(e).status).toBe('fail');
  });

  it('maps ratios on cividis over [1e-4, 1e2], log scale: the tolerance at 4/6, ends clamped', () => {
    expect(ratioPosition(1)).toBeCloseTo(4 / 6, 12);
    expect(ratioPosition(1e-2)).toBeCloseTo(2 / 6, 12);
    expect(ratioColor(0)).toBe(interpolateCividis(0));
    expect(ratioColor(1e-9)).toBe(interpolateCividis(0));
    expect(ratioColor(Infinity)).toBe(interpolateCividis(1));
  });

  it('draws a curve whose truncation side falls as h² (central differences: error f‴h²/6)', () => {
    const { nc, claimed, report } = wrongColumn();
    const e = recordEntries(nc, report, claimed).entries.find((x) => x.tensor === 'W1' && x.row === 0 && x.col === 0)!;
    const curve = errorStepCurve(nc, e, true);
    expect(curve.points.length).toBe(65);
    const at = (h: number) => curve.points.find((p) => Math.abs(Math.log10(p.step) - Math.log10(h)) < 1e-9)!.error;
    // One decade of step, two decades of error (Taylor), within a factor 2 for the h⁴ term.
    const slope = Math.log10(at(1e-1) / at(1e-2));
    expect(slope).toBeGreaterThan(1.7);
    expect(slope).toBeLessThan(2.3);
  });

  it('names a bad subject or option', () => {
    const { report } = wrongColumn();
    expect(() => renderHtmlReport({} as never)).toThrow('renderHtmlReport: subject has none of report, implementation, property, fixtures; expected exactly one');
    expect(() => renderHtmlReport({ report, fixtures: [] } as never)).toThrow('subject has report and fixtures of report, implementation, property, fixtures; expected exactly one');
    expect(() => renderHtmlReport({ report }, { curves: -1 })).toThrow('renderHtmlReport: options.curves is -1; expected an integer ≥ 0');
    expect(() => renderHtmlReport({ report }, { curve: 2 } as never)).toThrow(/curve/);
    expect(() => renderHtmlReport(null as never)).toThrow('renderHtmlReport: subject is null');
  });

  it('for a directions report, draws the same case checked entry by entry and says so', () => {
    const { nc, claimed } = wrongColumn();
    const report = checkNetwork(nc, { claimed, strategy: 'directions' });
    const html = renderHtmlReport({ report, case: nc, claimed });
    expect(html).toContain('The report checked random directions; the maps show the same case checked entry by entry (42 entries, 4 failing).');
    expect(html.match(/<rect class="cell /g)?.length).toBe(42);
  });

  it('without the case, draws only the entries the report lists and says why', () => {
    const { report } = wrongColumn();
    const html = renderHtmlReport({ report });
    expect(html).toContain('the case was not given');
    expect(html.match(/<rect class="cell fail"/g)?.length).toBe(4);
    expect(html).not.toContain('<svg class="curve"');
  });
});

describe('--html on the CLI', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });
  // Missing folders are created (test/cli/output-folders.test.ts); a folder that cannot be one, under a
  // regular file, is refused.
  const blocker = join(mkdtempSync(join(tmpdir(), 'gradcheck-html-')), 'a-file');
  writeFileSync(blocker, '');
  const missing = join(blocker, 'r.html');

  it.each([
    ['example', ['example', '--html', missing]],
    ['fixtures', ['fixtures', '--html', missing]],
    ['check', ['check', 'python3', 'examples/python/numpy_mlp.py', '--runs', '1', '--html', missing]],
    ['check --function', ['check', '--function', 'tanh', '--runs', '1', '--html', missing, 'python3', 'examples/python/functions/numpy_layers.py']],
  ])('%s refuses a folder that cannot be made (a file is in the way), before the run, with exit 2', async (_, args) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`gradcheck: --html ${missing}: the directory ${blocker} does not exist or is not writable`);
    expect(run.out).toBe('');
  });

  it("gradcheck check --html: the page's message has the CLI's replay line, not the runner's GRADCHECK_SEED wording", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gradcheck-html-')), 'buggy.html');
    const run = await runCli(['check', 'python3', 'examples/python/numpy_buggy.py', '--runs', '20', '--seed', '42', '--html', file]);
    expect(run.code).toBe(1);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain('GRADCHECK_SEED');
    expect(html).not.toContain('your test command');
    expect(html).toMatch(/<h2>Message<\/h2>\n<pre>[^]*replay: gradcheck check python3 examples\/python\/numpy_buggy\.py --seed 42 --path [\d:]+\n?<\/pre>/);
  }, 30_000);

  it('gradcheck example --html writes the report of the example', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gradcheck-html-')), 'example.html');
    const run = await runCli(['example', '--html', file]);
    expect(run.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html.match(/<rect class="cell /g)?.length).toBe(42);
    expect(html).toContain('gradcheck example --seed 1');
  });
});

describe('GRADCHECK_HTML_DIR', () => {
  it('writes the report of a failure there, named after the implementation and a hash of the report', () => {
    const { report } = wrongColumn();
    const dir = join(mkdtempSync(join(tmpdir(), 'gradcheck-html-')), 'reports');
    const line = htmlOnFailure({ report }, 'my impl', { GRADCHECK_HTML_DIR: dir });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^my-impl-[0-9a-f]{12}\.html$/);
    expect(line).toBe(`\nHTML report: ${join(dir, files[0])}`);
    expect(htmlOnFailure({ report }, 'my impl', { GRADCHECK_HTML_DIR: dir })).toBe(line);
  });

  it('writes nothing when unset', () => {
    expect(htmlOnFailure({ report: wrongColumn().report }, 'x', {})).toBe('');
  });

  it('says which variable when the folder cannot be made', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gradcheck-html-')), 'a-file');
    writeFileSync(file, '');
    const inside = join(file, 'sub');
    expect(() => htmlOnFailure({ report: wrongColumn().report }, 'x', { GRADCHECK_HTML_DIR: inside })).toThrow(/^GRADCHECK_HTML_DIR: could not write the HTML report to .*a-file\/sub\/x-[0-9a-f]{12}\.html: ENOTDIR/);
    expect(existsSync(inside)).toBe(false);
  });
});

describe('the matchers with GRADCHECK_HTML_DIR', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('toPassGradientCheck writes the failing report and names it in the message; a pass writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradcheck-html-'));
    vi.stubEnv('GRADCHECK_HTML_DIR', dir);
    const { message } = gradcheckMatchers.toPassGradientCheck(wrongColumn().report);
    const text = message();
    const file = /\nHTML report: (.*\.html)$/.exec(text)?.[1];
    expect(file).toBeDefined();
    expect(readFileSync(file!, 'utf8')).toContain('<rect class="cell fail"');
    gradcheckMatchers.toPassGradientCheck(checkNetwork(exampleCase(1))).message();
    expect(readdirSync(dir)).toHaveLength(1);
  });
});

describe('a property run', () => {
  const reference = referenceImplementation();
  /** The reference's gradients with layer 1's weights doubled: every entry of W1 wrong by 100%. */
  const doubledW1: Implementation = {
    name: 'doubled W1',
    gradients(c: GradientCase) {
      const r = reference.gradients(c) as GradientResult;
      return { ...r, parameters: r.parameters.map((p, l) => (l === 0 ? { ...p, W: p.W.map((row) => row.map((v) => 2 * v)) } : p)) };
    },
  };

  it('records every random case per tensor and the shrinking path, and draws them with the counterexample', async () => {
    const result = await runGradientProperty(doubledW1, { runs: 20, seed: 7, diagnose: false });
    expect(result.verdict).toBe('fail');
    const path = result.shrinkPath!;
    // The path ends at the counterexample; shrinking never makes the case larger than the first failure.
    expect(path.at(-1)!.description).toBe(result.counterexample!.description);
    expect(path.at(-1)!.parameters).toBeLessThanOrEqual(path[0].parameters);
    // Every random case has a W1; each checked case up to the first failure added one ratio.
    const w1 = result.tensorRatios!.W1;
    expect(w1.ratios.length).toBe(result.runs);
    expect(w1.ratios.at(-1)).toBeGreaterThan(1);
    const html = renderHtmlReport({ property: result });
    expect(html.match(/<svg class="histogram"/g)?.length).toBe(Object.keys(result.tensorRatios!).length);
    expect(html.match(/<table class="shrink">/g)?.length).toBe(1);
    expect(html.match(/<rect class="cell /g)?.length).toBe(result.counterexample!.report.report.counts.checked);
    expect(html.match(/<rect class="cell fail"/g)?.length).toBe(result.counterexample!.report.report.counts.failed);
    expect(renderHtmlReport({ property: new GradientPropertyError(result) })).toBe(html);
  });

  it('draws a passing run: its distributions, no shrinking and no counterexample', async () => {
    const result = await runGradientProperty(reference, { runs: 3, seed: 7 });
    expect(result.verdict).toBe('pass');
    const html = renderHtmlReport({ property: result });
    expect(html).toContain('<span class="verdict pass">PASS</span>');
    expect(html.match(/<svg class="histogram"/g)?.length).toBe(Object.keys(result.tensorRatios!).length);
    expect(html).not.toContain('<table class="shrink">');
    expect(html).not.toContain('<rect class="cell ');
  });
});

describe('an implementation check', () => {
  it("in self mode draws only the listed entries, since the loss is the implementation's own", async () => {
    const nc = exampleCase(1);
    const result = await checkImplementationCase(referenceImplementation(), nc, {}, { mode: 'self' });
    const html = renderHtmlReport({ implementation: result });
    expect(html).toContain("a self check's loss is the implementation's own");
    expect(html).not.toContain('<svg class="curve"');
    expect(html).toContain('<svg class="network"');
  });

  it('in reference mode draws every entry the check compared', async () => {
    const result = await checkImplementationCase(referenceImplementation(), exampleCase(1));
    const html = renderHtmlReport({ implementation: result });
    expect(html.match(/<rect class="cell /g)?.length).toBe(result.report.counts.checked);
    expect(html.match(/<svg class="curve"/g)?.length).toBe(3);
  });
});
