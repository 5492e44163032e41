/**
 * One worker process and its conversation: the handshake, then one request message at a time, each
 * answered within a time limit. Any fault (exit, crash, timeout, a line that is not JSON, a protocol
 * violation) stops the worker for good with one reason that every unanswered request reports.
 *
 * The worker runs in a process group of its own, and the whole group is killed: a wrapper (`bash
 * run.sh` that starts Python) must not leave its Python behind when gradcheck stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { track } from './child-registry.js';
import { LineSplitter } from './line-splitter.js';
import { VERSION } from '../../package-version.js';
import { PROTOCOL_VERSION, encodeLine, helperVersionMismatch } from './protocol.js';
import { handshakeSchema, responseSchema, type Handshake, type Response } from './schemas.js';
import { StderrTail } from './stderr-tail.js';
import { WorkerFault, notJson, parseOrFault, quote } from './worker-fault.js';
import { commandLabel, type ResolvedWorkerOptions } from './worker-options.js';

interface Waiter {
  /** What the worker was doing when it stopped: `sending its handshake`, `answering request 3 (gradients, cases 5–8)`. */
  readonly doing: string;
  accept(message: unknown): void;
  fail(reason: string): void;
}

/** After the process exits, how long to wait for the rest of its stdout (a grandchild may hold the pipe). */
const DRAIN_MS = 500;

export class WorkerConnection {
  /** The command as typed, for messages: `python3 worker.py`. */
  readonly label: string;
  private readonly child: ChildProcess;
  private readonly stderr: StderrTail;
  private waiter: Waiter | null = null;
  private stopReason: string | null = null;
  private closing = false;
  private chain: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly ended: Promise<void>;

  private constructor(
    command: readonly string[],
    private readonly options: ResolvedWorkerOptions,
  ) {
    this.label = commandLabel(command);
    this.stderr = new StderrTail(options.stderrTailChars, options.stderrTailLines);
    // detached: the worker leads a new process group (and session), so its children can be killed with it.
    this.child = spawn(command[0], command.slice(1), { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], shell: false, detached: true });
    let settle!: () => void;
    this.ended = new Promise((resolve) => (settle = resolve));
    this.wire(settle);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts the worker and reads its handshake; throws a `WorkerFault` when there is none. */
  static async start(command: readonly string[], options: ResolvedWorkerOptions): Promise<{ connection: WorkerConnection; handshake: Handshake }> {
    const connection = new WorkerConnection(command, options);
    try {
      const handshake = await connection.await<Handshake>(
        'sending its handshake',
        `the worker \`${connection.label}\` sent no handshake within ${options.handshakeTimeoutMs} ms (handshakeTimeoutMs)`,
        options.handshakeTimeoutMs,
        (message, resolve) => resolve(connection.readHandshake(message)),
      );
      return { connection, handshake };
    } catch (error) {
      await connection.close(); // the process is gone when start() rejects
      throw error;
    }
  }

  /** Sends one request message and resolves with its validated response envelope. Requests queue. */
  request(op: 'gradients' | 'loss' | 'evaluate' | 'vjp' | 'jvp', encodedCases: readonly string[], cases: string): Promise<Response & { readonly requestId: number }> {
    const run = async () => {
      if (this.stopReason !== null) throw new WorkerFault(this.stopReason);
      const id = this.nextId++;
      const what = `request ${id} (${op}, ${cases})`;
      const late = `the worker \`${this.label}\` gave no answer within ${this.options.timeoutMs} ms (timeoutMs) to ${what}`;
      const answer = this.await<Response>(`answering ${what}`, late, this.options.timeoutMs, (message, resolve) => resolve(this.readResponse(message, id, what)));
      this.child.stdin!.write(`{"id":${id},"op":"${op}","cases":[${encodedCases.join(',')}]}\n`);
      return { ...(await answer), requestId: id };
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Asks the worker to shut down, kills it if it does not exit in time. Idempotent; never throws. */
  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      if (this.waiter) this.stop(`the worker \`${this.label}\` was closed while ${this.waiter.doing}`);
      else if (this.stopReason === null) {
        this.stopReason = `the worker \`${this.label}\` was closed`;
        this.child.stdin!.end(`${encodeLine({ id: this.nextId++, op: 'shutdown' })}\n`);
      }
    }
    // A referenced timer: the child's own handles are unref'd, so without it a caller awaiting close()
    // after a fault could see the event loop empty and the process end before the worker is reaped.
    const timer = setTimeout(() => this.kill(), this.options.closeTimeoutMs);
    try {
      await this.ended;
    } finally {
      clearTimeout(timer);
    }
  }

  private wire(settle: () => void): void {
    const { child } = this;
    track(child);
    // Nothing here keeps this process alive by itself: every wait has a (referenced) timer, so a
    // program that forgets close() still ends, and the registry kills the worker as it exits.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    child.stdin!.on('error', () => undefined); // EPIPE when the worker is gone: its exit explains it.
    const splitter = new LineSplitter(
      this.options.maxLineChars,
      (line, n) => this.onLine(line, n),
      (n) => this.stop(`stdout line ${n} of the worker \`${this.label}\` is longer than ${this.options.maxLineChars} characters (maxLineChars); the worker was stopped`),
    );
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => splitter.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr.push(chunk);
      this.options.onStderr?.(chunk);
    });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      const { exitCode, signalCode } = child;
      const how = signalCode ? `was killed by signal ${signalCode}` : `exited with code ${exitCode}`;
      const when = this.waiter ? `before ${this.waiter.doing}` : 'while idle';
      this.stop(`the worker \`${this.label}\` ${how} ${when}${this.stderr.describe()}`);
      settle();
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) {
        const hint = error.code === 'ENOENT' ? ` (no such program: is ${JSON.stringify(this.label.split(' ')[0])} installed and on PATH?)` : '';
        this.stop(`could not start \`${this.label}\`: ${error.message}${hint}`);
        finished = true;
        settle();
      }
    });
    child.on('exit', () => {
      // What the worker left running in its group (a wrapper's child) would hold the pipes open.
      killGroup(child, 'SIGKILL');
      setTimeout(finish, DRAIN_MS).unref();
    });
    const { signal } = this.options;
    if (signal) {
      const abort = () => this.stop(`the worker \`${this.label}\` was stopped: ${String(signal.reason ?? 'aborted')}`);
      if (signal.aborted) queueMicrotask(abort);
      else {
        signal.addEventListener('abort', abort, { once: true });
        child.once('exit', () => signal.removeEventListener('abort', abort));
      }
    }
    child.on('close', finish);
  }

  private onLine(line: string, n: number): void {
    if (this.stopReason !== null) return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.stop(notJson(line, n, this.label));
      return;
    }
    if (!this.waiter) {
      this.stop(`stdout line ${n} of the worker \`${this.label}\` arrived while no request was pending: ${quote(line)}; the worker was stopped`);
      return;
    }
    this.waiter.accept(message);
  }

  private await<T>(doing: string, late: string, ms: number, accept: (message: unknown, resolve: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.stopReason !== null) return reject(new WorkerFault(this.stopReason));
      const timer = setTimeout(() => this.stop(`${late}; the worker was stopped${this.stderr.describe()}`), ms);
      const done = () => {
        clearTimeout(timer);
        this.waiter = null;
      };
      this.waiter = {
        doing,
        accept: (message) => {
          try {
            accept(message, (value) => {
              done();
              resolve(value);
            });
          } catch (error) {
            this.stop(error instanceof WorkerFault ? error.message : String(error));
          }
        },
        fail: (reason) => {
          done();
          reject(new WorkerFault(reason));
        },
      };
    });
  }

  private readHandshake(message: unknown): Handshake {
    const protocol = (message as { protocol?: unknown } | null)?.protocol;
    if (typeof message !== 'object' || message === null || Array.isArray(message) || protocol === undefined) {
      throw new WorkerFault(
        `the first line of the worker \`${this.label}\` is not a handshake: ${quote(JSON.stringify(message))}; expected {"protocol": ${PROTOCOL_VERSION}, "name": …, "capabilities": ["gradients", …]} (see docs/protocol.md); the worker was stopped`,
      );
    }
    if (protocol !== PROTOCOL_VERSION) {
      throw new WorkerFault(`the worker \`${this.label}\` speaks protocol ${JSON.stringify(protocol)}; this gradcheck speaks protocol ${PROTOCOL_VERSION} (see docs/protocol.md); the worker was stopped`);
    }
    const handshake = parseOrFault(handshakeSchema, message, `the handshake of the worker \`${this.label}\``);
    const mismatch = helperVersionMismatch(handshake.helperVersion, VERSION, this.label);
    if (mismatch !== undefined) throw new WorkerFault(`${mismatch}; the worker was stopped`);
    return handshake;
  }

  private readResponse(message: unknown, id: number, what: string): Response {
    const response = parseOrFault(responseSchema, message, `the response to ${what}`);
    if (response.id !== id) {
      throw new WorkerFault(`the worker \`${this.label}\` answered request ${response.id} while ${what} was pending; expected "id": ${id}; the worker was stopped`);
    }
    if ((response.results === undefined) === (response.error === undefined)) {
      throw new WorkerFault(`the response to ${what} has ${response.results ? 'both "results" and "error"' : 'neither "results" nor "error"'}; expected exactly one; the worker was stopped`);
    }
    return response;
  }

  /** Records the first fault, fails whatever was waiting, and kills the process. */
  private stop(reason: string): void {
    if (this.stopReason === null) this.stopReason = reason;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.fail(this.stopReason);
    this.kill();
  }

  private kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      killGroup(this.child, 'SIGKILL');
    }
  }
}

/** Signals the child's whole process group (it leads one: spawned detached); never throws. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone already; fall back to the process itself (it may not lead a group)
    try {
      child.kill(signal);
    } catch {
      // gone
    }
  }
}
