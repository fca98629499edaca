// A TypeScript child process (node --import tsx) with an IPC channel and its output in a log file.
import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every IPC message has a type; the rest is up to each child. */
export interface ChildMessage {
  type: string;
  [field: string]: unknown;
}

export interface TsChildOptions {
  args?: string[];
  /** Extra node flags, e.g. --expose-gc. */
  nodeFlags?: string[];
  /** stdout and stderr go here (appended), so a failed run leaves evidence. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

/** Resolves `bench/children/<name>.ts`. */
export const childScript = (name: string): string => fileURLToPath(new URL(`../children/${name}.ts`, import.meta.url));

export class TsChild {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly inbox: ChildMessage[] = [];
  private readonly waiters: Array<{ type: string; resolve(m: ChildMessage): void }> = [];
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(
    private readonly script: string,
    readonly options: TsChildOptions,
  ) {
    const log = openSync(options.logFile, 'a');
    this.process = fork(script, options.args ?? [], {
      execArgv: [...(options.nodeFlags ?? []), '--import', 'tsx'],
      stdio: ['ignore', log, log, 'ipc'],
      env: options.env ?? process.env,
      serialization: 'advanced',
    });
    closeSync(log);
    this.process.on('message', (m: ChildMessage) => {
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
      else this.inbox.push(m);
    });
    this.exited = new Promise((resolve) =>
      this.process.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      }),
    );
  }

  get pid(): number {
    return this.process.pid!;
  }

  send(message: ChildMessage): void {
    if (this.process.connected) this.process.send(message);
  }

  /** The next message of this type (queued ones first); rejects on timeout or if the child exits first. */
  next<T extends ChildMessage>(type: string, timeoutMs: number): Promise<T> {
    const queued = this.inbox.findIndex((m) => m.type === type);
    if (queued >= 0) return Promise.resolve(this.inbox.splice(queued, 1)[0] as T);
    return new Promise<T>((resolve, reject) => {
      const waiter = { type, resolve: (m: ChildMessage) => finish(() => resolve(m as T)) };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${this.describe()}: no "${type}" within ${timeoutMs} ms (log: ${this.options.logFile})`))),
        timeoutMs,
      );
      const onExit = () =>
        finish(() =>
          reject(new Error(`${this.describe()} exited (${JSON.stringify(this.exitInfo)}) before "${type}" (log: ${this.options.logFile})`)),
        );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.process.off('exit', onExit);
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        settle();
      };
      this.waiters.push(waiter);
      if (this.exitInfo) onExit();
      else this.process.once('exit', onExit);
    });
  }

  /** Sends a request and waits for the reply type. */
  request<T extends ChildMessage>(message: ChildMessage, replyType: string, timeoutMs = 30_000): Promise<T> {
    const reply = this.next<T>(replyType, timeoutMs);
    this.send(message);
    return reply;
  }

  /** Asks politely (a 'close' message), then SIGTERM, then SIGKILL; resolves when the process is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exitInfo) return;
    this.send({ type: 'close' });
    if (await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)])) return;
    this.process.kill('SIGTERM');
    if (await Promise.race([this.exited.then(() => true), sleep(2000).then(() => false)])) return;
    this.process.kill('SIGKILL');
    await this.exited;
  }

  private describe(): string {
    return `${basename(this.script)} (pid ${this.process.pid})`;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** In a child: send a message to the parent (no-op when run standalone). */
export function tellParent(message: ChildMessage): void {
  process.send?.(message);
}

/** In a child: run `handler` for each parent message; 'close' runs `onClose` then exits. */
export function onParentMessage(handler: (m: ChildMessage) => void | Promise<void>, onClose: () => Promise<void> = async () => {}): void {
  process.on('message', (m: ChildMessage) => {
    if (m.type === 'close') {
      void onClose().finally(() => process.exit(0));
      return;
    }
    Promise.resolve(handler(m)).catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      tellParent({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    });
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => void onClose().finally(() => process.exit(0)));
}
