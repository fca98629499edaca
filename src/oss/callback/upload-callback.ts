import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import type { ObjectRow } from '../../store/rows.js';
import type { OssReply } from '../operation.js';
import { ossErrors } from '../wire/errors.js';
import { queryValue, type QueryPairs } from '../wire/request-target.js';

/** A decoded `x-oss-callback` (+ `x-oss-callback-var`). */
export interface UploadCallback {
  urls: string[];
  host: string | undefined;
  body: string;
  bodyType: 'application/x-www-form-urlencoded' | 'application/json';
  vars: Record<string, string>;
}

const CALLBACK_TIMEOUT_MS = 5000;
const invalidCallback = (why: string) =>
  ossErrors.invalidArgument(`The callback configuration is not valid: ${why}.`, [['ArgumentName', 'x-oss-callback']]);

function decodeJson(raw: string, what: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalidCallback(`${what} is not base64-encoded JSON`);
}

/**
 * `x-oss-callback` (base64 JSON: callbackUrl, callbackBody, callbackHost, callbackBodyType) and `x-oss-callback-var`
 * (base64 JSON of `x:` variables), checked before the upload is read; undefined without a callback.
 * Shared by PutObject and CompleteMultipartUpload.
 */
export function parseUploadCallback(headers: IncomingHttpHeaders, query: QueryPairs = []): UploadCallback | undefined {
  // A presigned URL carries them as the query parameters `callback` and `callback-var` (OSS callback documentation).
  const fromQuery = headers['x-oss-callback'] === undefined;
  const raw = fromQuery ? queryValue(query, 'callback') : headers['x-oss-callback'];
  if (typeof raw !== 'string' || raw === '') return undefined;
  const doc = decodeJson(raw, 'x-oss-callback');
  const url = doc.callbackUrl;
  const body = doc.callbackBody;
  if (typeof url !== 'string' || url === '') throw invalidCallback('callbackUrl is missing');
  if (typeof body !== 'string') throw invalidCallback('callbackBody is missing');
  const urls = url
    .split(';')
    .map((u) => u.trim())
    .filter(Boolean)
    .slice(0, 5);
  for (const u of urls)
    if (!URL.canParse(/^[a-z]+:\/\//i.test(u) ? u : `http://${u}`)) throw invalidCallback(`callbackUrl ${u} is not a URL`);
  const type = doc.callbackBodyType ?? 'application/x-www-form-urlencoded';
  if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json')
    throw invalidCallback(`callbackBodyType ${String(type)} is not supported`);
  const rawVars = fromQuery ? queryValue(query, 'callback-var') : headers['x-oss-callback-var'];
  const vars: Record<string, string> = {};
  if (typeof rawVars === 'string' && rawVars !== '') {
    for (const [name, value] of Object.entries(decodeJson(rawVars, 'x-oss-callback-var'))) {
      if (name.startsWith('x:')) vars[name] = String(value);
    }
  }
  return {
    urls,
    host: typeof doc.callbackHost === 'string' && doc.callbackHost ? doc.callbackHost : undefined,
    body,
    bodyType: type,
    vars,
  };
}

/** Loopback addresses, `localhost` names, and the hosts given with --callback-allow (name or name:port). */
export function callbackHostAllowed(url: URL, allowHosts: readonly string[]): boolean {
  const hostname = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (isIP(hostname) === 4 && hostname.startsWith('127.')) return true;
  if (hostname === '::1') return true;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowHosts.includes(hostname) || allowHosts.includes(`${hostname}:${port}`);
}

/** The callback body with OSS's system variables and the `x:` variables substituted, encoded for its body type. */
export function callbackBody(cb: UploadCallback, bucket: string, row: ObjectRow): string {
  const values: Record<string, string> = {
    bucket,
    object: row.key,
    etag: row.etag.replace(/"/g, ''),
    size: String(row.size),
    mimeType: row.contentType,
    crc64: row.crc64 ?? '',
    contentMd5: Buffer.from(row.etag.replace(/"/g, ''), 'hex').toString('base64'),
    'imageInfo.height': '',
    'imageInfo.width': '',
    'imageInfo.format': '',
    ...cb.vars,
  };
  const encode = (v: string) => (cb.bodyType === 'application/json' ? JSON.stringify(v).slice(1, -1) : encodeURIComponent(v));
  return cb.body.replace(/\$\{([^}]+)\}/g, (whole, name: string) => (name in values ? encode(values[name]!) : ''));
}

/**
 * Sends the callback (POST, 5 s, first URL that answers) and answers the upload with the callback server's body, as
 * OSS does; 203 CallbackFailed (the object stays stored) when it fails, answers non-2xx, or its host is not allowed:
 * nothing leaves the machine unless --callback-allow names the host.
 */
export async function runUploadCallback(
  cb: UploadCallback,
  bucket: string,
  row: ObjectRow,
  allowHosts: readonly string[],
): Promise<OssReply> {
  const body = callbackBody(cb, bucket, row);
  let failure = 'no callback URL';
  for (const raw of cb.urls) {
    const url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
    if (!callbackHostAllowed(url, allowHosts)) {
      failure = `The callback host ${url.host} is not allowed by the emulator (loopback only; add it with --callback-allow).`;
      continue;
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': cb.bodyType, ...(cb.host && { host: cb.host }) },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      });
      const text = await res.text();
      if (res.status < 200 || res.status >= 300) {
        failure = `Error status : ${res.status}.`;
        continue;
      }
      try {
        JSON.parse(text);
      } catch {
        failure = 'Response body is not valid json format.';
        continue;
      }
      return { status: 200, headers: { etag: row.etag, 'content-type': 'application/json' }, body: text };
    } catch (err) {
      failure = `Error status : -1 ${(err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'}.`;
    }
  }
  throw ossErrors.callbackFailed(failure);
}
