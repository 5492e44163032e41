/**
 * Gradient requests sent to a worker before they are asked (the runner's look-ahead,
 * src/runner/look-ahead.ts), and their answers, waiting to be asked for in the order they were sent.
 *
 * A request is answered from here only when its protocol line (case id included) is the line that was
 * sent ahead; the first request that is not (a shrinking candidate, a probe, a case the prediction got
 * wrong) drops everything waiting, and it and every later one go to the worker as before. The worker
 * so sees the requests in the order they are asked, and each answer is the one it gave to that line.
 */
import type { GradientResult } from '../implementation.js';

type Answer = GradientResult | Error;

export class SentAhead {
  /** Insertion order is sending order. */
  private readonly waiting = new Map<string, Promise<Answer>>();

  get size(): number {
    return this.waiting.size;
  }

  /** Keeps the answers to `lines` (one promise for the batch, its results in order). */
  add(lines: readonly string[], answers: Promise<readonly Answer[]>): void {
    // Read only when asked for, and it may never be: a rejection must not go unhandled meanwhile.
    answers.catch(() => undefined);
    lines.forEach((line, k) => this.waiting.set(line, answers.then((all) => all[k])));
  }

  /**
   * The answers to `lines` when they are the next ones sent ahead (those sent before them are dropped:
   * not asked, never to be), else undefined, and nothing waits any more.
   */
  take(lines: readonly string[]): Promise<Answer[]> | undefined {
    if (this.waiting.size === 0) return undefined;
    const found = lines.map((line) => this.waiting.get(line));
    if (found.some((a) => a === undefined)) {
      this.waiting.clear();
      return undefined;
    }
    const last = lines[lines.length - 1];
    for (const line of this.waiting.keys()) {
      this.waiting.delete(line);
      if (line === last) break;
    }
    return Promise.all(found as Promise<Answer>[]);
  }

  clear(): void {
    this.waiting.clear();
  }
}
