/**
 * seedrandom's ARC4 generator (seedrandom 3.0.5, `seedrandom(seed)` for a string seed: David Bau's
 * RC4-drop[256] keyed by the seed's characters, doubles in [0, 1)), the same numbers from
 * the same seed, written without its per-seeding garbage: the package builds its 256-entry state as a
 * plain array and its key and state as strings, and mixes each new state into a global entropy pool
 * (for its unseeded generators, which gradcheck never makes). Seeding a generator per weight matrix
 * per case made it 17% of all the CLI's allocation in `gradcheck check` (BENCHMARKS.md, "Worker
 * throughput"); test/engine/arc4-random.test.ts holds this to the package itself, draw for draw.
 */

const WIDTH = 256;
const MASK = WIDTH - 1;
/** Six RC4 bytes start each double: a numerator below 2^48 over 2^48 (seedrandom's `chunks`, `startdenom`). */
const CHUNKS = 6;
const START_DENOMINATOR = WIDTH ** CHUNKS;
/** 2^52 and 2^53: a double's significant bits, then one too many (seedrandom's `significance`, `overflow`). */
const SIGNIFICANCE = 2 ** 52;
const OVERFLOW = 2 * SIGNIFICANCE;

/** seedrandom's `mixkey`: the seed's characters smeared into a key of at most 256 bytes. */
function keyOf(seed: string): Uint8Array {
  const key = new Uint8Array(Math.min(WIDTH, Math.max(1, seed.length)));
  // seedrandom reads key entries not yet written as undefined: ×19 gives NaN, which ^= takes as 0, as it takes 0.
  let smear = 0;
  for (let j = 0; j < seed.length; j++) {
    smear ^= key[MASK & j] * 19;
    key[MASK & j] = MASK & (smear + seed.charCodeAt(j));
  }
  // An empty seed gives seedrandom an empty key, which its ARC4 replaces by [0]: this key's one zero.
  return key;
}

/** A uniform draw in [0, 1) from `seed`, equal to `seedrandom(seed)()` call for call. */
export function arc4Random(seed: string): () => number {
  const key = keyOf(seed);
  const s = new Uint8Array(WIDTH);
  for (let i = 0; i < WIDTH; i++) s[i] = i;
  let j = 0;
  for (let i = 0; i < WIDTH; i++) {
    const t = s[i];
    j = MASK & (j + key[i % key.length] + t);
    s[i] = s[j];
    s[j] = t;
  }
  let i = 0;
  j = 0;
  /** The next `count` RC4 bytes as one big-endian integer (count ≤ 6: below 2^48, exact). */
  const bytes = (count: number): number => {
    let r = 0;
    while (count--) {
      i = MASK & (i + 1);
      const t = s[i];
      j = MASK & (j + t);
      s[i] = s[j];
      s[j] = t;
      r = r * WIDTH + s[MASK & (s[i] + t)];
    }
    return r;
  };
  bytes(WIDTH); // RC4-drop[256]: the first 256 bytes are discarded (seedrandom's `(me.g = …)(width)`)
  return () => {
    let n = bytes(CHUNKS);
    let d = START_DENOMINATOR;
    let x = 0;
    while (n < SIGNIFICANCE) {
      n = (n + x) * WIDTH;
      d *= WIDTH;
      x = bytes(1);
    }
    while (n >= OVERFLOW) {
      n /= 2;
      d /= 2;
      x >>>= 1;
    }
    return (n + x) / d;
  };
}
