import { queryValue } from '../wire/request-target.js';
import type { Operation } from '../operation.js';
import { listBucketResult } from './object-listing.js';

/** GET /: ListObjects (V1), paged by `marker`. */
export const listObjects: Operation = (ctx) => {
  const marker = queryValue(ctx.query, 'marker') ?? '';
  return listBucketResult(ctx, {
    after: () => marker,
    withOwner: true,
    elements: (page, encode) => ({
      markers: [['Marker', encode(marker)]],
      next: [page.nextMarker !== undefined && ['NextMarker', encode(page.nextMarker)]],
    }),
  });
};
