/**
 * A progress bar on stderr for long `gradcheck check` runs: only on a terminal (never in CI logs or
 * when stderr is redirected), and only once a run has lasted long enough to need one.
 */
import cliProgress from 'cli-progress';

/** A run shorter than this finishes before a bar would be worth drawing. */
export const PROGRESS_DELAY_MS = 500;

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

export function startProgress(stream: NodeJS.WriteStream = process.stderr, env: Readonly<Record<string, string | undefined>> = process.env, now: () => number = Date.now): Progress {
  if (!showsProgress(stream, env)) return { update: () => {}, stop: () => {} };
  const started = now();
  let bar: cliProgress.SingleBar | null = null;
  let stopped = false;
  return {
    update(done, total) {
      if (stopped) return;
      if (!bar && now() - started >= PROGRESS_DELAY_MS) {
        bar = new cliProgress.SingleBar(
          { stream, format: 'checking {bar} {value}/{total} random cases | {duration_formatted}', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar?.update(done);
    },
    stop() {
      stopped = true;
      bar?.stop();
    },
  };
}
