/**
 * The HTML report in a real browser (Debian's Chromium, headless): real reports of the bundled buggy
 * worker (through the CLI), of the bundled example with a wrong column, and of the fixtures; the
 * heat maps have one cell per entry checked and an outline on every failing one, nothing is fetched,
 * the same input gives the same bytes. Screenshots go to test-artifacts/.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCase } from '../../src/cli/commands/example.js';
import { checkNetwork } from '../../src/check/strategies/check-network.js';
import { renderHtmlReport } from '../../src/html/render-html-report.js';
import { buggyWorker, clearRunnerEnv, ROOT, runCli } from '../cli/check-harness.js';
import { hasChromium, launch, openReport, screenshot, SKIP_REASON } from './browser.js';

if (!hasChromium) console.warn(SKIP_REASON);

const dir = mkdtempSync(join(tmpdir(), 'gradcheck-html-'));

describe.skipIf(!hasChromium)('the HTML report in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('gradcheck check --html on the buggy worker: one cell per entry of the counterexample, the failures outlined, nothing fetched, same bytes twice', async () => {
    clearRunnerEnv();
    const html = join(dir, 'buggy.html');
    const json = join(dir, 'buggy.json');
    const args = ['check', ...buggyWorker, '--runs', '50', '--seed', '42', '--json', json, '--html', html];
    const first = await runCli(args);
    expect(first.code).toBe(1);
    const bytes = readFileSync(html);
    expect((await runCli(args)).code).toBe(1);
    expect(readFileSync(html).equals(bytes)).toBe(true);
    // What the counterexample checked, from the --json document (not from the HTML code).
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    const report = doc.counterexample.report.report;
    const { page, requests, errors } = await openReport(browser, html);
    expect(await page.$$eval('section.shrunk rect.cell', (els) => els.length)).toBe(report.counts.checked);
    // Beside it, the failing case as the search found it (the --json keeps it in full), every entry drawn.
    const found = doc.notableCases.inFull.find((c: { verdict: string }) => c.verdict === 'fail');
    expect(await page.$$eval('section.found rect.cell', (els) => els.length)).toBe(found.report.counts.checked);
    expect(await page.$eval('section.found p', (p) => p.textContent)).toBe(found.report.label);
    // Outlined as drawn: the computed stroke, not the class (a string: the test's types have no DOM).
    const outlined = (await page.evaluate(
      `[...document.querySelectorAll('section.shrunk rect.cell')].filter((e) => getComputedStyle(e).strokeWidth === '2px' && getComputedStyle(e).stroke !== 'none').map((e) => e.getAttribute('data-entry'))`,
    )) as string[];
    expect(outlined.sort()).toEqual(report.failures.map((f: { tensor: string; row: number; col: number }) => `${f.tensor}[${f.row},${f.col}]`).sort());
    // The hover text of a failing entry carries its claimed and numeric values and step.
    const f = report.failures[0];
    const title = await page.$eval(`section.shrunk rect.cell[data-entry="${f.tensor}[${f.row},${f.col}]"] title`, (t) => t.textContent ?? '');
    expect(title).toContain(`claimed ${f.claimed.toPrecision(10).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`);
    expect(title).toMatch(/numeric .* ± .*\n.*tolerance.*\nstep \d/);
    // The network: the disagreeing tensors of the JSON are the highlighted ones.
    const failing = report.tensors.filter((t: { verdict: string }) => t.verdict === 'fail').map((t: { name: string }) => t.name);
    expect((await page.$$eval('section.shrunk .network .disagrees', (els) => els.map((e) => e.getAttribute('data-tensor')))).sort()).toEqual(failing.sort());
    expect(await page.$eval('body', (b) => b.textContent)).toContain(doc.replay);
    // The distributions over all random cases count what the CLI's summary counts, tensor by tensor.
    const captions = await page.$$eval('svg.histogram', (els) => els.map((e) => [e.getAttribute('data-tensor'), e.closest('figure')!.querySelector('figcaption')!.textContent]));
    // In layer order, as the summary table: W1, b1, W2, b2, …, x.
    expect(captions.map(([name]) => name)).toEqual(doc.summary.map((t: { name: string }) => t.name));
    // A count axis (0 and the tallest bar) and every bin labelled, the open ends included.
    const ticks = await page.$$eval('svg.histogram', (els) => els.map((e) => [[...e.querySelectorAll('text.count')].map((t) => t.textContent), [...e.querySelectorAll('text.bin')].map((t) => t.textContent)]));
    for (const [count, bins] of ticks) {
      expect(count[0]).toBe('0');
      expect(Number(count[1])).toBeGreaterThan(0);
      expect(bins).toEqual(['< 1e-3', '1e-3–1e-2', '1e-2–1e-1', '1e-1–1e0', '1e0–1e1', '≥ 1e1']);
    }
    for (const t of doc.summary as { name: string; cases: number; checked: number; skipped: number; unresolved: number }[]) {
      const caption = captions.find(([name]) => name === t.name)![1];
      expect(caption).toContain(`${t.checked} entries checked`);
      expect(caption).toContain(`${t.skipped} skipped, ${t.unresolved} unresolved`);
    }
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await screenshot(page, 'check-numpy-buggy.png');
  });

  it('an in-process check with a wrong column of W1: the column outlined, every other entry not; three error-versus-step curves', async () => {
    const nc = exampleCase(1);
    const g = nc.network.gradients(nc.params, nc.inputs, nc.targets, nc.reduction);
    const parameters = Float64Array.from(g.parameters);
    // W1 is 4 × 3 at the start of θ (in-out layout): column 1 is entries 1, 4, 7, 10; each 1% off.
    for (const k of [1, 4, 7, 10]) parameters[k] *= 1.01;
    const claimed = { parameters, inputs: g.inputs };
    const report = checkNetwork(nc, { claimed });
    const html = renderHtmlReport({ report, case: nc, claimed });
    expect(renderHtmlReport({ report, case: nc, claimed })).toBe(html);
    const file = join(dir, 'column.html');
    writeFileSync(file, html);
    const { page, requests, errors } = await openReport(browser, file);
    // 4·3 + 3 + 3·2 + 2 + 2·1 + 1 parameters and the 4 × 4 batch.
    expect(await page.$$eval('rect.cell', (els) => els.length)).toBe(42);
    expect((await page.$$eval('rect.cell.fail', (els) => els.map((e) => e.getAttribute('data-entry')))).sort()).toEqual(['W1[0,1]', 'W1[1,1]', 'W1[2,1]', 'W1[3,1]']);
    expect(await page.$$eval('svg.curve', (els) => els.length)).toBe(3);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await screenshot(page, 'wrong-column.png');
  });

  it('gradcheck fixtures --html: one cell per printed entry of every fixture, none outlined', async () => {
    const html = join(dir, 'fixtures.html');
    const run = await runCli(['fixtures', '--html', html]);
    expect(run.code).toBe(0);
    // Every printed entry of the shipped fixture files.
    let printed = 0;
    for (const name of readdirSync(join(ROOT, 'fixtures')).filter((n) => n.endsWith('.json'))) {
      const fixture = JSON.parse(readFileSync(join(ROOT, 'fixtures', name), 'utf8'));
      for (const p of fixture.printed) printed += p.values.length * p.values[0].length;
    }
    const { page, requests, errors } = await openReport(browser, html);
    expect(await page.$$eval('rect.cell', (els) => els.length)).toBe(printed);
    expect(await page.$$eval('rect.cell.fail', (els) => els.length)).toBe(0);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await screenshot(page, 'fixtures.png');
  });
});
