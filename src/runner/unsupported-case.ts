/**
 * A case an implementation declines because it is outside what it supports (a worker answers
 * `{"case": id, "unsupported": "reason"}`; an in-process implementation may throw this). The property
 * runner counts it and moves on: it is neither an error nor a pass.
 */
import { GradcheckError } from '../errors.js';

export class UnsupportedCase extends GradcheckError {
  constructor(
    where: string,
    /** The implementation's own words. */
    readonly reason: string,
  ) {
    super(where, `declined the case as unsupported: ${reason}`);
  }
}
