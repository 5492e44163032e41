/**
 * (f(x + h) − f(x − h)) / 2h: error O(h²) for smooth f. `f` takes the offset from x.
 * The denominator uses the offsets actually realised in floating point when x is given.
 */
export function centralDifference(f: (offset: number) => number, h: number, x = 0): number {
  const up = x + h - x;
  const down = x - (x - h);
  return (f(up) - f(-down)) / (up + down);
}

/** (f(x + s·h) − f(x)) / (s·h) with s = ±1: error O(h), for the smooth side of a kink. */
export function oneSidedDifference(f: (offset: number) => number, f0: number, h: number, side: 1 | -1): number {
  return (f(side * h) - f0) / (side * h);
}
