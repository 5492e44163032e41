/**
 * Options of `spawnWorker`, each with its documented default (also in docs/protocol.md).
 */
import { GradcheckError } from '../../errors.js';

/** Options of `spawnWorker`: timeouts, a display name, and the worker's environment and working directory. */
export interface WorkerOptions {
  /** Name in reports and errors. Default: the name the worker gives in its handshake. */
  readonly name?: string;
  /** Working directory of the worker. Default: this process's. */
  readonly cwd?: string;
  /**
   * Environment of the worker, shaped like `process.env`. Default: this process's. Typed without Node's
   * own `NodeJS.ProcessEnv`, so projects without `@types/node` compile against these declarations.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Time allowed for the handshake (interpreter start and imports). Default 10 000 ms. */
  readonly handshakeTimeoutMs?: number;
  /** Time allowed for the answer to one request message. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** After `shutdown`, time allowed to exit before the worker is killed. Default 2 000 ms. */
  readonly closeTimeoutMs?: number;
  /** Cases per request message (the worker's handshake `maxCases` may lower it). Default 64. */
  readonly maxCasesPerMessage?: number;
  /** Cases are added to a message until it reaches this many characters (a larger case goes alone). Default 1 Mi. */
  readonly maxMessageChars?: number;
  /** Longest stdout line accepted from the worker, in characters. Default 64 Mi. */
  readonly maxLineChars?: number;
  /** Characters of stderr kept (the tail) to explain a crash. Default 64 Ki. */
  readonly stderrTailChars?: number;
  /** stderr lines quoted in error messages. Default 20. */
  readonly stderrTailLines?: number;
  /** Receives the worker's stderr as it arrives (for example to show it with --verbose). Default: none. */
  readonly onStderr?: (text: string) => void;
  /** Stops the worker when aborted (Ctrl-C): a pending handshake or request fails at once. Default: none. */
  readonly signal?: AbortSignal;
}

export interface ResolvedWorkerOptions {
  readonly name?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly handshakeTimeoutMs: number;
  readonly timeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly maxCasesPerMessage: number;
  readonly maxMessageChars: number;
  readonly maxLineChars: number;
  readonly stderrTailChars: number;
  readonly stderrTailLines: number;
  readonly onStderr?: (text: string) => void;
  readonly signal?: AbortSignal;
}

export const DEFAULT_WORKER_OPTIONS = {
  handshakeTimeoutMs: 10_000,
  timeoutMs: 30_000,
  closeTimeoutMs: 2_000,
  maxCasesPerMessage: 64,
  maxMessageChars: 1 << 20,
  maxLineChars: 64 << 20,
  stderrTailChars: 64 << 10,
  stderrTailLines: 20,
} as const;

const WHERE = 'spawnWorker';

/** Validates the command: an argument array, never a shell string. */
export function validateCommand(command: unknown): readonly string[] {
  if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string') || command[0] === '') {
    throw new GradcheckError(
      WHERE,
      `command is ${JSON.stringify(command)}; expected a non-empty argument array such as ['python3', 'worker.py'] (workers are started without a shell)`,
    );
  }
  return command;
}

/** The command as one would type it, for messages: `python3 "my worker.py"`. */
export function commandLabel(command: readonly string[]): string {
  return command.map((a) => (/^[\w./:=@%+,-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

export function resolveWorkerOptions(options: WorkerOptions = {}): ResolvedWorkerOptions {
  if (options === null || typeof options !== 'object') {
    throw new GradcheckError(WHERE, `options is ${String(options)}; expected an object`);
  }
  const known = new Set(['name', 'cwd', 'env', 'onStderr', 'signal', ...Object.keys(DEFAULT_WORKER_OPTIONS)]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new GradcheckError(WHERE, `options.${key} is not an option; expected one of ${[...known].join(', ')}`);
  }
  const resolved = { ...DEFAULT_WORKER_OPTIONS, ...stripUndefined(options) };
  for (const key of Object.keys(DEFAULT_WORKER_OPTIONS) as (keyof typeof DEFAULT_WORKER_OPTIONS)[]) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new GradcheckError(WHERE, `options.${key} is ${String(value)}; expected an integer ≥ 1`);
    }
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw new GradcheckError(WHERE, `options.name is ${JSON.stringify(options.name)}; expected a non-empty string`);
  }
  if (options.onStderr !== undefined && typeof options.onStderr !== 'function') {
    throw new GradcheckError(WHERE, `options.onStderr is ${typeof options.onStderr}; expected a function (text) => void`);
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new GradcheckError(WHERE, `options.signal is ${typeof options.signal}; expected an AbortSignal`);
  }
  return resolved;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
