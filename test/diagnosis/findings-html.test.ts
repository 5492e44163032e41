/**
 * Findings reach every surface the diagnosis does (issue 21, item 5): the text of a property run's
 * message, the CLI's text and JSON, the vitest matcher's message, and the HTML report, whose
 * diagnosis section carries each finding's sentence and whose heat map of the finding's tensor
 * outlines the entries the finding names (and only those).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runGradientProperty, type PropertyResult } from '../../src/runner/assert-gradients.js';
import { renderHtmlReport } from '../../src/html/render-html-report.js';
import { InputVjpFirstFeature } from '../../mutants/tape/bugs.js';
import { CHECK_DEFAULTS } from '../../src/cli/check-options.js';
import { outcomeFields, renderOutcome, type CheckOutcome } from '../../src/cli/check-report.js';
import { resolveConventions } from '../../src/adapters/conventions.js';
import { gradcheckMatchers } from '../../src/vitest/matchers.js';
import type { Finding } from '../../src/diagnosis/findings/finding.js';

const SENTENCE = "x (dL/dx): on every input feature's column but the first, claimed = 0; its other entries are right";

let result: PropertyResult;
let finding: Finding;
beforeAll(async () => {
  result = await runGradientProperty(new InputVjpFirstFeature('first feature'), { runs: 100, seed: 1 });
  finding = result.diagnosis!.findings.find((x) => x.tensor === 'x')!;
});

const line = () => `Finding: ${SENTENCE} (reproduced on the counterexample and ${finding.confirmedOn} probe case${finding.confirmedOn === 1 ? '' : 's'}).`;

describe('findings on every surface', () => {
  it('the finding itself', () => {
    expect(finding.text).toBe(SENTENCE);
    expect(finding.indices.length).toBeGreaterThan(0);
  });

  it("the property run's message (the text of assertGradients)", () => {
    expect(result.message).toContain(`  ${line()}`);
  });

  it("the CLI's text and its --json diagnosis", () => {
    const outcome: CheckOutcome = {
      worker: { name: 'first feature', command: ['python3', 'w.py'], conventions: resolveConventions() },
      options: { ...CHECK_DEFAULTS },
      seedSource: 'from --seed',
      result,
      summary: [],
      cases: 0,
      missing: 0,
      hints: [],
      diagnosis: result.diagnosis!,
    };
    expect(renderOutcome(outcome).stdout).toContain(`  ${line()}\n`);
    const json = JSON.parse(JSON.stringify(outcomeFields(outcome, 1))) as { diagnosis: { findings: Finding[] } };
    const x = json.diagnosis.findings.find((f) => f.tensor === 'x')!;
    expect(x).toMatchObject({ text: SENTENCE, mask: 'cols-but-first', relation: 'zero', indices: finding.indices, specific: true });
  });

  it("the vitest matcher's message", async () => {
    const verdict = await gradcheckMatchers.toHaveCorrectGradients(new InputVjpFirstFeature('first feature'), { runs: 100, seed: 1 });
    expect(verdict.pass).toBe(false);
    expect(verdict.message()).toContain(`  ${line()}`);
  });

  it("the HTML report: the diagnosis section has the sentence, the tensor's heat map outlines exactly its entries", () => {
    const html = renderHtmlReport({ property: result });
    const section = html.slice(html.indexOf('<h2>Diagnosis</h2>'));
    expect(section).toContain(`Finding: x (dL/dx): on every input feature&#39;s column but the first, claimed = 0; its other entries are right (reproduced on the counterexample and ${finding.confirmedOn} probe case`);
    const counterexample = html.slice(html.indexOf('<h2>Counterexample</h2>'));
    const xMap = /<figure class="map" data-tensor="x">[\s\S]*?<\/figure>/.exec(counterexample)![0];
    const marked = [...xMap.matchAll(/<rect class="finding-mark" data-entry="([^"]+)"/g)].map((m) => m[1]);
    const cols = result.counterexample!.report.report.tensors.find((t) => t.name === 'x')!.cols;
    expect(marked).toEqual(finding.indices.map((q) => `x[${Math.floor(q / cols)},${q % cols}]`));
    expect(marked.every((label) => !label.endsWith(',0]'))).toBe(true);
    expect(xMap).toContain(`${marked.length} ${marked.length === 1 ? 'entry' : 'entries'} a finding names, outlined in blue`);
    expect(xMap).toContain(`<title>Finding: ${SENTENCE.replace("'", '&#39;')}</title>`);
    // No other tensor's map is marked, and the legend says what the outline means.
    expect(counterexample.match(/class="finding-mark"/g)!.length).toBe(marked.length);
    expect(html).toContain('entries a finding names</text>');
  });

  it('a report without findings draws no marks and no legend entry for them', async () => {
    const passing = await runGradientProperty(new InputVjpFirstFeature('first feature'), { runs: 100, seed: 1, diagnose: false });
    const html = renderHtmlReport({ property: passing });
    expect(html).not.toContain('finding-mark');
    expect(html).not.toContain('entries a finding names');
  });
});

describe('heatMapSvg marks', () => {
  it('draws the marks on a map drawn as an image too (more than IMAGE_ABOVE entries)', async () => {
    const { heatMapSvg, IMAGE_ABOVE } = await import('../../src/html/heat-map.js');
    const cols = IMAGE_ABOVE;
    const svg = heatMapSvg({ rows: 2, cols, rowAxis: 'row', colAxis: 'column' }, [], [{ row: 1, col: cols - 1, label: `W1[1,${cols - 1}]`, title: 'Finding: a & b' }]);
    expect(svg).toContain('<image class="cells"');
    expect(svg).toContain(`<rect class="finding-mark" data-entry="W1[1,${cols - 1}]"`);
    expect(svg).toContain('<title>Finding: a &amp; b</title>');
  });
});
