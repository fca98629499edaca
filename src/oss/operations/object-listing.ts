import { queryValue } from '../wire/request-target.js';
import { type XmlChild } from '../wire/xml.js';
import type { ObjectRow } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { isoSeconds, ownerXml, parseMaxKeys } from '../wire/formats.js';
import { requireBucket, type Operation, type OperationContext, type OssReply } from '../operation.js';
import type { ListObjectsPage } from '../../store/store.js';
import { restoreHeader } from '../objects/restore-state.js';
import { isArchived } from '../objects/storage-class.js';

/** One listed object; an archived object being or having been restored carries its RestoreInfo (at `nowMs`). */
export const contents = (o: ObjectRow, encode: (s: string) => string, withOwner: boolean, nowMs?: number): XmlChild => {
  const restoreInfo = nowMs !== undefined && isArchived(o.storageClass) ? restoreHeader(o, nowMs) : undefined;
  return [
    'Contents',
    [
      ['Key', encode(o.key)],
      ['LastModified', isoSeconds(o.lastModifiedMs)],
      ['ETag', o.etag],
      ['Type', o.objectType],
      ['Size', o.size],
      ['StorageClass', o.storageClass],
      withOwner && ownerXml,
      restoreInfo !== undefined && ['RestoreInfo', restoreInfo],
    ],
  ];
};

export const prefixes = (list: string[], encode: (s: string) => string): XmlChild[] =>
  list.map((p): XmlChild => ['CommonPrefixes', [['Prefix', encode(p)]]]);

export function listParams(ctx: Parameters<Operation>[0]) {
  const encodingType = queryValue(ctx.query, 'encoding-type');
  if (encodingType !== undefined && encodingType !== '' && encodingType !== 'url') {
    throw ossErrors.invalidArgument('The encoding-type must be url.', [
      ['ArgumentName', 'encoding-type'],
      ['ArgumentValue', encodingType],
    ]);
  }
  const urlEncoded = encodingType === 'url';
  return {
    prefix: queryValue(ctx.query, 'prefix') ?? '',
    delimiter: queryValue(ctx.query, 'delimiter') ?? '',
    maxKeys: parseMaxKeys(queryValue(ctx.query, 'max-keys'), 100, 1000),
    urlEncoded,
    encode: urlEncoded ? (s: string) => encodeURIComponent(s) : (s: string) => s,
  };
}

/** What ListObjects and ListObjectsV2 say differently: where a page starts, and how it names the next one. */
export interface ListingVariant {
  /** The key the page starts after; called after the common parameters are checked (their errors come first). */
  after: () => string;
  withOwner: boolean;
  /** Elements after Prefix (the marker) and after IsTruncated (the next marker, counts). */
  elements(page: ListObjectsPage, encode: (s: string) => string): { markers: XmlChild[]; next: XmlChild[] };
}

/** The ListBucketResult both listings send: one page of objects in key order, common prefixes once. */
export function listBucketResult(ctx: OperationContext, variant: ListingVariant): OssReply {
  const bucket = requireBucket(ctx);
  const { prefix, delimiter, maxKeys, urlEncoded, encode } = listParams(ctx);
  const page = ctx.services.store.listObjects({ bucket: bucket.name, prefix, after: variant.after(), delimiter, maxKeys });
  const nowMs = ctx.services.clock.now();
  const { markers, next } = variant.elements(page, encode);
  return {
    xml: {
      root: 'ListBucketResult',
      children: [
        ['Name', bucket.name],
        ['Prefix', encode(prefix)],
        ...markers,
        ['MaxKeys', maxKeys],
        ['Delimiter', encode(delimiter)],
        urlEncoded && ['EncodingType', 'url'],
        ['IsTruncated', page.isTruncated],
        ...next,
        ...page.objects.map((o) => contents(o, encode, variant.withOwner, nowMs)),
        ...prefixes(page.commonPrefixes, encode),
      ],
    },
  };
}
