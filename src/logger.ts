import { pino, type Logger } from 'pino';

export type { Logger };

/** pino: human-readable on a TTY (pino-pretty), JSON lines otherwise (CI, Docker, log shippers). */
export function createLogger(level: string, pretty = process.stdout.isTTY === true): Logger {
  if (!pretty) return pino({ level });
  return pino({
    level,
    transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } },
  });
}
