import { queryValue } from '../wire/request-target.js';
import { ossErrors } from '../wire/errors.js';
import type { Operation } from '../operation.js';
import { listBucketResult } from './object-listing.js';

const tokenOf = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
function keyOfToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (tokenOf(key) !== token)
    throw ossErrors.invalidArgument('The continuation token provided is incorrect.', [
      ['ArgumentName', 'continuation-token'],
      ['ArgumentValue', token],
    ]);
  return key;
}

/** GET /?list-type=2: ListObjectsV2, paged by an opaque continuation token (or from `start-after`). */
export const listObjectsV2: Operation = (ctx) => {
  const token = queryValue(ctx.query, 'continuation-token');
  const startAfter = queryValue(ctx.query, 'start-after') ?? '';
  return listBucketResult(ctx, {
    after: () => (token ? keyOfToken(token) : startAfter),
    withOwner: queryValue(ctx.query, 'fetch-owner') === 'true',
    elements: (page, encode) => ({
      markers: [startAfter !== '' && ['StartAfter', encode(startAfter)], token !== undefined && ['ContinuationToken', token]],
      next: [
        page.nextMarker !== undefined && ['NextContinuationToken', tokenOf(page.nextMarker)],
        ['KeyCount', page.objects.length + page.commonPrefixes.length],
      ],
    }),
  });
};
