/**
 * Worker protocol 1 (docs/protocol.md): line-delimited JSON over the worker's stdin and stdout.
 * Numbers travel as JSON numbers, which `JSON.stringify` writes as the shortest decimal that reads
 * back to the same float64 (as Python's `repr` does), so finite values round-trip exactly. JSON has no
 * NaN or ±Infinity: they travel as the strings below, in either direction.
 */
export const PROTOCOL_VERSION = 1;

export const NON_FINITE = ['NaN', 'Infinity', '-Infinity'] as const;
export type NonFiniteToken = (typeof NON_FINITE)[number];

/** One protocol line (without the newline); non-finite numbers become their string tokens. */
export function encodeLine(message: unknown): string {
  // JSON.stringify writes a non-finite number as null: a line without "null" has none, and is the line the
  // replacer below would write, at a fraction of the cost (a replacer call per value; BENCHMARKS.md).
  const plain = JSON.stringify(message);
  if (plain === undefined || !plain.includes('null')) return plain;
  return JSON.stringify(message, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value));
}

/** `"NaN"`, `"Infinity"`, `"-Infinity"` back to numbers (String(x) wrote them). */
export function decodeNonFinite(token: NonFiniteToken): number {
  return Number(token);
}

/** A bare NaN/Infinity token outside a string: what Python's default `json.dumps` writes. */
export function hasBareNonFinite(line: string): boolean {
  return /(^|[\s,:[])-?(NaN|Infinity)(?=[\s,\]}]|$)/.test(line);
}

/**
 * A worker built with gradcheck's Python package says which version in its handshake
 * (`helperVersion`, docs/protocol.md); the package and gradcheck are released together, so any other
 * version is refused, with the one-line fix. Workers without the field (other languages, a helper of
 * their own) are not held to it. Returns the fault's text, or undefined when the versions agree.
 */
export function helperVersionMismatch(helperVersion: string | undefined, gradcheckVersion: string, label: string): string | undefined {
  if (helperVersion === undefined || helperVersion === gradcheckVersion || gradcheckVersion === 'unknown') return undefined;
  return (
    `the worker \`${label}\` uses gradcheck's Python package ${helperVersion}, but this gradcheck is ${gradcheckVersion}; ` +
    `install the matching package into the worker's Python with: pip install "$(npx gradcheck python-path)" (docs/python.md)`
  );
}
