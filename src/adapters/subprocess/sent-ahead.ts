/**
 * Gradient requests sent to a worker before they are asked (the runner's look-ahead,
 * src/runner/look-ahead.ts), and their answers, waiting to be asked for in the order they were sent.
 *
 * A case is answered from here only when it is the case that was sent ahead, field for field (its id
 * included: the request line would be the same); the first case that is not (a shrinking candidate, a
 * probe, a case the prediction got wrong) drops everything waiting, and it and every later one go to the
 * worker as before. The worker so sees the requests in the order they are asked, and each answer is the
 * one it gave to that very request.
 */
import type { GradientCase, GradientResult } from '../implementation.js';

type Answer = GradientResult | Error;

interface Waiting {
  readonly sent: GradientCase;
  readonly answer: Promise<Answer>;
}

export class SentAhead {
  /** By case id; insertion order is sending order. */
  private readonly waiting = new Map<number, Waiting>();

  get size(): number {
    return this.waiting.size;
  }

  /** Keeps the answers to `cases` (one promise for the batch, its results in order). */
  add(cases: readonly GradientCase[], answers: Promise<readonly Answer[]>): void {
    cases.forEach((sent, k) => {
      const answer = answers.then((all) => all[k]);
      // Read only when asked for, and it may never be: a rejection must not go unhandled meanwhile.
      answer.catch(() => undefined);
      this.waiting.set(sent.id, { sent, answer });
    });
  }

  /**
   * The answers to `cases` when each is a case sent ahead (those sent before the last of them are
   * dropped: not asked, never to be), else undefined, and nothing waits any more.
   */
  take(cases: readonly GradientCase[]): Promise<Answer[]> | undefined {
    if (this.waiting.size === 0 || cases.length === 0) return undefined;
    const found = cases.map((c) => this.waiting.get(c.id));
    if (found.some((w, k) => w === undefined || !sameValue(w.sent, cases[k]))) {
      this.waiting.clear();
      return undefined;
    }
    const last = cases[cases.length - 1].id;
    for (const id of this.waiting.keys()) {
      this.waiting.delete(id);
      if (id === last) break;
    }
    return Promise.all(found.map((w) => w!.answer));
  }

  clear(): void {
    this.waiting.clear();
  }
}

/**
 * Equal as protocol values: what encodeLine writes the same (numbers by value, NaN equal to NaN, a key
 * holding undefined as an absent key). Cheaper than writing both lines.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (!sameValue(a[k], b[k])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key in x) if (!sameValue(x[key], y[key])) return false;
  for (const key in y) if (!(key in x) && y[key] !== undefined) return false;
  return true;
}
