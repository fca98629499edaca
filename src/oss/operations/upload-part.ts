import { etagOf } from '../../store/store.js';
import { ossErrors } from '../wire/errors.js';
import { isoSeconds } from '../wire/formats.js';
import { queryValue } from '../wire/request-target.js';
import { requireBucket, type Operation, type OperationContext, type OssReply } from '../operation.js';
import { checkCopyConditions, parseCopySource, readableSource } from '../objects/copy-source.js';
import { MAX_PART_BYTES, parsePartNumber, requireUpload } from '../multipart/upload-lookup.js';
import { expectedMd5 } from './object-metadata.js';
import { parseRange } from './get-object.js';

/**
 * PUT /key?partNumber=&uploadId=: stores one part (streamed to a durable file, MD5 and CRC64 computed as the bytes
 * arrive). With x-oss-copy-source it is UploadPartCopy: the part's bytes come from an existing object (optionally a
 * x-oss-copy-source-range), streamed, never held in memory.
 */
export const uploadPart: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  const partNumber = parsePartNumber(queryValue(ctx.query, 'partNumber'));
  const upload = requireUpload(ctx, bucket);
  if (ctx.headers['x-oss-copy-source'] !== undefined) return uploadPartCopy(ctx, upload.uploadId, partNumber);
  const { store, clock } = ctx.services;
  const md5 = expectedMd5(ctx.headers);
  const written = await store.stageStream(ctx.bodyStream, MAX_PART_BYTES, () => ossErrors.entityTooLarge(MAX_PART_BYTES));
  if (md5 && !written.md5.equals(md5)) {
    store.removeFiles([written.file]);
    throw ossErrors.badDigest();
  }
  const part = store.uploads.recordPart(upload.uploadId, partNumber, written, etagOf(written.md5), clock.now());
  if (!part) throw ossErrors.noSuchUpload(upload.uploadId);
  return {
    headers: {
      etag: part.etag,
      'content-md5': written.md5.toString('base64'),
      ...(part.crc64 !== undefined && { 'x-oss-hash-crc64ecma': part.crc64 }),
    },
  };
};

async function uploadPartCopy(ctx: OperationContext, uploadId: string, partNumber: number): Promise<OssReply> {
  const { store, clock } = ctx.services;
  const source = readableSource(ctx, parseCopySource(String(ctx.headers['x-oss-copy-source']), '0042-00000301'));
  const notModified = checkCopyConditions(ctx.headers, source);
  if (notModified) return notModified;
  const rangeHeader = ctx.headers['x-oss-copy-source-range'];
  const range = source.size === 0 ? undefined : parseRange(typeof rangeHeader === 'string' ? rangeHeader : undefined, source.size);
  const span = range ?? { start: 0, end: source.size - 1 };
  const written = await store.stageStream(store.openObject(source, span), MAX_PART_BYTES, () => ossErrors.entityTooLarge(MAX_PART_BYTES));
  const part = store.uploads.recordPart(uploadId, partNumber, written, etagOf(written.md5), clock.now());
  if (!part) throw ossErrors.noSuchUpload(uploadId);
  return {
    // ali-oss's uploadPartCopy reads the ETag header, oss2 and Go the XML.
    headers: { etag: part.etag, ...(part.crc64 !== undefined && { 'x-oss-hash-crc64ecma': part.crc64 }) },
    xml: {
      root: 'CopyPartResult',
      children: [
        ['LastModified', isoSeconds(part.lastModifiedMs)],
        ['ETag', part.etag],
      ],
    },
  };
}
