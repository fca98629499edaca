import { hasQuery, queryValue } from '../wire/request-target.js';
import { type XmlChild } from '../wire/xml.js';
import { LOCATION, REGION, isoSeconds, ownerXml, parseMaxKeys } from '../wire/formats.js';
import { type Operation } from '../operation.js';
import { endpoints } from './bucket-endpoints.js';

export const listBuckets: Operation = (ctx) => {
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const marker = queryValue(ctx.query, 'marker') ?? '';
  const paged = hasQuery(ctx.query, 'max-keys') && queryValue(ctx.query, 'max-keys') !== '';
  const maxKeys = parseMaxKeys(queryValue(ctx.query, 'max-keys'), 1000, 1000);
  const matching = ctx.services.store.listBuckets(marker).filter((b) => b.name.startsWith(prefix));
  const page = matching.slice(0, maxKeys);
  const truncated = matching.length > maxKeys;
  return {
    xml: {
      root: 'ListAllMyBucketsResult',
      children: [
        (prefix !== '' || marker !== '' || paged) && ['Prefix', prefix],
        (prefix !== '' || marker !== '' || paged) && ['Marker', marker],
        paged && ['MaxKeys', maxKeys],
        (prefix !== '' || marker !== '' || paged) && ['IsTruncated', truncated],
        truncated && ['NextMarker', page[page.length - 1]!.name],
        ownerXml,
        [
          'Buckets',
          page.map((b): XmlChild => [
            'Bucket',
            [
              ['CreationDate', isoSeconds(b.createdMs)],
              ...endpoints(ctx, b.name),
              ['Location', LOCATION],
              ['Name', b.name],
              ['Region', REGION],
              ['StorageClass', b.storageClass],
            ],
          ]),
        ],
      ],
    },
  };
};
