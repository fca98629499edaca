import { queryValue } from '../wire/request-target.js';
import { ossErrors } from '../wire/errors.js';
import { requireBucket, type Operation } from '../operation.js';
import { contents, prefixes, listParams } from './object-listing.js';

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

export const listObjectsV2: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const p = listParams(ctx);
  const token = queryValue(ctx.query, 'continuation-token');
  const startAfter = queryValue(ctx.query, 'start-after') ?? '';
  const after = token ? keyOfToken(token) : startAfter;
  const fetchOwner = queryValue(ctx.query, 'fetch-owner') === 'true';
  const page = ctx.services.store.listObjects({ bucket: bucket.name, prefix: p.prefix, after, delimiter: p.delimiter, maxKeys: p.maxKeys });
  return {
    xml: {
      root: 'ListBucketResult',
      children: [
        ['Name', bucket.name],
        ['Prefix', p.encode(p.prefix)],
        startAfter !== '' && ['StartAfter', p.encode(startAfter)],
        token !== undefined && ['ContinuationToken', token],
        ['MaxKeys', p.maxKeys],
        ['Delimiter', p.encode(p.delimiter)],
        p.urlEncoded && ['EncodingType', 'url'],
        ['IsTruncated', page.isTruncated],
        page.nextMarker !== undefined && ['NextContinuationToken', tokenOf(page.nextMarker)],
        ['KeyCount', page.objects.length + page.commonPrefixes.length],
        ...page.objects.map((o) => contents(o, p.encode, fetchOwner, ctx.services.clock.now())),
        ...prefixes(page.commonPrefixes, p.encode),
      ],
    },
  };
};
