import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { startPublisher } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_360P, createChannel, publishUrl } from '../helpers/live.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator({ rtmpHandshakeTimeoutMs: 1000 });
});
afterAll(() => emu.close());

/** Writes bytes, then waits until the server closes the socket (or gives up after timeoutMs). */
function poke(port: number, bytes: Buffer, timeoutMs = 3000): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('open');
    }, timeoutMs);
    socket.on('error', () => undefined);
    // Read what the server answers (handshake reply, 400): Node reports the close only once buffered data is consumed.
    socket.resume();
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

describe('garbage on the ports does not disturb other sessions', () => {
  it('keeps a live publish and HTTP service going through random bytes and truncated handshakes on both ports', async () => {
    const b = uniqueBucket('hostile');
    await createChannel(emu, b, 'cam');
    const pub = startPublisher({ url: publishUrl(emu, b, 'cam', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 1, loop: true });
    await pub.started;
    const before = pub.stats().tagsSent;

    const garbage = [
      Buffer.concat([Buffer.from([0x03]), randomBytes(2000)]), // RTMP version byte, then noise
      Buffer.concat([Buffer.from([0x03]), randomBytes(700)]), // truncated C1
      randomBytes(4096), // not RTMP, not HTTP
      Buffer.from('GET /\x00\x01 HTTP/9.9\r\n\r\n'),
    ];
    const outcomes = await Promise.all(garbage.flatMap((bytes) => [emu.httpPort, emu.rtmpPort].map((port) => poke(port, bytes))));
    // Broken input is closed at once; a truncated handshake by the handshake timeout (1 s here).
    expect(outcomes).toEqual(outcomes.map(() => 'closed'));

    const health = await fetch(`${emu.endpoint}/-/health`);
    expect(health.status).toBe(200);
    const stat = (await ossClient(emu, b).getChannelStatus('cam')) as unknown as { data: { Status: string } };
    expect(stat.data.Status).toBe('Live');
    expect(pub.stats().tagsSent).toBeGreaterThan(before);
    await pub.stop();
  });
});
