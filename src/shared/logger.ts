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

/** pino: human-readable on a TTY (pino-pretty), JSON lines otherwise (CI, Docker, log shippers). */
export function createLogger(level: string, pretty = process.stdout.isTTY === true): PinoLogger {
  if (!pretty) return pino({ level });
  return pino({
    level,
    transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } },
  });
}
