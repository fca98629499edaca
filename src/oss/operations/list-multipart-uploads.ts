import type { XmlChild } from '../wire/xml.js';
import { isoSeconds, parseMaxKeys } from '../wire/formats.js';
import { queryValue } from '../wire/request-target.js';
import { requireBucket, type Operation } from '../operation.js';
import { listParams } from './object-listing.js';

/** GET /?uploads: multipart uploads in progress, by key then upload id (prefix, delimiter, markers, max-uploads). */
export const listMultipartUploads: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const { prefix, delimiter, urlEncoded, encode } = listParams(ctx);
  const keyMarker = queryValue(ctx.query, 'key-marker') ?? '';
  // Without key-marker, upload-id-marker is ignored (as in OSS and S3).
  const uploadIdMarker = keyMarker ? (queryValue(ctx.query, 'upload-id-marker') ?? '') : '';
  const maxUploads = parseMaxKeys(queryValue(ctx.query, 'max-uploads'), 1000, 1000, 'max-uploads');
  const page = ctx.services.store.uploads.list({ bucket: bucket.name, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads });
  return {
    xml: {
      root: 'ListMultipartUploadsResult',
      children: [
        ['Bucket', bucket.name],
        urlEncoded && ['EncodingType', 'url'],
        ['KeyMarker', encode(keyMarker)],
        ['UploadIdMarker', uploadIdMarker],
        ['NextKeyMarker', encode(page.nextKeyMarker)],
        ['NextUploadIdMarker', page.nextUploadIdMarker],
        ['Delimiter', encode(delimiter)],
        ['Prefix', encode(prefix)],
        ['MaxUploads', maxUploads],
        ['IsTruncated', page.isTruncated],
        ...page.uploads.map((u): XmlChild => [
          'Upload',
          [
            ['Key', encode(u.key)],
            ['UploadId', u.uploadId],
            ['StorageClass', u.meta.storageClass],
            ['Initiated', isoSeconds(u.initiatedMs)],
          ],
        ]),
        ...page.commonPrefixes.map((p): XmlChild => ['CommonPrefixes', [['Prefix', encode(p)]]]),
      ],
    },
  };
};
