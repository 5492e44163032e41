/**
 * Whether the CLI colours its output, decided in one place, in this order: `--color` / `--no-color`;
 * NO_COLOR (any non-empty value, https://no-color.org) off; FORCE_COLOR `0` or `false` off, any other
 * non-empty value on; else on only for a terminal whose TERM is not `dumb`.
 *
 * Renderers take the decision as a `color` flag and paint with the default export, which always emits
 * the codes: picocolors' own default guesses from process.argv and the environment at import time,
 * which would disagree with the flag (for example FORCE_COLOR=0, or a forced colour on a pipe).
 */
import pc from 'picocolors';

/** `--color` is true, `--no-color` false, neither undefined. */
export type ColorFlag = boolean | undefined;

export interface ColorStream {
  readonly isTTY?: boolean;
}

export function colorEnabled(flag: ColorFlag, stream: ColorStream, env: Readonly<Record<string, string | undefined>>): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (force) return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

let flag: ColorFlag;

/** Records the command line's choice for this run (main sets it once its options are parsed). */
export function setColorFlag(value: ColorFlag): void {
  flag = value;
}

/** Whether to colour what goes to stdout. */
export function stdoutColor(): boolean {
  return colorEnabled(flag, process.stdout, process.env);
}

const colors = pc.createColors(true);
export default colors;
