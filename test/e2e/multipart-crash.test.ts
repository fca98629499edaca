import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ossClient, startTestEmulator } from '../helpers/emulator.js';
import { spawnEmulator } from '../helpers/cli-process.js';
import { signedRequest } from '../helpers/signed-request.js';
import { internalsOf } from '../../src/testing/internal.js';

const dataDir = mkdtempSync(join(tmpdir(), 'emu-mp-crash-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const KB = 1024;
const oldBytes = randomBytes(150 * KB);
const parts = [randomBytes(200 * KB), randomBytes(200 * KB), randomBytes(33 * KB)];
const newBytes = Buffer.concat(parts);

async function kill(proc: ChildProcess): Promise<void> {
  proc.kill('SIGKILL');
  if (proc.exitCode === null && proc.signalCode === null) await new Promise((r) => proc.once('exit', r));
}

/** After a restart: the key holds the old object or the new one, whole; every file on disk belongs to a row. */
async function checkConsistent(): Promise<'old' | 'new'> {
  const emu = await startTestEmulator({ inMemory: false, dataDir });
  try {
    const { store } = internalsOf(emu).services;
    const got = (await ossClient(emu, 'crash').get('video.bin')).content as Buffer;
    const which = got.equals(newBytes) ? 'new' : got.equals(oldBytes) ? 'old' : 'mixed';
    expect(which, 'the object after kill -9').not.toBe('mixed');
    for (const shard of readdirSync(join(dataDir, 'objects'))) {
      for (const name of readdirSync(join(dataDir, 'objects', shard))) expect(store.isFileReferenced(`${shard}/${name}`)).toBe(true);
    }
    expect(readdirSync(join(dataDir, 'tmp'))).toEqual([]);
    return which as 'old' | 'new';
  } finally {
    await emu.close();
  }
}

describe('kill -9 around CompleteMultipartUpload', () => {
  it('leaves the old object or the new one, never a mix, and no orphan file, at any moment of the kill', async () => {
    const outcomes: string[] = [];
    // A kill in the middle of a part (-1), as the Complete request leaves (0), shortly after, and once it answered (Infinity).
    for (const delayMs of [-1, 0, 5, 15, Infinity]) {
      const spawned = await spawnEmulator(['--data-dir', dataDir, '--log-level', 'warn']);
      child = spawned.process;
      const client = ossClient(spawned.remote, 'crash');
      if (outcomes.length === 0) await client.putBucket('crash');
      await client.put('video.bin', oldBytes);
      const init = await client.initMultipartUpload('video.bin');
      const done = [];
      for (const [i, p] of parts.entries())
        done.push({ number: i + 1, etag: (await client.uploadPart('video.bin', init.uploadId, i + 1, p, 0, p.length)).etag });
      if (delayMs === -1) {
        // A part upload cut off halfway: its temp file must not survive the restart.
        const req = signedRequest(spawned.remote, {
          method: 'PUT',
          bucket: 'crash',
          key: 'video.bin',
          query: [
            ['partNumber', '4'],
            ['uploadId', init.uploadId],
          ],
          body: randomBytes(8 * 1024 * KB),
        }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 30));
        await kill(child);
        await req;
      } else {
        const xml = `<CompleteMultipartUpload>${done.map((d) => `<Part><PartNumber>${d.number}</PartNumber><ETag>${d.etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
        const req = signedRequest(spawned.remote, {
          method: 'POST',
          bucket: 'crash',
          key: 'video.bin',
          query: [['uploadId', init.uploadId]],
          body: xml,
        }).catch(() => undefined);
        if (delayMs === Infinity) expect((await req)?.status).toBe(200);
        else if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        await kill(child);
        await req;
      }
      outcomes.push(await checkConsistent());
    }
    // Once Complete answered, the new object is there after the restart; a kill mid-part leaves the old one.
    expect(outcomes.at(-1)).toBe('new');
    expect(outcomes[0]).toBe('old');
  }, 120_000);
});
