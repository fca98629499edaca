import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/http/http-server.js';

const server = createHttpServer({
  requestTimeoutMs: 4000,
  keepAliveTimeoutMs: 7000,
  admin: (_req, res) => res.end('admin'),
  oss: (_req, res) => res.end('oss'),
});
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const side = async (path: string) => (await fetch(base + path)).text();

describe('createHttpServer', () => {
  it('hands /-/… (also percent-encoded) and /- to the admin side', async () => {
    for (const path of ['/-/health', '/%2D/reset', '/%2d/channels?x=1', '/-', '/-?a', '/-/']) expect(await side(path), path).toBe('admin');
  });

  it('hands every other request to the OSS side, buckets and keys that merely start with a dash included', async () => {
    for (const path of ['/', '/?acl', '/bucket/key', '/-bucket/key', '/%2Dbucket', '/bucket/-/key', '/%41/x', '/%ZZ']) {
      expect(await side(path), path).toBe('oss');
    }
  });

  it('applies the timeouts it is given', () => {
    expect(server.requestTimeout).toBe(4000);
    expect(server.keepAliveTimeout).toBe(7000);
  });

  it('answers a request Node cannot parse with an OSS error body and closes the connection', async () => {
    const port = (server.address() as AddressInfo).port;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/);
    expect(answer).toMatch(/<Code>InvalidRequest<\/Code><Message>The request could not be parsed \(HPE_[A-Z_]+\)\.<\/Message>/);
  });
});
