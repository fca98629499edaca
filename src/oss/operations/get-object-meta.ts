import { httpDate } from '../wire/formats.js';
import type { Operation } from '../operation.js';
import { existingObject } from './get-object.js';

export const getObjectMeta: Operation = (ctx) => {
  const row = existingObject(ctx);
  return {
    headers: {
      etag: row.etag,
      'content-length': row.size,
      'last-modified': httpDate(row.lastModifiedMs),
      'x-oss-object-type': row.objectType,
    },
  };
};
