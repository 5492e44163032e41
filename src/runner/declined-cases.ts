/**
 * The random cases an implementation declined as unsupported, in constant space: how many, and the
 * first few distinct reasons with their counts (a worker usually gives one reason per limitation).
 */
export interface DeclinedSummary {
  readonly count: number;
  readonly reasons: readonly { readonly reason: string; readonly count: number }[];
}

/** Distinct reasons kept; later new ones are only counted. */
const MAX_REASONS = 5;

export class DeclinedCases {
  private count = 0;
  private readonly reasons = new Map<string, number>();

  add(reason: string): void {
    this.count++;
    if (this.reasons.has(reason) || this.reasons.size < MAX_REASONS) this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  get size(): number {
    return this.count;
  }

  summary(): DeclinedSummary {
    return { count: this.count, reasons: [...this.reasons].map(([reason, count]) => ({ reason, count })) };
  }
}
