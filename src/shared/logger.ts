import { pino, type Logger as PinoLogger } from 'pino';

/**
 * The one logger type of src/: the slice of pino every component uses (structured fields first, then the message).
 * A pino logger satisfies it; the composition root creates one and hands each component a child.
 */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export type { PinoLogger };

/**
 * Whether a debug line would be written (pino's check; a logger without one is taken as writing everything): for a
 * per-request line, so its fields are not even built when debug is off.
 */
export function debugOn(log: object): boolean {
  const check = (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return check === undefined || check.call(log, 'debug');
}

/** pino: human-readable on a TTY (pino-pretty), JSON lines otherwise (CI, Docker, log shippers). */
export function createLogger(level: string, pretty = process.stdout.isTTY === true): PinoLogger {
  return pretty ? pino({ level }, prettyOnFirstLine(process.stdout)) : pino({ level });
}

/**
 * pino-pretty's formatter in this thread, loaded when the first line is logged: an idle emulator logs nothing and so
 * loads none of it (a pino transport would start a worker thread, ~14 MiB, at startup). Lines logged while it loads
 * wait, in order.
 */
export function prettyOnFirstLine(out: { write(text: string): unknown }): { write(line: string): void } {
  let format: ((line: string) => string) | undefined;
  let pending: string[] | undefined;
  return {
    write(line: string): void {
      if (format) {
        out.write(format(line));
        return;
      }
      if (pending) {
        pending.push(line);
        return;
      }
      pending = [line];
      void import('pino-pretty')
        .then(
          ({ prettyFactory }) => prettyFactory({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }),
          // pino-pretty is a dependency; should an install lack it, the lines stay JSON rather than vanish.
          () => (json: string) => json,
        )
        .then((loaded) => {
          format = loaded;
          for (const waiting of pending ?? []) out.write(format(waiting));
          pending = undefined;
        });
    },
  };
}
