/**
 * Ctrl-C (SIGINT) and SIGTERM while a command holds a worker. The command is told (it stops the run,
 * closes the worker, prints what was checked and writes --json) and then exits with the shell's code
 * for the signal, 128 + its number: 130 for SIGINT, 143 for SIGTERM. If it has not ended within
 * `graceMs`, the process exits anyway with that code. A second signal is not caught, so it ends the
 * process at once.
 */
export const EXIT_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;

export type Signal = keyof typeof EXIT_SIGNAL;

/** Installs the handlers; returns the function that removes them (and cancels the grace timer). */
export function onInterrupt(stop: (signal: Signal) => void, graceMs: number): () => void {
  const handlers = new Map<Signal, () => void>();
  let timer: NodeJS.Timeout | undefined;
  const remove = () => handlers.forEach((handler, signal) => process.off(signal, handler));
  for (const signal of Object.keys(EXIT_SIGNAL) as Signal[]) {
    const handler = () => {
      remove();
      // Referenced: it also keeps this process alive while the worker is closed.
      timer = setTimeout(() => process.exit(EXIT_SIGNAL[signal]), graceMs);
      stop(signal);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    remove();
    clearTimeout(timer);
  };
}
