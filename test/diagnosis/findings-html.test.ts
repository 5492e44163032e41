/**
 * Findings reach the HTML report (issue 21, item 5): the diagnosis section of a property run's page
 * carries each finding's sentence, escaped, as the text report does.
 */
import { describe, expect, it } from 'vitest';
import { runGradientProperty } from '../../src/runner/assert-gradients.js';
import { renderHtmlReport } from '../../src/html/render-html-report.js';
import { InputVjpFirstFeature } from '../../mutants/tape/bugs.js';

describe('findings in the HTML report', () => {
  it("shows a finding's sentence in the diagnosis section", async () => {
    const result = await runGradientProperty(new InputVjpFirstFeature('first feature'), { runs: 100, seed: 1 });
    const f = result.diagnosis!.findings.find((x) => x.tensor === 'x')!;
    expect(f.text).toBe("x (dL/dx): on every input feature's column but the first, claimed = 0; its other entries are right");
    const html = renderHtmlReport({ property: result });
    const section = html.slice(html.indexOf('<h2>Diagnosis</h2>'));
    expect(section).toContain(`Finding: x (dL/dx): on every input feature&#39;s column but the first, claimed = 0; its other entries are right (reproduced on the counterexample and ${f.confirmedOn} probe case`);
  });
});
