import { queryValue } from '../wire/request-target.js';
import { type XmlChild } from '../wire/xml.js';
import type { ObjectRow } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { isoSeconds, ownerXml, parseMaxKeys } from '../wire/formats.js';
import { type Operation } from '../operation.js';
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
