/**
 * Debian's Chromium, headless, through puppeteer-core (no browser is downloaded): pages are loaded
 * from files with every request recorded, so a test can assert that a report fetches nothing.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ROOT } from '../workers/processes.js';

export const CHROMIUM = '/usr/bin/chromium';
/** CI installs Chromium (.ci/run); elsewhere the browser tests are skipped, saying why. */
export const hasChromium = existsSync(CHROMIUM);
export const SKIP_REASON = `${CHROMIUM} is not installed (apt-get install chromium): the HTML report's browser tests are skipped`;

/** Where screenshots go (git-ignored; CI keeps them as artefacts). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export function launch(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}

/**
 * A page loaded from `file`, every URL it requested besides the file itself, and every console error
 * (where Chromium reports a load the page's content security policy refused before any request).
 */
export async function openReport(browser: Browser, file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  const url = `file://${file}`;
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    // An embedded image (a data: URI) is part of the page, not a fetch.
    if (request.url().startsWith('data:')) return void request.continue();
    if (request.url() !== url) requests.push(request.url());
    // Nothing but the report itself is allowed through: a request elsewhere fails instead of waiting.
    void (request.url() === url ? request.continue() : request.abort());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, errors };
}

/** A full-page screenshot under test-artifacts/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}
