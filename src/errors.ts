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
