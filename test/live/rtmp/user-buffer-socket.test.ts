import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptWithUserBuffer } from '../../../src/live/rtmp/user-buffer-socket.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server accepting paused connections, handing each to `onSocket`; resolves with a connected client. */
async function pair(onSocket: (accepted: net.Socket) => void): Promise<{ server: net.Server; client: net.Socket }> {
  const server = net.createServer({ pauseOnConnect: true }, onSocket);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  return { server, client };
}

describe('adoptWithUserBuffer: an accepted socket read into one buffer of ours', () => {
  it('delivers every byte in order through one reused buffer, stops on false until resume(), and closes cleanly', async () => {
    const reads: Buffer[] = [];
    const copies: Buffer[] = [];
    let own: net.Socket | undefined;
    let stopAfterFirst = true;
    const ended = new Promise<void>((resolve) => {
      void pair((accepted) => {
        own = adoptWithUserBuffer(accepted, (bytes) => {
          reads.push(bytes);
          copies.push(Buffer.from(bytes));
          if (!stopAfterFirst) return true;
          stopAfterFirst = false;
          return false;
        });
        own!.on('end', () => {
          own!.end();
          resolve();
        });
      }).then(async ({ client }) => {
        client.write(Buffer.alloc(1000, 1));
        await new Promise((r) => setTimeout(r, 100));
        expect(reads).toHaveLength(1); // reading stopped after the first read returned false
        const rest = Buffer.alloc(300_000);
        for (let i = 0; i < rest.length; i++) rest[i] = i % 251;
        client.end(rest);
        await new Promise((r) => setTimeout(r, 100));
        expect(reads).toHaveLength(1); // still stopped: nothing read while paused
        own!.resume();
      });
    });
    await ended;
    const all = Buffer.concat(copies);
    expect(all.length).toBe(301_000);
    expect(all.subarray(0, 1000).every((b) => b === 1)).toBe(true);
    expect(all.subarray(1000).every((b, i) => b === i % 251)).toBe(true);
    expect(new Set(reads.map((r) => r.buffer)).size).toBe(1); // one buffer for every read
    expect(reads.length).toBeGreaterThan(2); // 300 KB do not fit one read of it
  });

  it('leaves a socket that was already read as it is (undefined), so the caller keeps Node’s own reading', async () => {
    let result: net.Socket | undefined | 'unset' = 'unset';
    const got = new Promise<void>((resolve) => {
      void pair((accepted) => {
        accepted.resume();
        accepted.once('data', () => {
          result = adoptWithUserBuffer(accepted, () => true);
          accepted.destroy();
          resolve();
        });
      }).then(({ client }) => client.end('hello'));
    });
    await got;
    expect(result).toBeUndefined();
  });
});
