import type { IncomingHttpHeaders } from 'node:http';
import type { ObjectTags } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { childNode, childNodes, childText, parseXmlBody, type XmlChild } from '../wire/xml.js';

export type { ObjectTags };

/** Tag limits: objects (PutObjectTagging, x-oss-tagging) and buckets (PutBucketTags) differ. */
export interface TagLimits {
  maxTags: number;
  maxKeyBytes: number;
  maxValueBytes: number;
  what: 'object' | 'bucket';
}

export const OBJECT_TAG_LIMITS: TagLimits = { maxTags: 10, maxKeyBytes: 128, maxValueBytes: 256, what: 'object' };
export const BUCKET_TAG_LIMITS: TagLimits = { maxTags: 20, maxKeyBytes: 64, maxValueBytes: 128, what: 'bucket' };

/**
 * Object tags: letters and digits of any script, space and + - = . _ : / (what OSS and the SDKs' own checks allow).
 * Bucket tags take any character (oss2's test_bucket_tagging puts `%@abc` and `++123%` on real OSS).
 */
const OBJECT_TAG_CHARS = /^[\p{L}\p{N} +\-=._:/]*$/u;
const ANY_CHARS = /^/;

/** True when `text` uses only the characters an object tag key or value may hold. */
export const isObjectTagText = (text: string): boolean => OBJECT_TAG_CHARS.test(text);

/** Refuses a tag set OSS would refuse: too many tags, an empty/long/invalid key, a long/invalid value, a repeated key. */
export function validateTags(tags: ObjectTags, limits: TagLimits): ObjectTags {
  if (tags.length > limits.maxTags) {
    throw ossErrors.badRequest(`${limits.what === 'object' ? 'Object' : 'Bucket'} tags cannot be greater than ${limits.maxTags}`);
  }
  const seen = new Set<string>();
  const TAG_CHARS = limits.what === 'object' ? OBJECT_TAG_CHARS : ANY_CHARS;
  for (const [key, value] of tags) {
    if (key === '' || Buffer.byteLength(key) > limits.maxKeyBytes || !TAG_CHARS.test(key)) {
      throw ossErrors.invalidTag(`The TagKey you have provided is invalid: ${key}`);
    }
    if (Buffer.byteLength(value) > limits.maxValueBytes || !TAG_CHARS.test(value)) {
      throw ossErrors.invalidTag(`The TagValue you have provided is invalid: ${value}`);
    }
    if (seen.has(key)) throw ossErrors.invalidTag(`Cannot provide multiple Tags with the same key: ${key}`);
    seen.add(key);
  }
  return tags;
}

/**
 * `x-oss-tagging: k1=v1&k2=v2` (URL-encoded keys and values, `+` is a literal plus as the SDKs encode it), on PutObject,
 * PutSymlink, CopyObject (with `x-oss-tagging-directive: REPLACE`), InitiateMultipartUpload and the first AppendObject.
 * Undefined when the header is absent. Shared with the object-api operations.
 */
export function parseTaggingHeader(headers: IncomingHttpHeaders): ObjectTags | undefined {
  const raw = headers['x-oss-tagging'];
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw.join('&') : raw;
  const tags: Array<readonly [string, string]> = [];
  for (const part of value.split('&')) {
    if (part === '') continue;
    const pieces = part.split('=');
    if (pieces.length > 2)
      throw ossErrors.invalidArgument('The x-oss-tagging header is invalid: each tag is key or key=value.', [
        ['ArgumentName', 'x-oss-tagging'],
        ['ArgumentValue', value],
      ]);
    try {
      tags.push([decodeURIComponent(pieces[0]!), decodeURIComponent(pieces[1] ?? '')]);
    } catch {
      throw ossErrors.invalidArgument('The x-oss-tagging header is not valid URL encoding.', [
        ['ArgumentName', 'x-oss-tagging'],
        ['ArgumentValue', value],
      ]);
    }
  }
  return validateTags(tags, OBJECT_TAG_LIMITS);
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` (PutObjectTagging, PutBucketTags). */
export function parseTaggingXml(body: Buffer, limits: TagLimits): ObjectTags {
  const root = parseXmlBody(body, 'Tagging');
  const tagSet = typeof root === 'string' ? undefined : childNode(root, 'TagSet');
  if (tagSet === undefined || Array.isArray(tagSet)) throw ossErrors.malformedXml();
  const tags = childNodes(tagSet, 'Tag').map((tag): readonly [string, string] => {
    const key = childText(tag, 'Key');
    if (key === undefined) throw ossErrors.malformedXml();
    return [key, childText(tag, 'Value') ?? ''];
  });
  return validateTags(tags, limits);
}

/** The children of `<Tagging>` for GetObjectTagging / GetBucketTags. */
export function taggingXml(tags: ObjectTags): XmlChild[] {
  return [
    [
      'TagSet',
      tags.map(([key, value]): XmlChild => [
        'Tag',
        [
          ['Key', key],
          ['Value', value],
        ],
      ]),
    ],
  ];
}
