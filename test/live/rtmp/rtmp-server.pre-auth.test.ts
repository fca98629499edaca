// Issue 14 item 10: what a bare RTMP connection may cost before any signature is checked.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RtmpServer } from '../../../src/live/rtmp/index.js';
import { startPublisher } from '../../../src/push/index.js';
import { FIXTURE_360P, recordingHooks, startServer, waitFor } from '../../helpers/rtmp-server.js';

const opened: RtmpServer[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** A raw client: C0+C1, waits for S0+S1+S2, sends C2; resolves with the socket and a "closed" flag. */
function handshaken(port: number): Promise<{ socket: net.Socket; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let closed = false;
    const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.of(3), Buffer.alloc(1536)])));
    sockets.push(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      if (received < 3073) reject(new Error('closed during the handshake'));
    });
    socket.on('data', (d: Buffer) => {
      const before = received;
      received += d.length;
      if (before < 3073 && received >= 3073) {
        socket.write(Buffer.alloc(1536));
        resolve({ socket, closed: () => closed });
      }
    });
  });
}

/** A type-0 chunk header announcing a message of `length` bytes on chunk stream `csid`, with no payload. */
function announce(csid: number, length: number): Buffer {
  const head = Buffer.alloc(12);
  head[0] = csid;
  head.writeUIntBE(length, 4, 3);
  head[7] = 9; // video
  return head;
}

const closedSoon = (socket: net.Socket) =>
  new Promise<boolean>((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), 3000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

describe('RTMP before a publish is authorised', () => {
  it('closes a connection that announces media-sized messages (the ~2 KB of headers that reserved megabytes)', async () => {
    const { port, log } = await startServer(recordingHooks().hooks, opened);
    const { socket } = await handshaken(port);
    // 16 chunk streams x 8 MiB announced: the parser used to allocate (and zero) 128 MiB for 192 bytes sent.
    socket.write(Buffer.concat(Array.from({ length: 16 }, (_, i) => announce(3 + i, 8 * 1024 * 1024 - 1))));
    expect(await closedSoon(socket)).toBe(true);
    await waitFor(() => log.lines.some((l) => /before the publish is authorised/.test(l.msg)), 2000, 'the reason in the log');
  });

  it('keeps small pre-auth messages working: a real publisher still publishes', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const pub = startPublisher({ url: `rtmp://127.0.0.1:${port}/live/cam`, flv: FIXTURE_360P, speed: 0 });
    await pub.done;
    expect(publishes.length).toBe(1);
    expect(publishes[0]!.packets.length).toBeGreaterThan(100); // media (messages far above 64 KiB allowed after accept)
  });

  it('caps concurrent unauthenticated connections (maxPendingConnections); publishing ones do not count', async () => {
    const { hooks } = recordingHooks();
    const { port, log } = await startServer(hooks, opened, { maxPendingConnections: 4 });
    const publisher = startPublisher({ url: `rtmp://127.0.0.1:${port}/live/cam`, flv: FIXTURE_360P, speed: 1, loop: true });
    await publisher.started;
    const idle = await Promise.all(Array.from({ length: 4 }, () => handshaken(port)));
    // The fifth is closed at once, before its handshake.
    await expect(handshaken(port)).rejects.toThrow('closed during the handshake');
    expect(idle.every((c) => !c.closed())).toBe(true);
    await waitFor(() => log.lines.some((l) => /too many unauthenticated connections/.test(l.msg)), 2000, 'the refusal logged');
    // Freeing one slot lets the next one in.
    idle[0]!.socket.destroy();
    await waitFor(() => idle[0]!.closed(), 2000, 'close');
    await new Promise((r) => setTimeout(r, 50));
    const next = await handshaken(port);
    expect(next.closed()).toBe(false);
    await publisher.stop();
  });
});
