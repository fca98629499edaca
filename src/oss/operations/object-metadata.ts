import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ObjectAcl, ObjectRow } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { encryptionHeaders } from '../objects/server-side-encryption.js';
import { httpDate } from '../wire/formats.js';

/** Headers a PutObject stores and GetObject/HeadObject give back. */
const STORED = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

export function storedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  // The server-side encryption asked for (validated: 400 InvalidArgument for an unknown algorithm) is kept as sent.
  const out: Record<string, string> = encryptionHeaders(headers);
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    if (name.startsWith('x-oss-meta-') || STORED.includes(name)) out[name] = value;
  }
  return out;
}

export function parseObjectAcl(value: string | undefined): ObjectAcl {
  if (value === undefined || value === '') return 'default';
  if (['default', 'private', 'public-read', 'public-read-write'].includes(value)) return value as ObjectAcl;
  throw ossErrors.invalidArgument('no such object access control exists', [
    ['ArgumentName', 'x-oss-object-acl'],
    ['ArgumentValue', value],
  ]);
}

/** Content-MD5 as sent: base64 of 16 bytes, else InvalidDigest. */
export function expectedMd5(headers: IncomingHttpHeaders): Buffer | undefined {
  const raw = headers['content-md5'];
  if (raw === undefined) return undefined;
  const md5 = Buffer.from(String(raw), 'base64');
  if (md5.length !== 16 || md5.toString('base64') !== raw) throw ossErrors.invalidDigest();
  return md5;
}

export function checkBodyMd5(headers: IncomingHttpHeaders, body: Buffer): void {
  const expected = expectedMd5(headers);
  if (expected && !expected.equals(createHash('md5').update(body).digest())) throw ossErrors.badDigest();
}

/**
 * Any Content-Type given is stored as is; without one OSS stores `application/octet-stream`. Picking a type from the
 * key's extension is the SDKs' job, not the server's (OSS "Configure the Content-Type header": "If you do not set it,
 * OSS SDKs infer the value from the object name extension"; oss2's test_put_object_with_sign_url PUTs `.jpg` through a
 * presigned URL without one and reads back `application/octet-stream`).
 */
export function contentTypeFor(header: string | undefined): string {
  return header || 'application/octet-stream';
}

/** `x-oss-forbid-overwrite: true` on Put, Copy, Initiate and Complete. */
export const forbidsOverwrite = (headers: IncomingHttpHeaders): boolean =>
  String(headers['x-oss-forbid-overwrite'] ?? '').toLowerCase() === 'true';

/** Response headers describing an object (GetObject, HeadObject). */
export function objectHeaders(row: ObjectRow): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'content-type': row.contentType,
    etag: row.etag,
    'last-modified': httpDate(row.lastModifiedMs),
    'accept-ranges': 'bytes',
    'x-oss-object-type': row.objectType,
    'x-oss-storage-class': row.storageClass,
    ...row.headers,
  };
  if (row.crc64 !== undefined) headers['x-oss-hash-crc64ecma'] = row.crc64;
  // A Normal object's ETag is its MD5: OSS answers it as Content-MD5 too (oss2's async-fetch test reads it from a HEAD).
  // Multipart objects have one only when uploaded with ?sequential (stored with them); appendable ones never.
  if (row.objectType === 'Normal' && /^"[0-9A-F]{32}"$/i.test(row.etag)) {
    headers['content-md5'] = Buffer.from(row.etag.slice(1, -1), 'hex').toString('base64');
  }
  if (row.objectType === 'Appendable') headers['x-oss-next-append-position'] = row.size;
  return headers;
}
