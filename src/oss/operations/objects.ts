import { queryValue } from '../../http/request-target.js';
import { childNode, childText, parseXmlBody, type XmlChild, type XmlNode } from '../../http/xml.js';
import type { ObjectRow } from '../../store/rows.js';
import { ossErrors } from '../errors.js';
import { isoSeconds, ownerXml, parseMaxKeys } from '../formats.js';
import { requireBucket, type Operation } from '../operation.js';
import { checkBodyMd5, parseObjectAcl } from './object-metadata.js';

export const deleteObject: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.store.deleteObject(bucket.name, ctx.key);
  return { status: 204 };
};

const MAX_DELETE_KEYS = 1000;

export const deleteMultipleObjects: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  const body = await ctx.readBody(2 * 1024 * 1024);
  checkBodyMd5(ctx.headers, body);
  const root = parseXmlBody(body, 'Delete');
  const quiet = (childText(root, 'Quiet') ?? 'false').toLowerCase() === 'true';
  const objects = childNode(root, 'Object');
  const list: XmlNode[] = objects === undefined ? [] : Array.isArray(objects) ? objects : [objects];
  if (list.length === 0 || list.length > MAX_DELETE_KEYS) throw ossErrors.malformedXml();
  const keys = list.map((o) => {
    const key = childText(o, 'Key');
    if (!key) throw ossErrors.malformedXml();
    return key;
  });
  const encode = queryValue(ctx.query, 'encoding-type') === 'url';
  for (const key of keys) ctx.services.store.deleteObject(bucket.name, key);
  return {
    xml: {
      root: 'DeleteResult',
      children: [
        encode && ['EncodingType', 'url'],
        ...(quiet ? [] : keys.map((k): XmlChild => ['Deleted', [['Key', encode ? encodeURIComponent(k) : k]]])),
      ],
    },
  };
};

export const putObjectAcl: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const { store } = ctx.services;
  if (!store.getObject(bucket.name, ctx.key)) throw ossErrors.noSuchKey(ctx.key);
  store.setObjectAcl(bucket.name, ctx.key, parseObjectAcl(ctx.headers['x-oss-object-acl'] as string | undefined));
  return {};
};

export const getObjectAcl: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const row = ctx.services.store.getObject(bucket.name, ctx.key);
  if (!row) throw ossErrors.noSuchKey(ctx.key);
  return { xml: { root: 'AccessControlPolicy', children: [ownerXml, ['AccessControlList', [['Grant', row.acl]]]] } };
};

const contents = (o: ObjectRow, encode: (s: string) => string, withOwner: boolean): XmlChild => [
  'Contents',
  [
    ['Key', encode(o.key)],
    ['LastModified', isoSeconds(o.lastModifiedMs)],
    ['ETag', o.etag],
    ['Type', 'Normal'],
    ['Size', o.size],
    ['StorageClass', 'Standard'],
    withOwner && ownerXml,
  ],
];

const prefixes = (list: string[], encode: (s: string) => string): XmlChild[] =>
  list.map((p): XmlChild => ['CommonPrefixes', [['Prefix', encode(p)]]]);

function listParams(ctx: Parameters<Operation>[0]) {
  const encodingType = queryValue(ctx.query, 'encoding-type');
  if (encodingType !== undefined && encodingType !== '' && encodingType !== 'url') {
    throw ossErrors.invalidArgument('The encoding-type must be url.', [['ArgumentName', 'encoding-type'], ['ArgumentValue', encodingType]]);
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

export const listObjects: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const p = listParams(ctx);
  const marker = queryValue(ctx.query, 'marker') ?? '';
  const page = ctx.services.store.listObjects({ bucket: bucket.name, prefix: p.prefix, after: marker, delimiter: p.delimiter, maxKeys: p.maxKeys });
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
        ...page.objects.map((o) => contents(o, p.encode, true)),
        ...prefixes(page.commonPrefixes, p.encode),
      ],
    },
  };
};

const tokenOf = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
function keyOfToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (tokenOf(key) !== token) throw ossErrors.invalidArgument('The continuation token provided is incorrect.', [['ArgumentName', 'continuation-token'], ['ArgumentValue', token]]);
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
        ...page.objects.map((o) => contents(o, p.encode, fetchOwner)),
        ...prefixes(page.commonPrefixes, p.encode),
      ],
    },
  };
};
