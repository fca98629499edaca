import type { Operation } from '../operation.js';
import { existingObject } from './get-object.js';

/** DELETE /key?tagging: removes every tag of the object (204). */
export const deleteObjectTagging: Operation = (ctx) => {
  const row = existingObject(ctx);
  ctx.services.store.setObjectTags(row.bucket, row.key, []);
  return { status: 204 };
};
