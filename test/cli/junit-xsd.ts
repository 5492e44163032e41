/**
 * Validates JUnit XML against test/cli/junit-10.xsd (the schema Jenkins' xunit plugin reads reports
 * with) by `xmllint --schema` (Debian: libxml2-utils, installed by .ci/run). Without xmllint the
 * tests that need it are skipped locally and fail under CI (`CI` set), so CI never passes them unchecked.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../workers/processes.js';

export const JUNIT_XSD = join(ROOT, 'test/cli/junit-10.xsd');

export const HAS_XMLLINT = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;

/** Skip (locally) only when xmllint is missing and this is not CI. */
export const SKIP_WITHOUT_XMLLINT = !HAS_XMLLINT && !process.env.CI;

/** xmllint's verdict on `xml`: `{ valid, errors }`, the errors as xmllint prints them (without the file name). */
export function validateJUnit(xml: string): { readonly valid: boolean; readonly errors: readonly string[] } {
  const r = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, '-'], { input: xml, encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint could not run (install libxml2-utils): ${r.error.message}`);
  const errors = r.stderr.split('\n').filter((l) => l !== '' && !/ validates$/.test(l) && !/ fails to validate$/.test(l)).map((l) => l.replace(/^-:\d+: /, ''));
  return { valid: r.status === 0, errors };
}
