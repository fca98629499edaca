import { parseUploadCallback, runUploadCallback } from '../callback/upload-callback.js';
import { encryptionOf } from '../objects/server-side-encryption.js';
import type { PartRow } from '../../store/rows.js';
import { createHash } from 'node:crypto';
import { crc64Combine } from '../../store/crc64.js';
import { ossErrors } from '../wire/errors.js';
import { queryValue } from '../wire/request-target.js';
import { childNode, childText, parseXmlBody, type XmlNode } from '../wire/xml.js';
import { requireBucket, type Operation, type OperationContext } from '../operation.js';
import { MIN_PART_BYTES, multipartEtag, requireUpload, sameEtag } from '../multipart/upload-lookup.js';
import { forbidsOverwrite } from './object-metadata.js';

const MAX_COMPLETE_BODY = 4 * 1024 * 1024;

/** The <Part> list of the request, checked the way OSS checks it: ascending numbers, known parts, matching ETags. */
function chosenParts(ctx: OperationContext, body: Buffer, uploaded: PartRow[]): PartRow[] {
  if (String(ctx.headers['x-oss-complete-all'] ?? '').toLowerCase() === 'yes') {
    if (body.length > 0) throw ossErrors.invalidArgument('Should not specify both complete all header and http body.');
    return uploaded;
  }
  const root = parseXmlBody(body, 'CompleteMultipartUpload');
  const nodes = childNode(root, 'Part');
  const list: XmlNode[] = nodes === undefined ? [] : Array.isArray(nodes) ? nodes : [nodes];
  if (list.length === 0) throw ossErrors.malformedXml();
  const byNumber = new Map(uploaded.map((p) => [p.partNumber, p]));
  const chosen: PartRow[] = [];
  let previous = 0;
  for (const node of list) {
    const rawNumber = childText(node, 'PartNumber');
    const etag = childText(node, 'ETag') ?? '';
    if (rawNumber === undefined || !/^\d+$/.test(rawNumber)) throw ossErrors.malformedXml();
    const number = Number(rawNumber);
    if (number <= previous) throw ossErrors.invalidPartOrder();
    previous = number;
    const part = byNumber.get(number);
    if (!part || !sameEtag(part.etag, etag)) throw ossErrors.invalidPart(number, etag);
    chosen.push(part);
  }
  return chosen;
}

/** Base64 MD5 of a stream's bytes. */
async function contentMd5(bytes: AsyncIterable<Buffer>): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of bytes) hash.update(chunk);
  return hash.digest('base64');
}

/**
 * POST /key?uploadId=: makes the object from the listed parts (or every part with `x-oss-complete-all: yes`).
 * No byte is copied: the part files become the object's extents in one transaction. With `x-oss-callback` the answer
 * is the callback server's, or 203 CallbackFailed with the object completed all the same, as for PutObject.
 */
export const completeMultipartUpload: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx, bucket);
  const { store, clock } = ctx.services;
  const callback = parseUploadCallback(ctx.headers, ctx.query);
  const body = await ctx.readBody(MAX_COMPLETE_BODY);
  const chosen = chosenParts(ctx, body, store.uploads.allParts(upload.uploadId));
  if (chosen.length === 0) throw ossErrors.invalidPart(0, '');
  chosen.forEach((p, i) => {
    if (i < chosen.length - 1 && p.size < MIN_PART_BYTES) throw ossErrors.entityTooSmall(p.partNumber, p.size, MIN_PART_BYTES);
  });
  let crc64: string | undefined = chosen[0]!.crc64;
  for (const p of chosen.slice(1)) crc64 = crc64 === undefined || p.crc64 === undefined ? undefined : crc64Combine(crc64, p.crc64, p.size);
  const forbid = forbidsOverwrite(ctx.headers);
  const { sequential, ...meta } = upload.meta;
  // A sequential upload's object carries the whole content's MD5 (OSS computes it as the parts arrive in order).
  if (sequential) meta.headers = { ...meta.headers, 'content-md5': await contentMd5(store.uploads.openParts(chosen)) };
  const row = store.uploads.complete(
    upload,
    chosen,
    { etag: multipartEtag(chosen), crc64 },
    { ...meta, lastModifiedMs: clock.now(), objectType: 'Multipart' },
    (current) => {
      if (forbid && current) throw ossErrors.fileAlreadyExists();
    },
  );
  if (!row) throw ossErrors.noSuchUpload(upload.uploadId);
  if (callback) return runUploadCallback(callback, bucket.name, row, ctx.services.config.callbackAllowHosts);
  const urlEncoded = queryValue(ctx.query, 'encoding-type') === 'url';
  const encode = urlEncoded ? encodeURIComponent : (s: string) => s;
  const location = ctx.pathStyle
    ? `http://${ctx.publicHost}/${bucket.name}/${encodeURIComponent(upload.key)}`
    : `http://${bucket.name}.${ctx.publicHost}/${encodeURIComponent(upload.key)}`;
  return {
    headers: { etag: row.etag, ...(row.crc64 !== undefined && { 'x-oss-hash-crc64ecma': row.crc64 }), ...encryptionOf(row.headers) },
    xml: {
      root: 'CompleteMultipartUploadResult',
      children: [
        urlEncoded && ['EncodingType', 'url'],
        ['Location', location],
        ['Bucket', bucket.name],
        ['Key', encode(upload.key)],
        ['ETag', row.etag],
      ],
    },
  };
};
