// Issue 14 item 3: the object ACL takes precedence over the bucket ACL for anonymous requests (OSS documents it), in
// both directions. One expected-value table; one test per cell, each a real anonymous HTTP request.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { anonymousMay } from '../../src/oss/access.js';
import type { OperationName } from '../../src/oss/detect-operation.js';
import type { BucketAcl } from '../../src/store/rows.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';

type ObjectState = 'none' | 'default' | BucketAcl;
const OBJECT_STATES: ObjectState[] = ['none', 'default', 'private', 'public-read', 'public-read-write'];
const T = true;
const F = false;

/** operation × bucket ACL -> allowed for anonymous, per object state in OBJECT_STATES order. */
const TABLE: Array<[OperationName, BucketAcl, boolean[]]> = [
  ['GetObject', 'private', [F, F, F, T, T]],
  ['GetObject', 'public-read', [T, T, F, T, T]],
  ['GetObject', 'public-read-write', [T, T, F, T, T]],
  ['HeadObject', 'private', [F, F, F, T, T]],
  ['HeadObject', 'public-read', [T, T, F, T, T]],
  ['HeadObject', 'public-read-write', [T, T, F, T, T]],
  ['GetObjectMeta', 'private', [F, F, F, T, T]],
  ['GetObjectMeta', 'public-read', [T, T, F, T, T]],
  ['GetObjectMeta', 'public-read-write', [T, T, F, T, T]],
  ['PutObject', 'private', [F, F, F, F, T]],
  ['PutObject', 'public-read', [F, F, F, F, T]],
  ['PutObject', 'public-read-write', [T, T, F, F, T]],
  ['DeleteObject', 'private', [F, F, F, F, T]],
  ['DeleteObject', 'public-read', [F, F, F, F, T]],
  ['DeleteObject', 'public-read-write', [T, T, F, F, T]],
  ['DeleteMultipleObjects', 'private', [F, F, F, F, T]],
  ['DeleteMultipleObjects', 'public-read', [F, F, F, F, T]],
  ['DeleteMultipleObjects', 'public-read-write', [T, T, F, F, T]],
  ['ListObjects', 'private', [F, F, F, F, F]],
  ['ListObjects', 'public-read', [T, T, T, T, T]],
  ['ListObjects', 'public-read-write', [T, T, T, T, T]],
  ['GetObjectAcl', 'private', [F, F, F, F, F]],
  ['GetObjectAcl', 'public-read', [F, F, F, F, F]],
  ['GetObjectAcl', 'public-read-write', [F, F, F, F, F]],
  ['PutObjectAcl', 'public-read-write', [F, F, F, F, F]],
];

let emu: Emulator;
const buckets = new Map<BucketAcl, string>();
const ORIGINAL = 'original bytes';

beforeAll(async () => {
  emu = await startTestEmulator();
  for (const acl of ['private', 'public-read', 'public-read-write'] as const) {
    const name = uniqueBucket(`acl-${acl}`);
    await ossClient(emu).putBucket(name, { acl } as never);
    buckets.set(acl, name);
  }
});
afterAll(() => emu.close());

/** Puts (or removes) the object `obj` with the given state, signed, as the owner. */
async function prepare(bucket: string, state: ObjectState): Promise<void> {
  const client = ossClient(emu, bucket);
  if (state === 'none') {
    await client.delete('obj');
    return;
  }
  await client.put('obj', Buffer.from(ORIGINAL));
  if (state !== 'default') await client.putACL('obj', state);
}

function anonymous(operation: OperationName, bucket: string): Promise<Response> {
  const url = `${emu.endpoint}/${bucket}/obj`;
  switch (operation) {
    case 'GetObject':
      return fetch(url);
    case 'HeadObject':
      return fetch(url, { method: 'HEAD' });
    case 'GetObjectMeta':
      return fetch(`${url}?objectMeta`, { method: 'HEAD' });
    case 'PutObject':
      return fetch(url, { method: 'PUT', body: 'anonymous overwrite' });
    case 'DeleteObject':
      return fetch(url, { method: 'DELETE' });
    case 'DeleteMultipleObjects': {
      const body = '<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>false</Quiet><Object><Key>obj</Key></Object></Delete>';
      const md5 = createHash('md5').update(body).digest('base64');
      return fetch(`${emu.endpoint}/${bucket}?delete`, {
        method: 'POST',
        body,
        headers: { 'content-md5': md5, 'content-type': 'application/xml' },
      });
    }
    case 'ListObjects':
      return fetch(`${emu.endpoint}/${bucket}/`);
    case 'GetObjectAcl':
      return fetch(`${url}?acl`);
    case 'PutObjectAcl':
      return fetch(`${url}?acl`, { method: 'PUT', headers: { 'x-oss-object-acl': 'public-read-write' } });
    default:
      throw new Error(`no anonymous request for ${operation}`);
  }
}

async function objectBytes(bucket: string): Promise<string | undefined> {
  try {
    return (await ossClient(emu, bucket).get('obj')).content.toString();
  } catch {
    return undefined;
  }
}

describe('anonymous access: object ACL over bucket ACL', () => {
  for (const [operation, bucketAcl, row] of TABLE) {
    OBJECT_STATES.forEach((state, i) => {
      const allowed = row[i]!;
      it(`${operation} on a ${bucketAcl} bucket, object ${state}: ${allowed ? 'allowed' : 'AccessDenied'}`, async () => {
        const bucket = buckets.get(bucketAcl)!;
        await prepare(bucket, state);
        const before = await objectBytes(bucket);
        const res = await anonymous(operation, bucket);
        const text = await res.text();
        if (allowed) {
          expect(res.status, `status ${res.status}`).not.toBe(403);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status).toBe(403);
          if (operation !== 'HeadObject' && operation !== 'GetObjectMeta') expect(text).toContain('<Code>AccessDenied</Code>');
          expect(await objectBytes(bucket)).toBe(before); // a refused request changes nothing
        }
        // The pure rule agrees with what the server did.
        expect(anonymousMay(operation, bucketAcl, state === 'none' ? undefined : state)).toBe(allowed);
      });
    });
  }
});
