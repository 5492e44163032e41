/**
 * A progress bar on stderr for long `gradcheck check` runs: only on a terminal (never in CI logs or
 * when stderr is redirected), and only once a run has lasted long enough to need one. One line,
 * redrawn in place with a carriage return and erased on stop: it needs no library (cli-progress and
 * its four dependencies were 5 of the package's 13 installed packages for this one line).
 */

/** A run shorter than this finishes before a bar would be worth drawing. */
export const PROGRESS_DELAY_MS = 500;

/** At most ten redraws a second (cli-progress's default): a million fast cases must not mean a million writes. */
const REDRAW_MS = 100;

/** The bar's width in characters, narrower on a terminal too narrow for it and the counts. */
const BAR_WIDTH = 40;

/** ECMA-48: CR returns to column 1, CSI K (EL 0) erases to the end of the line. */
const ERASE_LINE = '\r\x1b[K';

export interface Progress {
  update(done: number, total: number): void;
  /** Removes the bar; idempotent. */
  stop(): void;
}

/** Whether to draw a bar: stderr is a terminal and this is not a CI job (CI sets CI=true). */
export function showsProgress(stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return stream.isTTY === true && !ci;
}

/** `checking ████░░░░ 3/10 random cases | 4s`, fitted to `columns`. */
export function progressLine(done: number, total: number, elapsedMs: number, terminalColumns?: number): string {
  // A pseudo-terminal without a size (`script`, some CI runners) reports 0 columns.
  const columns = terminalColumns || 80;
  const counts = ` ${done}/${total} random cases | ${duration(elapsedMs)}`;
  const room = Math.min(BAR_WIDTH, columns - 'checking '.length - counts.length - 1);
  if (room < 10) return `checking${counts}`.slice(0, Math.max(0, columns - 1));
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * room) : 0;
  return `checking ${'█'.repeat(filled)}${'░'.repeat(room - filled)}${counts}`;
}

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

export function startProgress(stream: NodeJS.WriteStream = process.stderr, env: Readonly<Record<string, string | undefined>> = process.env, now: () => number = Date.now): Progress {
  if (!showsProgress(stream, env)) return { update: () => {}, stop: () => {} };
  const started = now();
  let drawnAt: number | undefined;
  let stopped = false;
  return {
    update(done, total) {
      const t = now();
      if (stopped || t - started < PROGRESS_DELAY_MS) return;
      if (drawnAt !== undefined && t - drawnAt < REDRAW_MS && done < total) return;
      drawnAt = t;
      stream.write(ERASE_LINE + progressLine(done, total, t - started, stream.columns));
    },
    stop() {
      if (!stopped && drawnAt !== undefined) stream.write(ERASE_LINE);
      stopped = true;
    },
  };
}
