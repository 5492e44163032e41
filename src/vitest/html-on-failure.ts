/**
 * The matchers' HTML report on failure: when the environment variable GRADCHECK_HTML_DIR names a
 * folder, a failing matcher writes its report there (src/html) and names the file in its message. The
 * file is named after the implementation and a hash of the report, so the same failure always writes
 * the same file and two different failures never overwrite each other.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GradcheckError } from '../errors.js';
import { renderHtmlReport, type HtmlReportSubject } from '../html/render-html-report.js';

/** The environment variable naming the folder. */
export const HTML_DIR_VARIABLE = 'GRADCHECK_HTML_DIR';

/** Writes the report when GRADCHECK_HTML_DIR is set; returns the line naming the file, else ''. */
export function htmlOnFailure(subject: HtmlReportSubject, name: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const dir = env[HTML_DIR_VARIABLE]?.trim();
  if (!dir) return '';
  const html = renderHtmlReport(subject, { title: `gradcheck: ${name}` });
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'report';
  // 12 hex digits (48 bits): a collision between two different reports of one test run is negligible.
  const file = join(resolve(dir), `${slug}-${createHash('sha256').update(html).digest('hex').slice(0, 12)}.html`);
  try {
    mkdirSync(resolve(dir), { recursive: true });
    writeFileSync(file, html);
  } catch (error) {
    throw new GradcheckError(HTML_DIR_VARIABLE, `could not write the HTML report to ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return `\nHTML report: ${file}`;
}
