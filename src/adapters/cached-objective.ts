/**
 * An objective whose loss values come from an asynchronous source (a worker, an async function).
 * The synchronous checker runs against a cache; points it asks for that are not cached yet are
 * recorded as misses (answered with L(θ) meanwhile), fetched in one batch, and the check is re-run
 * until nothing is missing. The checker's stencil is deterministic, so this converges in a few rounds
 * (one per step scale it uses) and fetches exactly the points it needs.
 */
import type { Objective } from '../check/objective/objective.js';

export interface PendingPoint {
  readonly key: string;
  /** θ at which the loss is wanted. */
  readonly theta: Float64Array;
}

export class CachedObjective implements Objective {
  readonly point: Float64Array;
  private readonly cache = new Map<string, number>();
  private readonly missing = new Map<string, PendingPoint>();

  /**
   * Kink awareness borrowed from a model of the same function (the reference engine on the case's
   * network): where its ReLU pre-activations change sign, so do the implementation's.
   */
  readonly kinkCrossings?: () => number;
  readonly kinkAtPoint?: boolean;
  readonly kinkDepartures?: () => number;
  private crossings = 0;
  private departures = 0;

  constructor(
    point: Float64Array,
    private readonly base: number,
    private readonly kinkProbe?: Objective,
  ) {
    this.point = Float64Array.from(point);
    if (kinkProbe?.kinkCrossings) {
      this.kinkCrossings = () => this.crossings;
      this.kinkAtPoint = kinkProbe.kinkAtPoint;
      this.kinkDepartures = () => this.departures;
    }
  }

  value(): number {
    return this.base;
  }

  /** The model's coordinate gains (objective/coordinate-gains.ts): the same network at the same θ moves the same pre-activations. */
  get gains(): Float64Array | undefined {
    return this.kinkProbe?.gains;
  }

  shifted(index: number, t: number): number {
    if (this.kinkCrossings) {
      this.kinkProbe!.shifted(index, t);
      this.crossings = this.kinkProbe!.kinkCrossings!();
      this.departures = this.kinkProbe!.kinkDepartures?.() ?? this.crossings;
    }
    return this.lookup(`${index}:${t}`, () => {
      const theta = Float64Array.from(this.point);
      theta[index] += t;
      return theta;
    });
  }

  along(direction: Float64Array, t: number): number {
    if (this.kinkCrossings) {
      this.kinkProbe!.along(direction, t);
      this.crossings = this.kinkProbe!.kinkCrossings!();
      this.departures = this.kinkProbe!.kinkDepartures?.() ?? this.crossings;
    }
    return this.lookup(`d${fingerprint(direction)}:${t}`, () => Float64Array.from(this.point, (x, i) => x + t * direction[i]));
  }

  /** Points asked for but not yet cached; cleared by `fill`. */
  pending(): PendingPoint[] {
    return [...this.missing.values()];
  }

  fill(points: readonly PendingPoint[], losses: readonly number[]): void {
    points.forEach((p, k) => {
      this.cache.set(p.key, losses[k]);
      this.missing.delete(p.key);
    });
  }

  private lookup(key: string, theta: () => Float64Array): number {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    if (!this.missing.has(key)) this.missing.set(key, { key, theta: theta() });
    return this.base;
  }
}

/** FNV-1a over the direction's float64 bits: directions are regenerated identically on every run. */
function fingerprint(v: Float64Array): string {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return (h >>> 0).toString(16);
}
