/**
 * gradcheck's matchers, as a plain object for `expect.extend` (vitest, or any expect with the same
 * matcher contract):
 *   await expect(implementation).toHaveCorrectGradients({ runs: 50 })   property-based, async
 *   expect(report).toPassGradientCheck()                                 a GradientReport or ImplementationReport
 * Each has a message for a failure and for `.not`. A worker or usage error is not "wrong gradients":
 * `toHaveCorrectGradients` throws it, so it fails both the matcher and its `.not`.
 */
import { GradcheckError } from '../errors.js';
import { renderReport, verdictLine } from '../check/report/render-report.js';
import type { GradientReport, Verdict } from '../check/report/report.js';
import { GradientPropertyError, runGradientProperty, type PropertyOptions } from '../runner/assert-gradients.js';
import type { ImplementationReport } from '../adapters/check-implementation.js';
import type { Implementation } from '../adapters/implementation.js';
import { failureHeadline, mismatchLines, renderCounterexampleReport } from '../runner/property-message.js';
import { htmlOnFailure } from './html-on-failure.js';
import { diagnoseReport } from '../diagnosis/diagnose-report.js';
import { callSiteOf, watchAsyncMatcher, type MatcherContext } from './unawaited.js';

/** What a vitest matcher returns: whether it passed, and its message (for the failure, or for `.not`). */
export interface MatcherResult {
  readonly pass: boolean;
  /** The failure message (or the `.not` one), built only when vitest asks for it. */
  readonly message: () => string;
}

/** gradcheck's vitest matchers, as `expect.extend` takes them; `gradcheck/vitest` registers them. */
export const gradcheckMatchers = {
  /**
   * `expect(impl).toHaveCorrectGradients(options)`: a property run (`runGradientProperty`) that must
   * pass. Under gradcheck/vitest, a call its test never awaited fails that test (see unawaited.ts).
   */
  toHaveCorrectGradients(received: unknown, options: PropertyOptions = {}): Promise<MatcherResult> {
    // `this` is vitest's matcher state when vitest calls it (undefined or this object when called by hand).
    const context = this as unknown as MatcherContext | undefined;
    const call = { matcher: 'toHaveCorrectGradients', subject: nameOf(received), callSite: callSiteOf(gradcheckMatchers.toHaveCorrectGradients) };
    return watchAsyncMatcher(context, call, options, (watched) => judgeProperty(received, watched));
  },

  /** `expect(report).toPassGradientCheck()`: a `GradientReport` or `ImplementationReport` whose verdict must be `pass`. */
  toPassGradientCheck(received: unknown): MatcherResult {
    const { gradient, verdict, implementation } = readReport(received);
    const what = implementation ? `the gradient check of ${implementation.implementation}` : 'the gradient check';
    if (verdict === 'pass') {
      return { pass: true, message: () => `expected ${what} to fail (.not.toPassGradientCheck), but it passed: ${verdictLine(gradient)}` };
    }
    const mismatch = implementation ? mismatchLines(implementation) : [];
    // An implementation whose only failure is its loss value is headlined so, with the ratio.
    const lossOnly = implementation !== undefined && gradient.verdict !== 'fail';
    const headline = `expected ${what} to pass, but ${lossOnly ? failureHeadline(implementation) : 'it failed'}:`;
    const table = implementation ? renderCounterexampleReport(implementation) : renderReport(gradient);
    const subject = implementation ? { implementation } : { report: gradient };
    return { pass: false, message: () => [headline, ...mismatch, ...(implementation ? float32Line(implementation) : []), '', table].join('\n') + htmlOnFailure(subject, implementation?.implementation ?? 'gradient-check') };
  },
};

/**
 * Float32 code checked as float64 is no bug: said when float32 arithmetic reproduces the report (its
 * evidence only: a single report has no probe cases to rule out the other causes).
 */
function float32Line(report: ImplementationReport): string[] {
  if (report.conventions.precision === 'float32') return [];
  try {
    const d = diagnoseReport(report);
    // Without probes a uniform ratio near 1 also fits fitted scales: float32 need only be among the candidates.
    return d.candidates.some((c) => c.key === 'float32-rounding') ? ["hint: looks like float32 arithmetic (float32 rounding reproduces every claimed entry and the loss on this case) — if it computes in float32, declare precision: 'float32'"] : [];
  } catch {
    return [];
  }
}

/** The verdict of `toHaveCorrectGradients`: its result and both messages. */
async function judgeProperty(received: unknown, options: PropertyOptions): Promise<MatcherResult> {
  const result = await runGradientProperty(received as Implementation, options);
  if (result.error && !result.counterexample) throw new GradientPropertyError(result);
  const name = nameOf(received);
  if (result.verdict === 'pass') {
    return { pass: true, message: () => `expected ${name} to have wrong gradients (.not.toHaveCorrectGradients), but they agree with finite differences:\n${result.message}` };
  }
  // Written only when the message is asked for: a failure, not a `.not` that holds.
  return { pass: false, message: () => `expected ${name} to have correct gradients, but they do not:\n${result.message}${htmlOnFailure({ property: result }, name)}` };
}

/** The type of `gradcheckMatchers`. */
export type GradcheckMatchersObject = typeof gradcheckMatchers;

function nameOf(impl: unknown): string {
  const name = (impl as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'the implementation';
}

/** A GradientReport, or an ImplementationReport (whose verdict also covers its loss value). */
function readReport(received: unknown): { gradient: GradientReport; verdict: Verdict; implementation?: ImplementationReport } {
  if (isGradientReport(received)) return { gradient: received, verdict: received.verdict };
  const r = received as Partial<ImplementationReport> | null;
  if (r && typeof r === 'object' && typeof r.implementation === 'string' && isGradientReport(r.report) && isVerdict(r.verdict)) {
    return { gradient: r.report, verdict: r.verdict, implementation: r as ImplementationReport };
  }
  const found = received === null ? 'null' : Array.isArray(received) ? 'an array' : typeof received;
  throw new GradcheckError(
    'toPassGradientCheck',
    `received ${found}; expected a GradientReport (from checkGradients, checkNetwork, checkLoss) or an ImplementationReport (from checkImplementationCase)`,
  );
}

function isGradientReport(x: unknown): x is GradientReport {
  const r = x as Partial<GradientReport> | null;
  return !!r && typeof r === 'object' && isVerdict(r.verdict) && Array.isArray(r.tensors) && Array.isArray(r.failures) && typeof r.counts === 'object';
}

function isVerdict(v: unknown): v is Verdict {
  return v === 'pass' || v === 'fail' || v === 'inconclusive';
}
