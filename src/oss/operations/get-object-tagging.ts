import { taggingXml } from '../tagging/tagging.js';
import type { Operation } from '../operation.js';
import { existingObject } from './get-object.js';

/** GET /key?tagging: the object's tags (an empty TagSet when it has none). */
export const getObjectTagging: Operation = (ctx) => {
  const row = existingObject(ctx);
  return { xml: { root: 'Tagging', children: taggingXml(row.tags) } };
};
