/**
 * The one error type gradcheck throws for bad input. `where` names the API and the field
 * (or file and JSON path) so a message always says what was wrong and where.
 */
export class GradcheckError extends Error {
  override readonly name = 'GradcheckError';
  constructor(
    /** API or file the problem was found in, for example `checkGradients` or `fixtures/001.json`. */
    readonly where: string,
    /** What is wrong and what was expected. */
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

/** Throws unless `value` is a finite number; `field` names it in the message. */
export function requireFinite(where: string, field: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new GradcheckError(where, `${field} is ${value}; expected a finite number`);
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function requireInteger(where: string, field: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new GradcheckError(where, `${field} is ${value}; expected ${range}`);
  }
}

/**
 * Throws on an option the API does not know, listing the ones it does: a misspelt option (`rtoll`)
 * would otherwise be ignored and its default used without a word.
 */
export function rejectUnknownOptions(where: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new GradcheckError(where, `options is ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}; expected an object`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new GradcheckError(where, `options.${key} is not an option of ${where}; expected one of ${known.join(', ')}`);
  }
}
