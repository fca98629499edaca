import { OBJECT_TAG_LIMITS, parseTaggingXml } from '../tagging/tagging.js';
import { CONFIG_BODY_MAX_BYTES } from '../bucket-config-docs.js';
import type { Operation } from '../operation.js';
import { ossErrors } from '../wire/errors.js';
import { existingObject } from './get-object.js';

/** PUT /key?tagging: replaces the object's tags (at most 10). */
export const putObjectTagging: Operation = async (ctx) => {
  const row = existingObject(ctx);
  const tags = parseTaggingXml(await ctx.readBody(CONFIG_BODY_MAX_BYTES), OBJECT_TAG_LIMITS);
  if (!ctx.services.store.setObjectTags(row.bucket, row.key, tags)) throw ossErrors.noSuchKey(ctx.key);
  return {};
};
