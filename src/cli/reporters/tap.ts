/**
 * TAP version 13: one test point per random case, one for the shrunk counterexample, one for a worker
 * or usage error; a failing point carries its mismatches and the replay line in a YAML block. An
 * interrupted run ends with `Bail out!`.
 */
import { suiteName, caseFailureText, caseTitle, declinedLine, workerName, type CheckDocument } from './document.js';

interface Point {
  readonly ok: boolean;
  readonly description: string;
  readonly directive?: string;
  readonly details?: Record<string, string>;
}

export function toTap(doc: CheckDocument): string {
  const points: Point[] = doc.cases.map((c) => ({
    ok: c.verdict !== 'fail' && c.verdict !== 'error',
    description: caseTitle(c),
    ...(c.verdict === 'inconclusive' && { directive: 'SKIP inconclusive: finite differences could not settle every entry' }),
    ...((c.verdict === 'fail' || c.verdict === 'error') && { details: { message: caseFailureText(c, doc), severity: c.verdict } }),
  }));
  if (doc.counterexample) {
    points.push({ ok: false, description: `counterexample (shrunk): ${doc.counterexample.description}`, details: { message: doc.message, severity: 'fail', ...(doc.replay && { replay: doc.replay }) } });
  }
  if (doc.error && !doc.interrupted) {
    points.push({ ok: false, description: 'worker or usage error', details: { message: doc.message, severity: 'error' } });
  }
  const lines = ['TAP version 13', `1..${points.length}`, `# ${line(suiteName(doc))}`];
  points.forEach((p, i) => {
    lines.push(`${p.ok ? 'ok' : 'not ok'} ${i + 1} - ${description(p.description)}${p.directive ? ` # ${line(p.directive)}` : ''}`);
    if (p.details) lines.push('  ---', ...Object.entries(p.details).map(([key, value]) => `  ${key}: ${yamlString(value)}`), '  ...');
  });
  const declined = declinedLine(doc);
  if (declined) lines.push(`# ${line(declined)}`);
  if (doc.interrupted) lines.push(`Bail out! interrupted (${line(doc.interrupted)}) after ${doc.runs} ${doc.perCheck ? 'checks' : 'random cases'}`);
  return `${lines.join('\n')}\n`;
}

function line(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

/** A test point's description: one line, and `#` escaped so it does not start a directive. */
function description(s: string): string {
  return line(s).replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}

/** A JSON string is a valid YAML double-quoted scalar: every line break and control character escaped. */
function yamlString(s: string): string {
  return JSON.stringify(s);
}
