/**
 * JUnit XML for CI test panels: one testsuite per run, one testcase per random case (a failing case
 * carries its mismatches and the replay line), one more for the shrunk counterexample, and an `error`
 * testcase for a worker or usage error. Test names are stable from run to run (`run 3`,
 * `counterexample (shrunk)`), so CI history tracks the same tests; the random case each one drew
 * goes into its `<system-out>` and the seed into the suite's `<properties>`. Valid against the
 * junit-10.xsd of Jenkins' xunit plugin (test/cli/junit-schema.test.ts): the suite has `time`,
 * `timestamp` and `hostname`, `<testsuites>` only the attributes that schema allows.
 */
import { suiteName, caseFailureText, caseName, caseTitle, declinedLine, mismatchLines, workerName, type CheckDocument } from './document.js';

interface TestCase {
  readonly name: string;
  /** What the test drew this time (the case's description), kept out of its name. */
  readonly drawn?: string;
  /** `failure`, `error` or `skipped`, with its message attribute and body; none when it passed. */
  readonly outcome?: { readonly tag: 'failure' | 'error' | 'skipped'; readonly type: string; readonly message: string; readonly body?: string };
}

export function toJUnit(doc: CheckDocument): string {
  const name = workerName(doc);
  const cases: TestCase[] = doc.cases.map((c) => ({
    name: caseName(c),
    drawn: caseTitle(c),
    ...(c.verdict === 'fail' && { outcome: { tag: 'failure', type: 'gradient-mismatch', message: firstLine(caseFailureText(c, doc)), body: caseFailureText(c, doc) } }),
    ...(c.verdict === 'error' && { outcome: { tag: 'error', type: 'error', message: firstLine(caseFailureText(c, doc)), body: caseFailureText(c, doc) } }),
    ...(c.verdict === 'inconclusive' && { outcome: { tag: 'skipped', type: 'inconclusive', message: 'finite differences could not settle every entry', ...(c.message !== undefined && { body: c.message }) } }),
  }));
  if (doc.counterexample) {
    const lines = mismatchLines(doc.counterexample.report.report.failures);
    cases.push({ name: 'counterexample (shrunk)', drawn: `counterexample (shrunk): ${doc.counterexample.description}`, outcome: { tag: 'failure', type: 'gradient-mismatch', message: lines[0] ?? firstLine(doc.message), body: doc.message } });
  }
  if ((doc.verdict === 'error' && !doc.cases.some((c) => c.verdict === 'error')) || (doc.error && !doc.interrupted)) {
    cases.push({ name: 'worker or usage error', outcome: { tag: 'error', type: doc.error?.name ?? 'Error', message: doc.error?.message ?? firstLine(doc.message), body: doc.message } });
  }
  if (doc.interrupted) {
    cases.push({ name: 'interrupted', outcome: { tag: 'error', type: 'interrupted', message: `interrupted (${doc.interrupted}) after ${doc.runs} ${doc.perCheck ? 'checks' : 'random cases'}`, body: doc.message } });
  }
  const count = (tag: string) => cases.filter((c) => c.outcome?.tag === tag).length;
  const totals = `tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}"`;
  const timing = doc.timing;
  // The schema's SUREFIRE_TIME: seconds with a decimal point, no exponent.
  const time = timing ? ` time="${timing.seconds.toFixed(3)}"` : '';
  const suiteFacts = timing ? `${time} timestamp="${attr(timing.timestamp)}" hostname="${attr(timing.hostname)}"` : '';
  const properties = [
    ['worker', doc.worker.command.join(' ')],
    ['seed', doc.seed === undefined ? undefined : String(doc.seed)],
    ['counterexample', doc.counterexample?.description],
    ['replay', doc.replay ?? undefined],
    ['declined', declinedLine(doc)],
  ].filter((p): p is [string, string] => p[1] !== undefined);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gradcheck" ${totals}${time}>`,
    `  <testsuite name="${attr(suiteName(doc))}" ${totals} skipped="${count('skipped')}"${suiteFacts}>`,
    '    <properties>',
    ...properties.map(([key, value]) => `      <property name="${attr(key)}" value="${attr(value)}"/>`),
    '    </properties>',
    ...cases.map((c) => testCase(c, name)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase(c: TestCase, worker: string): string {
  const open = `    <testcase classname="${attr(`gradcheck.${worker}`)}" name="${attr(c.name)}"`;
  const out = c.drawn === undefined ? [] : [`<system-out>${text(c.drawn)}</system-out>`];
  if (!c.outcome) return out.length === 0 ? `${open}/>` : `${open}>\n      ${out[0]}\n    </testcase>`;
  const { tag, type, message, body } = c.outcome;
  const inner = body === undefined ? `<${tag} type="${attr(type)}" message="${attr(message)}"/>` : `<${tag} type="${attr(type)}" message="${attr(message)}">${text(body)}</${tag}>`;
  return `${open}>\n${[inner, ...out].map((e) => `      ${e}`).join('\n')}\n    </testcase>`;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0];
}

// XML 1.0 allows no control characters but tab, newline and carriage return, even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Character data: `&`, `<` and `>` escaped (`>` for `]]>`). */
export function text(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A double-quoted attribute value: also quotes, and line breaks and tabs kept as character references. */
export function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
