import type { IncomingHttpHeaders } from 'node:http';
import { ossErrors } from '../wire/errors.js';

/** The algorithms OSS takes in `x-oss-server-side-encryption` (bucket default and per object). */
export const SSE_ALGORITHMS: readonly string[] = ['AES256', 'KMS', 'SM4'];

/** The headers that carry a server-side encryption choice, stored with an object and given back as sent. */
const SSE_HEADERS = ['x-oss-server-side-encryption', 'x-oss-server-side-encryption-key-id', 'x-oss-server-side-data-encryption'];

export interface RequestedEncryption {
  algorithm: string;
  keyId?: string;
  dataEncryption?: string;
}

const single = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The encryption a PutBucket or an upload asks for with `x-oss-server-side-encryption` (+ `-key-id`,
 * `x-oss-server-side-data-encryption`), checked as OSS checks it; undefined when none is asked for. The emulator
 * encrypts nothing: the choice is stored and given back.
 */
export function requestedEncryption(headers: IncomingHttpHeaders): RequestedEncryption | undefined {
  const algorithm = single(headers, 'x-oss-server-side-encryption');
  const keyId = single(headers, 'x-oss-server-side-encryption-key-id');
  const dataEncryption = single(headers, 'x-oss-server-side-data-encryption');
  if (algorithm === undefined) {
    if (keyId !== undefined || dataEncryption !== undefined) {
      throw ossErrors.invalidArgument('x-oss-server-side-encryption is required with its key id or data encryption.', [
        ['ArgumentName', 'x-oss-server-side-encryption'],
        ['ArgumentValue', ''],
      ]);
    }
    return undefined;
  }
  if (!SSE_ALGORITHMS.includes(algorithm)) {
    throw ossErrors.invalidArgument('Invalid Encryption Algorithms', [
      ['ArgumentName', 'x-oss-server-side-encryption'],
      ['ArgumentValue', algorithm],
    ]);
  }
  if (keyId !== undefined && keyId !== '' && algorithm !== 'KMS') {
    throw ossErrors.invalidArgument('x-oss-server-side-encryption-key-id is allowed only with KMS.', [
      ['ArgumentName', 'x-oss-server-side-encryption-key-id'],
      ['ArgumentValue', keyId],
    ]);
  }
  if (dataEncryption !== undefined && (algorithm !== 'KMS' || dataEncryption !== 'SM4')) {
    throw ossErrors.invalidArgument('x-oss-server-side-data-encryption is SM4, allowed only with KMS.', [
      ['ArgumentName', 'x-oss-server-side-data-encryption'],
      ['ArgumentValue', dataEncryption],
    ]);
  }
  return { algorithm, ...(keyId !== undefined && { keyId }), ...(dataEncryption !== undefined && { dataEncryption }) };
}

/** The SSE headers of an upload, validated, to store with the object (none when the upload asks for none). */
export function encryptionHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const requested = requestedEncryption(headers);
  if (!requested) return {};
  return {
    'x-oss-server-side-encryption': requested.algorithm,
    ...(requested.keyId && { 'x-oss-server-side-encryption-key-id': requested.keyId }),
    ...(requested.dataEncryption && { 'x-oss-server-side-data-encryption': requested.dataEncryption }),
  };
}

/** The SSE headers among an object's stored headers: what Put/Initiate/Complete/Append/Copy answers echo. */
export function encryptionOf(stored: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SSE_HEADERS) if (stored[name] !== undefined) out[name] = stored[name];
  return out;
}

/** Stored headers without the SSE ones (CopyObject with COPY: the target's encryption is the request's, not the source's). */
export function withoutEncryption(stored: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(stored).filter(([name]) => !SSE_HEADERS.includes(name)));
}
