import { encodeKey } from '../live-channel/channel-urls.js';
import type { Operation } from '../operation.js';
import { ossErrors } from '../wire/errors.js';
import { httpDate } from '../wire/formats.js';
import { existingObject } from './get-object.js';

/** GET /key?symlink: the target in `x-oss-symlink-target` (URL-encoded), with the symlink's ETag and metadata. */
export const getSymlink: Operation = (ctx) => {
  const row = existingObject(ctx);
  if (row.objectType !== 'Symlink') throw ossErrors.notSymlink();
  return {
    headers: {
      'x-oss-symlink-target': encodeKey(row.symlinkTarget ?? ''),
      etag: row.etag,
      'last-modified': httpDate(row.lastModifiedMs),
      ...Object.fromEntries(Object.entries(row.headers).filter(([name]) => name.startsWith('x-oss-meta-'))),
    },
  };
};
