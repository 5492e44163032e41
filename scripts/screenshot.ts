/**
 * The README's screenshot: the real HTML report of the bundled buggy worker (`gradcheck check python3
 * examples/python/numpy_buggy.py --runs 50 --seed 42 --html …`), opened in Debian's Chromium (headless,
 * through puppeteer-core) and saved as docs/images/report.webp, from the counterexample's facts down to
 * its error-versus-step curves. Run with `npm run screenshot` (python3 with NumPy, /usr/bin/chromium).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs', 'images', 'report.webp');
const python = process.env.GRADCHECK_PYTHON ?? 'python3';
const html = join(mkdtempSync(join(tmpdir(), 'gradcheck-screenshot-')), 'report.html');

const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'check', python, 'examples/python/numpy_buggy.py', '--runs', '50', '--seed', '42', '--html', html], { cwd: ROOT, encoding: 'utf8' });
// Exit 1: the buggy worker's gradients are wrong, which is the point; anything else is a broken run.
if (run.status !== 1) {
  process.stderr.write(`screenshot: gradcheck check exited ${run.status}, expected 1\n${run.stderr}`);
  process.exit(2);
}

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(`file://${html}`, { waitUntil: 'load' });
  // From the counterexample heading to the text report's: the pictures, not the text around them.
  // A string: this script's types have no DOM.
  const [top, bottom] = (await page.evaluate(
    `(() => { const h = [...document.querySelectorAll('h2')]; const y = (t) => h.find((e) => e.textContent === t).getBoundingClientRect().top + window.scrollY; return [y('Counterexample'), y('Text report')]; })()`,
  )) as [number, number];
  const clip = { x: 0, y: Math.floor(top) - 12, width: 1100, height: Math.ceil(bottom - top) };
  mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
  await page.screenshot({ path: OUT as `${string}.webp`, type: 'webp', quality: 50, clip, captureBeyondViewport: true });
  process.stdout.write(`screenshot: ${OUT} (${clip.width}×${clip.height})\n`);
} finally {
  await browser.close();
}
