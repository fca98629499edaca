import type { XmlChild } from '../wire/xml.js';
import { ossErrors } from '../wire/errors.js';
import { isoSeconds, parseMaxKeys } from '../wire/formats.js';
import { queryValue } from '../wire/request-target.js';
import { requireBucket, type Operation } from '../operation.js';
import { requireUpload } from '../multipart/upload-lookup.js';

/** GET /key?uploadId=: the parts uploaded so far, by number (part-number-marker, max-parts). */
export const listParts: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx, bucket);
  const maxParts = parseMaxKeys(queryValue(ctx.query, 'max-parts'), 1000, 1000, 'max-parts');
  const rawMarker = queryValue(ctx.query, 'part-number-marker') ?? '';
  if (rawMarker !== '' && !/^\d+$/.test(rawMarker)) {
    throw ossErrors.invalidArgument('Invalid part-number-marker.', [
      ['ArgumentName', 'part-number-marker'],
      ['ArgumentValue', rawMarker],
    ]);
  }
  const marker = rawMarker === '' ? 0 : Number(rawMarker);
  const found = ctx.services.store.uploads.listParts(upload.uploadId, marker, maxParts + 1);
  const isTruncated = found.length > maxParts;
  const parts = found.slice(0, maxParts);
  const urlEncoded = queryValue(ctx.query, 'encoding-type') === 'url';
  return {
    xml: {
      root: 'ListPartsResult',
      children: [
        urlEncoded && ['EncodingType', 'url'],
        ['Bucket', bucket.name],
        ['Key', urlEncoded ? encodeURIComponent(upload.key) : upload.key],
        ['UploadId', upload.uploadId],
        ['StorageClass', upload.meta.storageClass],
        ['PartNumberMarker', marker],
        ['NextPartNumberMarker', parts.length > 0 ? parts[parts.length - 1]!.partNumber : marker],
        ['MaxParts', maxParts],
        ['IsTruncated', isTruncated],
        ...parts.map((p): XmlChild => [
          'Part',
          [
            ['PartNumber', p.partNumber],
            ['LastModified', isoSeconds(p.lastModifiedMs)],
            ['ETag', p.etag],
            p.crc64 !== undefined && ['HashCrc64ecma', p.crc64],
            ['Size', p.size],
          ],
        ]),
      ],
    },
  };
};
