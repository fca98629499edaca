import { queryValue } from '../wire/request-target.js';
import { requireBucket, type Operation } from '../operation.js';
import { contents, prefixes, listParams } from './object-listing.js';

export const listObjects: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const p = listParams(ctx);
  const marker = queryValue(ctx.query, 'marker') ?? '';
  const page = ctx.services.store.listObjects({
    bucket: bucket.name,
    prefix: p.prefix,
    after: marker,
    delimiter: p.delimiter,
    maxKeys: p.maxKeys,
  });
  return {
    xml: {
      root: 'ListBucketResult',
      children: [
        ['Name', bucket.name],
        ['Prefix', p.encode(p.prefix)],
        ['Marker', p.encode(marker)],
        ['MaxKeys', p.maxKeys],
        ['Delimiter', p.encode(p.delimiter)],
        p.urlEncoded && ['EncodingType', 'url'],
        ['IsTruncated', page.isTruncated],
        page.nextMarker !== undefined && ['NextMarker', p.encode(page.nextMarker)],
        ...page.objects.map((o) => contents(o, p.encode, true, ctx.services.clock.now())),
        ...prefixes(page.commonPrefixes, p.encode),
      ],
    },
  };
};
