/** Exit codes of every gradcheck command. */
export const EXIT_PASS = 0;
/** The gradients are wrong (a check failed). */
export const EXIT_GRADIENTS_WRONG = 1;
/** Bad usage, bad input, or a worker that failed. */
export const EXIT_USAGE = 2;
/** Nothing failed, and nothing could be settled either (docs/verdicts.md). */
export const EXIT_INCONCLUSIVE = 3;
