import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { startTestEmulator } from '../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator({ httpRequestTimeoutMs: 1000, rtmpHandshakeTimeoutMs: 1000 });
});
afterAll(() => emu.close());

/** A slowloris: sends a little, then one more byte every 200 ms, never finishing; resolves with how long the server kept it. */
function slowloris(port: number, first: string | Buffer): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(first));
    const drip = setInterval(() => socket.writable && socket.write(typeof first === 'string' ? 'x' : Buffer.from([0])), 200);
    const giveUp = setTimeout(() => socket.destroy(), 10_000);
    socket.on('error', () => undefined);
    socket.resume();
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve(Date.now() - started);
    });
  });
}

describe('slow clients are cut off without blocking others', () => {
  it('drops a slowloris on the HTTP port after the request timeout, while other requests are served', async () => {
    const held = slowloris(emu.httpPort, 'GET /-/health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const healthy = await fetch(`${emu.endpoint}/-/health`);
    expect(healthy.status).toBe(200);
    const ms = await held;
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(5000);
  });

  it('drops a slowloris RTMP handshake on either port after the handshake timeout', async () => {
    const c0c1 = Buffer.concat([Buffer.from([0x03]), Buffer.alloc(200)]);
    const [rtmp, http] = await Promise.all([slowloris(emu.rtmpPort, c0c1), slowloris(emu.httpPort, c0c1)]);
    for (const ms of [rtmp, http]) {
      expect(ms).toBeGreaterThanOrEqual(900);
      expect(ms).toBeLessThan(5000);
    }
  });
});
