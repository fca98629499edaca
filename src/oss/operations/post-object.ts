import type { IncomingHttpHeaders } from 'node:http';
import { Transform } from 'node:stream';
import { Credentials } from '../../auth/credentials.js';
import { verifyPostPolicySignature } from '../../auth/post-policy-signature.js';
import { storageClassOf } from '../objects/storage-class.js';
import { requireBucket, type Operation } from '../operation.js';
import { formBoundary, readUploadForm } from '../post-object/form-data.js';
import { checkPostPolicy, parsePostPolicy, sizeRange } from '../post-object/post-policy.js';
import { parseTaggingHeader } from '../tagging/tagging.js';
import { ossErrors } from '../wire/errors.js';
import { contentTypeFor, parseObjectAcl, storedHeaders } from './object-metadata.js';
import { MAX_OBJECT_BYTES } from './put-object.js';

const MAX_FIELD_BYTES = 1024 * 1024;
/** Form fields that become object headers, as on PutObject. */
const HEADER_FIELDS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
  'x-oss-object-acl',
  'x-oss-forbid-overwrite',
  'x-oss-storage-class',
  'x-oss-tagging',
];

/**
 * PostObject: a browser form upload (multipart/form-data, `file` last). Signed by the policy (V1 `OSSAccessKeyId` +
 * `Signature`, or V4 `x-oss-*` fields) and checked against its conditions, or anonymous on a public-read-write bucket.
 * Answers 204 (or `success_action_status` 200/201, or a 303 to `success_action_redirect`).
 */
export const postObject: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  const boundary = formBoundary(ctx.headers['content-type']);
  if (!boundary)
    throw ossErrors.invalidArgument('PostObject needs a multipart/form-data body.', [
      ['ArgumentName', 'Content-Type'],
      ['ArgumentValue', String(ctx.headers['content-type'] ?? '')],
    ]);
  const { store, clock, config } = ctx.services;
  const form = await readUploadForm(ctx.bodyStream, boundary, MAX_FIELD_BYTES);
  const fields = new Map(form.fields);
  fields.set('bucket', bucket.name);

  const signer = config.auth ? verifyPostPolicySignature(fields, new Credentials([...config.credentials])) : 'auth-off';
  if (signer === undefined && bucket.acl !== 'public-read-write') {
    throw ossErrors.accessDenied('You have no right to access this object because of bucket acl.');
  }
  const policyField = fields.get('policy');
  const policy = policyField === undefined ? undefined : parsePostPolicy(policyField);
  if (policy) checkPostPolicy(policy, fields, clock.now());

  const rawKey = fields.get('key');
  if (!rawKey)
    throw ossErrors.invalidArgument('The form has no key field.', [
      ['ArgumentName', 'key'],
      ['ArgumentValue', ''],
    ]);
  const key = rawKey.replaceAll('${filename}', form.file.filename);
  if (Buffer.byteLength(key) > 1023) throw ossErrors.invalidObjectName(key.slice(0, 64));

  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of fields) if (name.startsWith('x-oss-meta-') || HEADER_FIELDS.includes(name)) headers[name] = value;
  const contentType = fields.get('content-type') ?? form.file.contentType;
  const forbidOverwrite = String(headers['x-oss-forbid-overwrite'] ?? '').toLowerCase() === 'true';
  if (forbidOverwrite && store.getObject(bucket.name, key)) throw ossErrors.fileAlreadyExists();

  const range = sizeRange(policy);
  let size = 0;
  const counted = form.bytes.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        cb(null, chunk);
      },
    }),
  );
  form.bytes.once('error', (err) => counted.destroy(err));
  const max = Math.min(MAX_OBJECT_BYTES, range?.max ?? MAX_OBJECT_BYTES);
  const row = await store.putObjectStream(
    bucket.name,
    key,
    counted,
    max,
    () => ossErrors.entityTooLarge(max),
    {
      contentType: contentTypeFor(contentType),
      acl: parseObjectAcl(headers['x-oss-object-acl'] as string | undefined),
      headers: storedHeaders(headers),
      lastModifiedMs: clock.now(),
      storageClass: storageClassOf(headers, bucket.storageClass),
      tags: parseTaggingHeader(headers),
    },
    () => (range && size < range.min ? ossErrors.postEntityTooSmall(range.min) : undefined),
    forbidOverwrite
      ? (current: unknown) => {
          if (current !== undefined) throw ossErrors.fileAlreadyExists();
        }
      : undefined,
  );

  const replyHeaders: Record<string, string> = { etag: row.etag, ...(row.crc64 !== undefined && { 'x-oss-hash-crc64ecma': row.crc64 }) };
  const redirect = fields.get('success_action_redirect');
  if (redirect) {
    const url = URL.canParse(redirect) ? new URL(redirect) : undefined;
    if (!url)
      throw ossErrors.invalidArgument('success_action_redirect is not a URL.', [
        ['ArgumentName', 'success_action_redirect'],
        ['ArgumentValue', redirect],
      ]);
    url.searchParams.set('bucket', bucket.name);
    url.searchParams.set('key', key);
    url.searchParams.set('etag', row.etag);
    return { status: 303, headers: { ...replyHeaders, location: url.toString() } };
  }
  const status = Number(fields.get('success_action_status') ?? '204');
  if (status === 201) {
    const location = `http://${ctx.publicHost}/${bucket.name}/${encodeURI(key)}`;
    return {
      status: 201,
      headers: replyHeaders,
      xml: {
        root: 'PostResponse',
        children: [
          ['Bucket', bucket.name],
          ['Location', location],
          ['Key', key],
          ['ETag', row.etag],
        ],
      },
    };
  }
  return { status: status === 200 ? 200 : 204, headers: replyHeaders };
};
