// One throwaway TCP connection: write some bytes (optionally dribbled), keep reading, and report how it ended.
import net from 'node:net';

export interface ExchangeOutcome {
  /** The server closed (FIN or RST) before we gave up. */
  closedByServer: boolean;
  /** First line of what the server sent, if any (an HTTP status line, or binary). */
  firstBytes: Buffer;
  bytesReceived: number;
  error?: string;
}

export interface ExchangeSpec {
  port: number;
  /** Sent right after connect. */
  payload?: Buffer;
  /** Then each of these, `dribbleEveryMs` apart (slowloris). */
  dribble?: Buffer[];
  dribbleEveryMs?: number;
  /** Half-close our side (FIN) after the writes, then keep reading. */
  halfClose?: boolean;
  /** Give up (destroy) after this long in total. */
  holdMs: number;
  /** Stop as soon as the server has said something and then this much time passed (0 = wait for close or holdMs). */
  settleAfterFirstByteMs?: number;
  /** RST instead of FIN when we give up. */
  reset?: boolean;
}

export function exchange(spec: ExchangeSpec): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: spec.port });
    const received: Buffer[] = [];
    let bytesReceived = 0;
    let error: string | undefined;
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (closedByServer: boolean) => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      if (!socket.destroyed) {
        if (spec.reset) socket.resetAndDestroy();
        else socket.destroy();
      }
      resolve({ closedByServer, firstBytes: Buffer.concat(received).subarray(0, 256), bytesReceived, error });
    };
    socket.on('error', (err) => (error = err.message));
    socket.on('close', () => finish(true));
    socket.on('data', (chunk: Buffer) => {
      if (bytesReceived < 256) received.push(chunk);
      bytesReceived += chunk.length;
      if (spec.settleAfterFirstByteMs && bytesReceived === chunk.length)
        timers.push(setTimeout(() => finish(false), spec.settleAfterFirstByteMs));
    });
    socket.on('connect', () => {
      if (spec.payload?.length) socket.write(spec.payload);
      const dribble = spec.dribble ?? [];
      const every = spec.dribbleEveryMs ?? 0;
      dribble.forEach((piece, i) => timers.push(setTimeout(() => !socket.destroyed && socket.write(piece), every * (i + 1))));
      if (spec.halfClose) timers.push(setTimeout(() => !socket.destroyed && socket.end(), every * dribble.length));
    });
    timers.push(setTimeout(() => finish(false), spec.holdMs));
  });
}

/** Runs `count` tasks with at most `concurrency` at once; `task(i)` must not throw. */
export async function runBounded(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<number> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count && !shouldStop()) await task(next++);
  });
  await Promise.all(workers);
  return next;
}
