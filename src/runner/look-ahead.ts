/**
 * Look-ahead for a property run against a worker: the random cases fast-check will generate next are
 * generated now, and the gradient requests their checks will make are handed to the worker in one
 * batch (`lookAhead`), so a run of N cases costs about N / window round trips instead of N, and the
 * worker computes the next window while this process checks the current one.
 *
 * Nothing here decides a verdict. fast-check still drives the run: for run i it hands the property a
 * random generator, and the value of run i is the one predicted only when that generator's state is
 * exactly the predicted one (else it is generated as usual and the look-ahead stops). A request is
 * answered from the batch only when it is, line for line (case id included), the request sent ahead
 * (spawn-worker.ts); any other request goes to the worker as before. So the worker sees the same
 * requests in the same order as without look-ahead, only earlier, and the checks read the same answers.
 *
 * The prediction follows fast-check's runner (4.x, Tosser.ts): run i's generator is a clone of the
 * seed's generator jumped i + 1 times, so run i + 1's is run i's jumped once more.
 */
import fc from 'fast-check';
import type { GeneratedCase } from '../arbitraries/build-case.js';
import { onPrecisionGrid } from '../adapters/check-implementation.js';
import type { Conventions } from '../adapters/conventions.js';
import { perSampleCases, toGradientCase } from '../adapters/gradient-case.js';
import type { GradientCase, Implementation } from '../adapters/implementation.js';

/** An implementation that can be told which gradient requests come next (a worker: spawn-worker.ts). */
export interface LookAheadTarget extends Implementation {
  lookAhead(cases: readonly GradientCase[]): void;
}

export function canLookAhead(impl: Implementation): impl is LookAheadTarget {
  return typeof (impl as Partial<LookAheadTarget>).lookAhead === 'function';
}

/** The internal generator of an `fc.Random` (fast-check 4.x: `internalRng`, with clone, jump, getState). */
interface JumpableRng {
  clone(): JumpableRng;
  jump(): void;
  getState(): readonly number[];
}

function internalRng(mrng: fc.Random): JumpableRng | undefined {
  const rng = (mrng as unknown as { internalRng?: Partial<JumpableRng> }).internalRng;
  const usable = rng && typeof rng.clone === 'function' && typeof rng.jump === 'function' && typeof rng.getState === 'function';
  return usable ? (rng as JumpableRng) : undefined;
}

function sameState(a: readonly number[] | undefined, b: readonly number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, k) => x === b[k]);
}

interface Predicted {
  readonly state: readonly number[];
  readonly value: fc.Value<[GeneratedCase]>;
}

export interface LookAheadOptions {
  readonly target: LookAheadTarget;
  readonly conventions: Conventions;
  /** The property's own generate (the value fast-check would make from this generator and run id). */
  readonly generate: (mrng: fc.Random, runId: number) => fc.Value<[GeneratedCase]>;
  /** The id the next case check takes (the run's counter, not advanced). */
  readonly nextIdNow: () => number;
  /** Random cases in the run: nothing past them is generated. */
  readonly runs: number;
  /** Random cases per batch sent ahead. */
  readonly window: number;
}

/**
 * Serves fast-check's `generate(mrng, runId)` from predicted values while the predictions hold, sending
 * the next window's requests ahead when the current window starts. `stop()` ends it (a failure, an
 * error, shrinking: what comes next is no longer the predicted sequence).
 */
export class LookAhead {
  private readonly predicted = new Map<number, Predicted>();
  /** Where the next window starts, its generator, and the id its first check will take. */
  private next: { runId: number; rng: JumpableRng; id: number } | undefined;
  private stopped = false;
  /** Runs whose value was the predicted one (a test checks that look-ahead engages). */
  hits = 0;

  constructor(private readonly o: LookAheadOptions) {}

  stop(): void {
    this.stopped = true;
    this.predicted.clear();
    this.next = undefined;
  }

  generate(mrng: fc.Random, runId: number): fc.Value<[GeneratedCase]> {
    if (this.stopped) return this.o.generate(mrng, runId);
    const hit = this.predicted.get(runId);
    this.predicted.delete(runId);
    if (hit && sameState(mrng.getState(), hit.state)) {
      this.hits++;
      if (this.next && this.next.runId - runId <= this.o.window) this.sendWindow();
      return hit.value;
    }
    if (hit || this.next !== undefined) {
      this.stop(); // the run is not the predicted one: generate as usual from here on
      return this.o.generate(mrng, runId);
    }
    // The first run: its requests lead the first window, the values after it are predicted.
    const rng = internalRng(mrng)?.clone();
    const value = this.o.generate(mrng, runId);
    if (rng === undefined) return this.stop(), value;
    const first: GradientCase[] = [];
    this.next = { runId: runId + 1, rng, id: this.pushRequests(value.value_[0], this.o.nextIdNow(), first) };
    this.sendWindow(first);
    this.sendWindow();
    return value;
  }

  /** Predicts the next window's values and sends the gradient requests their checks will make (after `cases`). */
  private sendWindow(cases: GradientCase[] = []): void {
    const next = this.next;
    if (!next) return;
    const end = Math.min(next.runId + this.o.window, this.o.runs);
    for (; next.runId < end; next.runId++) {
      next.rng.jump();
      const mrng = new fc.Random(next.rng as never);
      const state = mrng.getState();
      if (state === undefined) return this.stop();
      const value = this.o.generate(mrng, next.runId);
      this.predicted.set(next.runId, { state, value });
      next.id = this.pushRequests(value.value_[0], next.id, cases);
    }
    if (cases.length > 0) this.o.target.lookAhead(cases);
  }

  /**
   * The gradient requests of `checkGeneratedCase(c)`, as `checkImplementationCase` makes them: the
   * companion first, each on the precision grid, per sample one request per row. Returns the next id.
   */
  private pushRequests(c: GeneratedCase, id: number, out: GradientCase[]): number {
    for (const x of c.before ? [c.before, c] : [c]) {
      const gc = toGradientCase(onPrecisionGrid(x, this.o.conventions.precision), this.o.conventions, id++, x.seed);
      if (this.o.conventions.batch === 'batch') out.push(gc);
      else out.push(...perSampleCases(gc, () => id++));
    }
    return id;
  }
}
