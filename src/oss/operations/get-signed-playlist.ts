import { createHash } from 'node:crypto';
import { text as readText } from 'node:stream/consumers';
import { presignV1Query } from '../../auth/signature-v1.js';
import { M3U8_CONTENT_TYPE } from '../../media/hls/m3u8.js';
import { etagOf } from '../../store/store.js';
import { encodeKey } from '../live-channel/channel-urls.js';
import type { Operation, OperationContext } from '../operation.js';
import { OssError, ossErrors } from '../wire/errors.js';
import { queryValue } from '../wire/request-target.js';
import { existingObject } from './get-object.js';

/** OSS's EC for hls/sign signed in the Authorization header instead of the URL. */
const EC_NOT_URL_SIGNED = '0044-00000410';

/** Unix seconds until which the request's own URL signature is valid (V1 `Expires`, V4 `x-oss-date` + `x-oss-expires`). */
function urlSignatureExpiry(ctx: OperationContext): number | undefined {
  const v1 = queryValue(ctx.query, 'Expires');
  if (queryValue(ctx.query, 'Signature') !== undefined && v1 !== undefined && /^\d+$/.test(v1)) return Number(v1);
  const date = queryValue(ctx.query, 'x-oss-date');
  if (queryValue(ctx.query, 'x-oss-signature') === undefined || !date) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) return undefined;
  const startSec = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  return startSec + Number(queryValue(ctx.query, 'x-oss-expires') ?? '3600');
}

/**
 * GetSignedPlaylist (`GET <playlist>.m3u8?x-oss-process=hls/sign` on a URL-signed request): the playlist with every
 * segment URI signed (V1, same key and expiry as the request), so a player can play a private bucket's stream from
 * one presigned URL; a live playlist is re-signed on every poll.
 */
export const getSignedPlaylist: Operation = async (ctx) => {
  const row = existingObject(ctx);
  if (!ctx.key.toLowerCase().endsWith('.m3u8')) {
    throw ossErrors.invalidArgument('hls/sign applies to M3U8 playlists only.', [
      ['ArgumentName', 'x-oss-process'],
      ['ArgumentValue', 'hls/sign'],
    ]);
  }
  const principal = ctx.principal;
  const expires = urlSignatureExpiry(ctx);
  const credential =
    principal.kind === 'user' ? ctx.services.config.credentials.find((c) => c.accessKeyId === principal.accessKeyId) : undefined;
  if (ctx.services.config.auth && (expires === undefined || !credential)) {
    throw new OssError(
      403,
      'AccessDenied',
      'GetSignedPlaylist needs the signature in the URL (OSSAccessKeyId, Expires, Signature).',
      [],
      EC_NOT_URL_SIGNED,
    );
  }
  const bucket = row.bucket;
  const base = new URL(`http://playlist/${encodeKey(row.key)}`);
  const text = await readText(ctx.services.store.openObject(row));
  const lines = text.split('\n').map((line) => {
    const uri = line.trim();
    if (uri === '' || uri.startsWith('#') || uri.includes('?') || /^[a-z][a-z0-9+.-]*:/i.test(uri) || !credential || expires === undefined)
      return line;
    const resolved = new URL(uri, base);
    if (resolved.host !== 'playlist') return line;
    const key = decodeURIComponent(resolved.pathname.slice(1));
    return `${uri}?${presignV1Query({ ...credential, method: 'GET', bucket, key, expires })}`;
  });
  const body = Buffer.from(lines.join('\n'), 'utf8');
  return {
    headers: { 'content-type': M3U8_CONTENT_TYPE, etag: etagOf(createHash('md5').update(body).digest()), 'cache-control': 'no-cache' },
    body,
  };
};
