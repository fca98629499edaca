// Garbage connections against both listeners: random bytes, half-open sockets, silent sockets, truncated RTMP
// handshakes, slowloris HTTP headers. Each holds for a bounded time and then we give up (FIN or RST); the server
// must let go of every one of them.
import { randomBytes, randomInt } from 'node:crypto';
import { exchange, runBounded, type ExchangeSpec } from './raw-exchange.js';

export type GarbageKind =
  'random-bytes' | 'half-open' | 'silent' | 'truncated-handshake' | 'handshake-no-c2' | 'slowloris-http' | 'reset-mid-handshake';

export const GARBAGE_KINDS: readonly GarbageKind[] = [
  'random-bytes',
  'half-open',
  'silent',
  'truncated-handshake',
  'handshake-no-c2',
  'slowloris-http',
  'reset-mid-handshake',
];

function specFor(kind: GarbageKind, port: number, slowlorisMs: number): ExchangeSpec {
  const c0c1 = () => Buffer.concat([Buffer.of(3), randomBytes(1536)]);
  switch (kind) {
    case 'random-bytes':
      // Never starting with 0x03, half the time: exercises the HTTP parser on the shared port; else anything goes.
      return { port, payload: randomBytes(randomInt(1, 16 * 1024)), holdMs: 1500, settleAfterFirstByteMs: 100 };
    case 'half-open':
      return {
        port,
        payload: randomInt(2) ? c0c1().subarray(0, randomInt(1, 1537)) : Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n'),
        halfClose: true,
        holdMs: 2000,
      };
    case 'silent':
      return { port, holdMs: randomInt(500, 2500) };
    case 'truncated-handshake':
      return { port, payload: c0c1().subarray(0, randomInt(1, 1537)), holdMs: randomInt(500, 2500) };
    case 'handshake-no-c2':
      return { port, payload: c0c1(), holdMs: randomInt(500, 2500) };
    case 'reset-mid-handshake':
      return { port, payload: c0c1(), dribble: [randomBytes(700)], dribbleEveryMs: 50, holdMs: 200, reset: true };
    case 'slowloris-http': {
      const pieces = Array.from({ length: Math.floor(slowlorisMs / 250) }, (_, i) =>
        Buffer.from(`X-Slow-${i}: ${'a'.repeat(randomInt(1, 20))}\r\n`),
      );
      return {
        port,
        payload: Buffer.from('GET /soak/obj/segment.ts HTTP/1.1\r\nHost: 127.0.0.1\r\n'),
        dribble: pieces,
        dribbleEveryMs: 250,
        holdMs: slowlorisMs + 300,
      };
    }
  }
}

export interface GarbageResult {
  connections: number;
  byKind: Record<string, { count: number; closedByServer: number }>;
}

export async function runGarbageConnections(
  ports: number[],
  count: number,
  concurrency: number,
  slowlorisMs: number,
): Promise<GarbageResult> {
  const byKind: GarbageResult['byKind'] = {};
  const done = await runBounded(count, concurrency, async (i) => {
    const kind = GARBAGE_KINDS[i % GARBAGE_KINDS.length]!;
    const port = ports[Math.floor(i / GARBAGE_KINDS.length) % ports.length]!;
    const outcome = await exchange(specFor(kind, port, slowlorisMs));
    const label = `${kind} @${port === ports[0] ? 'http' : 'rtmp'}`;
    const entry = (byKind[label] ??= { count: 0, closedByServer: 0 });
    entry.count++;
    if (outcome.closedByServer) entry.closedByServer++;
  });
  return { connections: done, byKind };
}
