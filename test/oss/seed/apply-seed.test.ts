import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitFileError, type Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator } from '../../helpers/emulator.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oss-init-'));
  mkdirSync(join(dir, 'seed', 'files'), { recursive: true });
  writeFileSync(join(dir, 'seed', 'files', 'poster.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const YAML_SEED = `
buckets:
  - name: media
    acl: public-read
    cors:
      - allowedOrigins: ['http://localhost:3000']
        allowedMethods: [GET, HEAD]
        allowedHeaders: ['*']
        maxAgeSeconds: 300
    channels:
      - name: cam1
        description: front door
        fragDuration: 2
        fragCount: 4
        playlistName: live.m3u8
      - name: cam2
        status: disabled
    objects:
      - key: posters/cam1.png
        file: files/poster.png
        contentType: image/png
      - key: hello.txt
        content: hello from the seed
  - name: private-media
`;

async function checkSeeded(emu: Emulator): Promise<void> {
  const client = ossClient(emu, 'media');
  expect((await client.getBucketACL('media')).acl).toBe('public-read');
  expect((await client.getBucketACL('private-media')).acl).toBe('private');
  const cors = await client.getBucketCORS('media');
  expect(cors.rules).toHaveLength(1);
  expect(cors.rules[0]).toMatchObject({ allowedOrigin: 'http://localhost:3000', allowedMethod: ['GET', 'HEAD'], maxAgeSeconds: '300' });
  const cam1 = (await client.getChannel('cam1')).data as unknown as Record<string, unknown>;
  expect(cam1).toMatchObject({
    Description: 'front door',
    Status: 'enabled',
    Target: { Type: 'HLS', FragDuration: '2', FragCount: '4', PlaylistName: 'live.m3u8' },
  });
  expect(((await client.getChannel('cam2')).data as unknown as Record<string, unknown>).Status).toBe('disabled');
  const poster = await client.get('posters/cam1.png');
  expect(Buffer.from(poster.content as Buffer)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  expect((poster.res.headers as Record<string, string>)['content-type']).toBe('image/png');
  expect(String((await client.get('hello.txt')).content)).toBe('hello from the seed');
}

describe('--init FILE', () => {
  it('seeds buckets, ACL, CORS, channels and objects from YAML, and a restart with the same file changes nothing', async () => {
    const initFile = join(dir, 'seed', 'init.yaml');
    writeFileSync(initFile, YAML_SEED);
    const dataDir = join(dir, 'data-yaml');
    let emu = await startTestEmulator({ inMemory: false, dataDir, initFile });
    let before: { lastModified: string; etag: string };
    let cam1Before: unknown;
    try {
      await checkSeeded(emu);
      const head = await ossClient(emu, 'media').head('hello.txt');
      before = {
        lastModified: (head.res.headers as Record<string, string>)['last-modified']!,
        etag: (head.res.headers as Record<string, string>).etag!,
      };
      cam1Before = emu.state.channel('media', 'cam1');
      // A change made by a test between runs to an entry the seed does not name survives the restart.
      await ossClient(emu, 'media').put('extra.txt', Buffer.from('mine'));
    } finally {
      await emu.close();
    }
    await new Promise((r) => setTimeout(r, 1100)); // a rewrite would show in Last-Modified (seconds)
    emu = await startTestEmulator({ inMemory: false, dataDir, initFile });
    try {
      await checkSeeded(emu);
      const head = await ossClient(emu, 'media').head('hello.txt');
      expect((head.res.headers as Record<string, string>)['last-modified']).toBe(before.lastModified);
      expect((head.res.headers as Record<string, string>).etag).toBe(before.etag);
      expect(emu.state.channel('media', 'cam1')).toEqual(cam1Before);
      expect(String((await ossClient(emu, 'media').get('extra.txt')).content)).toBe('mine');
    } finally {
      await emu.close();
    }
  }, 60_000);

  it('reads JSON as well', async () => {
    const initFile = join(dir, 'seed', 'init.json');
    writeFileSync(
      initFile,
      JSON.stringify({
        buckets: [
          {
            name: 'json-bucket',
            acl: 'public-read-write',
            channels: [{ name: 'c1', fragDuration: 5, fragCount: 3 }],
            objects: [
              { key: 'k', contentBase64: Buffer.from('b64').toString('base64') },
              { key: 'site/index.html', contentBase64: Buffer.from('<p>').toString('base64') },
            ],
          },
        ],
      }),
    );
    const emu = await startTestEmulator({ initFile });
    try {
      const client = ossClient(emu, 'json-bucket');
      expect((await client.getBucketACL('json-bucket')).acl).toBe('public-read-write');
      expect(((await client.getChannel('c1')).data as unknown as { Target: { FragDuration: string } }).Target.FragDuration).toBe('5');
      expect(String((await client.get('k')).content)).toBe('b64');
      // Without a contentType the seed picks one from the extension, as an SDK upload would (OSS itself does not).
      expect(emu.state.object('json-bucket', 'site/index.html')?.contentType).toBe('text/html');
      expect(emu.state.object('json-bucket', 'k')?.contentType).toBe('application/octet-stream');
    } finally {
      await emu.close();
    }
  }, 30_000);

  it('refuses an invalid channel config at startup, naming the entry', async () => {
    const initFile = join(dir, 'seed', 'bad.yaml');
    writeFileSync(
      initFile,
      'buckets:\n  - name: ok-bucket\n    channels:\n      - name: good\n      - name: broken\n        fragDuration: 999\n',
    );
    const started = startTestEmulator({ initFile });
    await expect(started).rejects.toBeInstanceOf(InitFileError);
    await expect(started).rejects.toThrow(
      /bad\.yaml: buckets\[0\] \(ok-bucket\)\.channels\[1\] \(broken\): PutLiveChannel refused it: InvalidArgument/,
    );
  });

  it('refuses an unknown field and a missing file with the entry named', async () => {
    const typo = join(dir, 'seed', 'typo.yaml');
    writeFileSync(typo, 'buckets:\n  - name: x-bucket\n    channel:\n      - name: c\n');
    await expect(startTestEmulator({ initFile: typo })).rejects.toThrow(/buckets\[0\] \(x-bucket\): unknown field channel/);
    const missing = join(dir, 'seed', 'missing.yaml');
    writeFileSync(missing, 'buckets:\n  - name: y-bucket\n    objects:\n      - key: a\n        file: nope.bin\n');
    await expect(startTestEmulator({ initFile: missing })).rejects.toThrow(/objects\[0\] \(a\): cannot read file nope\.bin/);
    await expect(startTestEmulator({ initFile: join(dir, 'absent.yaml') })).rejects.toThrow(/cannot read init file/);
  });
});
