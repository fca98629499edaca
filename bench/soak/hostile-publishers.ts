// Issue 14: publishers whose timestamps freeze, run backwards or jump 24 days, pushed as fast as the server takes
// them, plus bare RTMP connections that handshake and then sit (or announce 8 MiB messages) without ever publishing.
import net from 'node:net';
import { publishFlv } from '../../src/push/index.js';
import { sleep } from '../lib/ts-child.js';

const DAY_MS = 24 * 3600 * 1000;

export interface HostilePublisherSpec {
  name: 'frozen' | 'backwards' | 'jumping';
  url: string;
}

const retimers: Record<HostilePublisherSpec['name'], (ts: number) => number> = {
  frozen: () => 5000,
  backwards: (ts) => ts % 3000,
  jumping: (ts) => (ts >= 5000 ? ts + 24 * DAY_MS : ts),
};

export interface HostileOutcome {
  publishers: Array<{ name: string; bytesSent: number; error?: string }>;
  preAuth: { opened: number; refusedAtOnce: number; closedByServer: number };
}

/** A bare connection: handshake, then hold (or announce 16 x 8 MiB messages); resolves when it is set up or refused. */
function bareConnection(port: number, announce: boolean, holdMs: number): Promise<'held' | 'refused' | 'closed'> {
  return new Promise((resolve) => {
    let received = 0;
    let settled = false;
    const done = (outcome: 'held' | 'refused' | 'closed') => {
      if (!settled) {
        settled = true;
        resolve(outcome);
      }
    };
    const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.of(3), Buffer.alloc(1536)])));
    socket.on('error', () => {});
    const timer = setTimeout(() => socket.destroy(), holdMs);
    socket.on('close', () => {
      clearTimeout(timer);
      done(received < 3073 ? 'refused' : 'closed');
    });
    socket.on('data', (d: Buffer) => {
      const before = received;
      received += d.length;
      if (before >= 3073 || received < 3073) return;
      socket.write(Buffer.alloc(1536));
      if (announce) {
        const heads = Array.from({ length: 16 }, (_, i) => {
          const head = Buffer.alloc(12);
          head[0] = 3 + i;
          head.writeUIntBE(8 * 1024 * 1024 - 1, 4, 3);
          head[7] = 9;
          return head;
        });
        socket.write(Buffer.concat(heads));
      }
      setTimeout(() => done(socket.destroyed ? 'closed' : 'held'), 500);
    });
  });
}

/**
 * Runs the three hostile publishers (each `streamMs` of looped media at full speed) while `bareCount` bare RTMP
 * connections are opened; `sample` is called every 200 ms meanwhile (for the RSS peak).
 */
export async function runHostilePublishers(
  specs: HostilePublisherSpec[],
  rtmpPort: number,
  flv: Buffer,
  streamMs: number,
  bareCount: number,
  sample: () => void,
): Promise<HostileOutcome> {
  const sampler = setInterval(sample, 200);
  try {
    const publishers = specs.map(async (spec) => {
      try {
        const result = await publishFlv({ url: spec.url, flv, speed: 0, loop: true, durationMs: streamMs, retime: retimers[spec.name] });
        return { name: spec.name, bytesSent: result.bytesSent };
      } catch (err) {
        return { name: spec.name, bytesSent: 0, error: (err as Error).message };
      }
    });
    const bare = Array.from({ length: bareCount }, (_, i) => bareConnection(rtmpPort, i % 2 === 1, 8000));
    const outcomes = await Promise.all(bare);
    const results = await Promise.all(publishers);
    await sleep(500);
    return {
      publishers: results,
      preAuth: {
        opened: bareCount,
        refusedAtOnce: outcomes.filter((o) => o === 'refused').length,
        closedByServer: outcomes.filter((o) => o === 'closed').length,
      },
    };
  } finally {
    clearInterval(sampler);
  }
}
