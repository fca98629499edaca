import { queryValue } from '../wire/request-target.js';
import { childNode, childText, parseXmlBody, type XmlChild, type XmlNode } from '../wire/xml.js';
import { ossErrors } from '../wire/errors.js';
import { requireBucket, type Operation } from '../operation.js';
import { checkBodyMd5 } from './object-metadata.js';
import { authorizeObjectWrites } from '../access.js';

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
  authorizeObjectWrites(ctx.operation, ctx.principal, bucket, keys, ctx.services.store);
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
