/**
 * Ctrl-C (SIGINT) and SIGTERM while a command holds a worker: clean up (close the worker), then exit
 * with the shell's code for the signal, 128 + its number: 130 for SIGINT, 143 for SIGTERM.
 * A second signal during the cleanup is not caught, so it ends the process at once.
 */
export const EXIT_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;

type Signal = keyof typeof EXIT_SIGNAL;

/** Installs the handlers; returns the function that removes them. */
export function onInterrupt(cleanup: (signal: Signal) => Promise<void>): () => void {
  const handlers = new Map<Signal, () => void>();
  const remove = () => handlers.forEach((handler, signal) => process.off(signal, handler));
  for (const signal of Object.keys(EXIT_SIGNAL) as Signal[]) {
    const handler = () => {
      remove();
      void cleanup(signal)
        .catch(() => {})
        .finally(() => process.exit(EXIT_SIGNAL[signal]));
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return remove;
}
