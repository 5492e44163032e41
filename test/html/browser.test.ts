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
import { Network } from '../../src/engine/network.js';
import { randomMatrix, randomParameters, seededRandom } from '../../src/engine/random-parameters.js';
import { severity } from '../../src/check/report/report.js';
import { ratioColor } from '../../src/html/color-scale.js';
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

  it('a 784-100-10 network (MNIST-sized): under 2 MB, large maps as PNGs whose pixels are the entries, the wrong entry outlined and hoverable', async () => {
    const network = new Network({ inputs: 784, layers: [{ outputs: 100, activation: 'sigmoid' }, { outputs: 10, activation: 'identity' }] });
    const random = seededRandom(1);
    const nc = { network, params: randomParameters(network, random), inputs: randomMatrix(2, 784, random), targets: randomMatrix(2, 10, random), reduction: 'mean' as const };
    const g = network.gradients(nc.params, nc.inputs, nc.targets, nc.reduction);
    const parameters = Float64Array.from(g.parameters);
    parameters[3 * 100 + 7] += 1e-3; // W1[3,7] (in-out layout: 784 × 100, row by row)
    const claimed = { parameters, inputs: g.inputs };
    const report = checkNetwork(nc, { claimed });
    expect(report.failures.map((f) => `${f.tensor}[${f.row},${f.col}]`)).toEqual(['W1[3,7]']);
    const html = renderHtmlReport({ report, case: nc, claimed });
    expect(html.length).toBeLessThan(2_000_000);
    const file = join(dir, 'mnist.html');
    writeFileSync(file, html);
    const { page, requests, errors } = await openReport(browser, file);
    // W1 (78,400 entries) and x (2 × 784) are images of one pixel per entry; b1, W2, b2 stay squares.
    const images = (await page.evaluate(
      `[...document.querySelectorAll('figure.map[data-tensor]')].filter((f) => f.querySelector('image.cells')).map((f) => f.getAttribute('data-tensor'))`,
    )) as string[];
    expect(images).toEqual(['W1', 'x']);
    expect(await page.$$eval('figure[data-tensor="W2"] rect.cell', (els) => els.length)).toBe(1000);
    // The image decoded by Chromium: its size, and the colour of an entry is the colour scale's for its err/tol.
    const pixel = (await page.evaluate(`(async () => {
      const src = document.querySelector('figure[data-tensor="W1"] image.cells').getAttribute('href');
      const img = new Image(); img.src = src; await img.decode();
      const canvas = document.createElement('canvas'); canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d'); context.drawImage(img, 0, 0);
      const at = (c, r) => [...context.getImageData(c, r, 1, 1).data.slice(0, 3)];
      return { width: img.naturalWidth, height: img.naturalHeight, failing: at(7, 3) };
    })()`)) as { width: number; height: number; failing: number[] };
    expect([pixel.width, pixel.height]).toEqual([100, 784]);
    const rgb = (c: string) => c.match(/\d+/g)!.map(Number);
    expect(pixel.failing).toEqual(rgb(ratioColor(severity(report.failures[0]))));
    expect(await page.$$eval('figure[data-tensor="W1"] rect.cell.fail', (els) => els.map((e) => e.getAttribute('data-entry')))).toEqual(['W1[3,7]']);
    expect(await page.$eval('figure[data-tensor="W1"] rect.cell.fail title', (t) => t.textContent ?? '')).toMatch(/^W1\[3,7\].*: fail\nclaimed /);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await screenshot(page, 'mnist-784-100-10.png');
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
