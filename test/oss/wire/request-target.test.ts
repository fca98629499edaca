// src/oss/wire/request-target.ts: bucket, key and query from Host + path, for both addressing styles (the default
// --base-domain list: localhost and aliyuncs.com).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { OssError } from '../../../src/oss/wire/errors.js';
import { resolveTarget } from '../../../src/oss/wire/request-target.js';
import { startTestEmulator } from '../../helpers/emulator.js';

const options = { baseDomains: ['localhost', 'aliyuncs.com'], bucketExists: (name: string) => name === 'known-bucket' };

describe('resolveTarget', () => {
  it('reads the bucket from the Host on an OSS endpoint, and from the path on an IP or any other name', () => {
    expect(resolveTarget('b1x.oss-cn-hangzhou.aliyuncs.com:8080', '/a/b.ts?acl', options)).toEqual({
      bucket: 'b1x',
      key: 'a/b.ts',
      query: [['acl', '']],
      pathStyle: false,
    });
    expect(resolveTarget('127.0.0.1:8080', '/b1x/a%20b', options)).toMatchObject({ bucket: 'b1x', key: 'a b', pathStyle: true });
    expect(resolveTarget('emulator.internal:8080', '/b1x/k', options)).toMatchObject({ bucket: 'b1x', key: 'k', pathStyle: true });
    expect(resolveTarget('known-bucket.example.test', '/k', options)).toMatchObject({ bucket: 'known-bucket', pathStyle: false });
  });

  it('takes the OSS endpoint itself as the service, never as a bucket', () => {
    expect(resolveTarget('oss-cn-hangzhou.aliyuncs.com', '/', options)).toMatchObject({ bucket: undefined, key: '' });
  });

  it('refuses a bucket in the path of an OSS endpoint with 403 SecondLevelDomainForbidden, as OSS does', () => {
    for (const host of ['oss-cn-hangzhou.aliyuncs.com:8080', 'OSS-cn-beijing-internal.aliyuncs.com', 'oss-accelerate.aliyuncs.com']) {
      let thrown: unknown;
      try {
        resolveTarget(host, '/b1x/k.txt', options);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(OssError);
      expect(thrown).toMatchObject({ status: 403, code: 'SecondLevelDomainForbidden' });
    }
  });
});

describe('path style on an OSS endpoint, over HTTP', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('answers the error XML with the Host as HostId (the Go SDK checks it)', async () => {
    const port = new URL(emu.endpoint).port;
    const host = `oss-cn-hangzhou.aliyuncs.com:${port}`;
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/some-bucket/?acl', headers: { host } }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>SecondLevelDomainForbidden</Code>');
    expect(res.body).toContain(`<HostId>${host}</HostId>`);
  });
});
