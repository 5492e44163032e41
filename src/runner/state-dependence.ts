/**
 * Whether a counterexample depends on earlier calls (state kept by the implementation: gradient buffers
 * never zeroed, a forward cache keyed by shape, …), and which earlier cases reproduce it.
 *
 * The counterexample is checked again at once on the same instance, on the same instance after
 * another case, and, when the caller can make one (`fresh`), on a new instance (a new worker process).
 * It depends on earlier calls when it passes on a fresh instance, or when one of the re-checks gives
 * another verdict. Then short sequences of earlier cases (the counterexample itself, then cases of the
 * same shape near it in the shrink tree, then the first random case) are tried on fresh instances
 * before it; the first after which it fails again is the prelude the replay checks first.
 */
import fc from 'fast-check';
import type { GeneratedCase } from '../arbitraries/build-case.js';
import type { ImplementationCheckOptions } from '../adapters/check-implementation.js';
import { checkGeneratedCase, failsOnlyAfterCompanion } from './check-generated-case.js';
import type { Implementation } from '../adapters/implementation.js';
import type { Verdict } from '../check/report/report.js';

/** What re-checking a counterexample showed. */
export interface StateDependence {
  /** True when the verdict of the counterexample changed with the calls made before it. */
  readonly dependsOnEarlierCalls: boolean;
  /** Its verdict when checked again at once, on the same instance. */
  readonly again?: Verdict;
  /** Its verdict on the same instance right after another case (`afterCase`). */
  readonly afterAnother?: Verdict;
  /** The other case checked before it (a network description). */
  readonly afterCase?: string;
  /** Its verdict on a fresh instance; absent without a `fresh` factory. */
  readonly fresh?: Verdict;
  /** fast-check paths of the cases that, checked on a fresh instance before it, make it fail again. */
  readonly prelude?: readonly string[];
  /**
   * The companion checked before it (case-history.ts), when the failure shows only after it: alone on a
   * fresh instance the case passes. The replay of its path checks both, so no prelude is needed.
   */
  readonly companion?: string;
}

/** A new instance of the implementation (a new worker process); closed after use when it has `close()`. */
export type FreshImplementation = () => Implementation | Promise<Implementation>;

export interface StateProbe {
  readonly impl: Implementation;
  readonly fresh?: FreshImplementation;
  readonly arbitrary: fc.Arbitrary<GeneratedCase>;
  readonly seed: number;
  /** The counterexample and its fast-check path. */
  readonly counterexample: GeneratedCase;
  readonly path: string;
  readonly nextId: () => number;
  readonly checkOptions: ImplementationCheckOptions;
}

/**
 * Prelude candidates tried on fresh instances, at most: each costs a new instance (a Python worker
 * starts in about 0.2 s), so 8 bound the search to a couple of seconds, run only on a failure already
 * found to depend on earlier calls.
 */
export const MAX_PRELUDE_TRIALS = 8;

/** Re-checks the counterexample as described above. Errors while re-checking leave the answer unknown (no dependence claimed). */
export async function examineStateDependence(p: StateProbe): Promise<StateDependence> {
  /** The verdict, and the case it is about (the counterexample, or its companion when that failed first). */
  let failedLast: GeneratedCase | undefined;
  const verdictOn = async (impl: Implementation, before: readonly GeneratedCase[]): Promise<Verdict | undefined> => {
    try {
      for (const c of before) await checkGeneratedCase(impl, c, p.nextId, p.checkOptions);
      const { report, checked } = await checkGeneratedCase(impl, p.counterexample, p.nextId, p.checkOptions);
      failedLast = checked;
      return report.verdict;
    } catch {
      return undefined;
    }
  };
  const onFresh = async (before: readonly GeneratedCase[]): Promise<Verdict | undefined> => {
    let impl: Implementation | undefined;
    try {
      impl = await p.fresh!();
      return await verdictOn(impl, before);
    } catch {
      return undefined;
    } finally {
      await (impl as { close?: () => Promise<void> } | undefined)?.close?.();
    }
  };

  const again = await verdictOn(p.impl, []);
  const otherPath = p.path === '0' ? `${p.path}:0` : '0';
  const other = await valueAt(p.arbitrary, p.seed, otherPath);
  const afterAnother = other ? await verdictOn(p.impl, [other]) : undefined;
  const fresh = p.fresh ? await onFresh([]) : undefined;
  const failedOnFresh = failedLast;
  const needsCompanion = p.fresh !== undefined && fresh === 'fail' && failedOnFresh !== undefined && (await failsOnlyAfterCompanion(p.fresh, p.counterexample, failedOnFresh, p.nextId, p.checkOptions));
  const changed = (v: Verdict | undefined) => v !== undefined && v !== 'fail';
  const dependsOnEarlierCalls = changed(again) || changed(afterAnother) || changed(fresh) || needsCompanion;
  const base = { dependsOnEarlierCalls, again, afterAnother, afterCase: other?.description, fresh, ...(needsCompanion && { companion: p.counterexample.before!.description }) };
  if (!dependsOnEarlierCalls || !p.fresh || fresh !== 'pass') return base;

  for (const prelude of await preludeCandidates(p)) {
    const values = await Promise.all(prelude.map((q) => valueAt(p.arbitrary, p.seed, q)));
    if (values.some((v) => v === undefined)) continue;
    if ((await onFresh(values as GeneratedCase[])) === 'fail') return { ...base, prelude };
  }
  return base;
}

/**
 * Sequences to try, shortest first: the counterexample once before itself (state that grows with each
 * call), then single cases of the same network and batch near it (a cache keyed by shape), then the
 * first random case.
 */
async function preludeCandidates(p: StateProbe): Promise<string[][]> {
  const parts = p.path.split(':');
  // Any case of the same shape fills a cache keyed by shape: the counterexample's ancestors in the shrink
  // chain and their other children (checked before it in the run, nearest first), then its own children.
  const ancestors = range(parts.length - 1).map((k) => parts.slice(0, parts.length - 1 - k).join(':'));
  const neighbours = [...ancestors.flatMap((a) => [a, ...range(NEIGHBOURS_SCANNED).map((m) => `${a}:${m}`)]), ...range(NEIGHBOURS_SCANNED).map((m) => `${p.path}:${m}`)].filter((q) => q !== p.path);
  const near: string[] = [];
  for (const q of neighbours) {
    if (near.length >= MAX_PRELUDE_TRIALS - 2) break;
    const c = await valueAt(p.arbitrary, p.seed, q);
    if (c !== undefined && sameSpec(c, p.counterexample)) near.push(q);
  }
  return [[p.path], ...near.map((q) => [q]), ...(p.path === '0' ? [] : [['0']])].slice(0, MAX_PRELUDE_TRIALS);
}

/**
 * Children of each ancestor looked at for a case of the same shape. Generating one calls no
 * implementation. 16 is a cost bound, not a measured width: near a shrunk counterexample a node has few
 * children (2 at the `[4 → identity 1]` of the NumPy cache bug), and a miss only leaves the prelude unfound.
 */
const NEIGHBOURS_SCANNED = 16;

function range(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k);
}

/** The same network (widths, activations, biases) and batch size. */
function sameSpec(a: GeneratedCase, b: GeneratedCase): boolean {
  const spec = (c: GeneratedCase) => JSON.stringify({ i: c.network.inputCount, l: c.network.layers.map((l) => [l.outputs, l.activation.name, l.bias]), n: c.inputs.rows });
  return spec(a) === spec(b);
}

/** The value fast-check generates at `path` with `seed` (the one a replay of that path checks), or undefined when the path leads nowhere. */
export async function valueAt(arbitrary: fc.Arbitrary<GeneratedCase>, seed: number, path: string): Promise<GeneratedCase | undefined> {
  let value: GeneratedCase | undefined;
  try {
    await fc.check(
      fc.property(arbitrary, (c) => {
        value ??= c;
        return true;
      }),
      { seed, path, numRuns: 1 },
    );
  } catch {
    return undefined;
  }
  return value;
}
