import { contentTypeByExtension } from '../wire/content-types.js';
import { createHash } from 'node:crypto';
import type { OperationName } from '../detect-operation.js';
import { parseChannelConfig } from '../live-channel/channel-config.js';
import type { Operation, OperationServices } from '../operation.js';
import { invokeAsOwner, type OwnerCall } from '../owner-call.js';
import { OssError } from '../wire/errors.js';
import { parseXmlBody, renderXml, type XmlChild } from '../wire/xml.js';
import { SeedError, type Seed, type SeedChannel, type SeedCorsRule, type SeedObject } from './seed-spec.js';

/** What applying a seed did, entry by entry (`unchanged` on a second run with the same seed). */
export interface SeedReport {
  buckets: { name: string; result: 'created' | 'unchanged' | 'updated' }[];
  channels: { bucket: string; name: string; result: 'created' | 'unchanged' | 'updated' | 'skipped-live' }[];
  objects: { bucket: string; key: string; result: 'written' | 'unchanged' }[];
}

export interface SeedTarget {
  services: OperationServices;
  operations: Record<OperationName, Operation>;
  /** The bytes of an object's `file` (resolved by the caller against the init file's directory). */
  readFile?: (file: string) => Buffer;
}

const channelXml = (c: SeedChannel, bucket: string): Buffer =>
  Buffer.from(
    renderXml('LiveChannelConfiguration', [
      c.description !== undefined && ['Description', c.description],
      ['Status', c.status ?? 'enabled'],
      [
        'Target',
        [
          ['Type', c.type ?? 'HLS'],
          c.fragDuration !== undefined && ['FragDuration', String(c.fragDuration)],
          c.fragCount !== undefined && ['FragCount', String(c.fragCount)],
          c.playlistName !== undefined && ['PlaylistName', c.playlistName],
        ],
      ],
      c.snapshot !== undefined && [
        'Snapshot',
        [
          ['RoleName', c.snapshot.roleName],
          ['DestBucket', c.snapshot.destBucket || bucket],
          ['NotifyTopic', c.snapshot.notifyTopic],
          ['Interval', String(c.snapshot.interval)],
        ],
      ],
    ]),
    'utf8',
  );

const corsXml = (rules: SeedCorsRule[]): Buffer =>
  Buffer.from(
    renderXml(
      'CORSConfiguration',
      rules.map((r): XmlChild => [
        'CORSRule',
        [
          ...r.allowedOrigins.map((o): XmlChild => ['AllowedOrigin', o]),
          ...r.allowedMethods.map((m): XmlChild => ['AllowedMethod', m]),
          ...r.allowedHeaders.map((h): XmlChild => ['AllowedHeader', h]),
          ...r.exposeHeaders.map((h): XmlChild => ['ExposeHeader', h]),
          r.maxAgeSeconds !== undefined && ['MaxAgeSeconds', String(r.maxAgeSeconds)],
        ],
      ]),
    ),
    'utf8',
  );

/**
 * Applies a seed through the OSS operations, as the account owner: the same validation and effects as SDK requests.
 * Idempotent: an existing bucket keeps its objects (its ACL and CORS rules are set to the seed's), a channel whose
 * config already matches is left alone and a live one is skipped, an object with the same bytes and type is not
 * rewritten. Stops at the first refused entry with a SeedError naming it (entries before it stay applied).
 */
export async function applySeed(target: SeedTarget, seed: Seed): Promise<SeedReport> {
  const { services, operations } = target;
  const { store, live } = services;
  const report: SeedReport = { buckets: [], channels: [], objects: [] };
  const xmlHeaders = { 'content-type': 'application/xml' };

  /** Every seed entry is one PUT through the operation; a refusal names the entry. */
  const put = (entry: string, operation: OperationName, call: Omit<OwnerCall, 'method'>) =>
    refusedAs(entry, operation, () =>
      invokeAsOwner(operations, services, operation, { method: 'PUT', ...call }, services.config.publicHost ?? '127.0.0.1'),
    );

  async function seedChannel(entry: string, bucket: string, c: SeedChannel): Promise<SeedReport['channels'][number]['result']> {
    const body = channelXml(c, bucket);
    const row = store.getChannel(bucket, c.name);
    if (row) {
      const wanted = await refusedAs(entry, 'PutLiveChannel', () => parseChannelConfig(parseXmlBody(body, 'LiveChannelConfiguration')));
      const same = (Object.keys(wanted) as (keyof typeof wanted)[]).every((k) => JSON.stringify(wanted[k]) === JSON.stringify(row[k]));
      if (same) return 'unchanged';
      if (live.isLive(bucket, c.name)) return 'skipped-live';
    }
    await put(entry, 'PutLiveChannel', { bucket, key: c.name, query: [['live', '']], headers: xmlHeaders, body });
    return row ? 'updated' : 'created';
  }

  async function seedObject(entry: string, bucket: string, o: SeedObject): Promise<SeedReport['objects'][number]['result']> {
    const bytes = objectBytes(o, entry, target.readFile);
    const current = store.getObject(bucket, o.key);
    const etag = `"${createHash('md5').update(bytes).digest('hex').toUpperCase()}"`;
    if (current && current.etag.toUpperCase() === etag && (o.contentType === undefined || current.contentType === o.contentType))
      return 'unchanged';
    await put(entry, 'PutObject', {
      bucket,
      key: o.key,
      headers: { 'content-type': o.contentType || contentTypeByExtension(o.key) },
      body: bytes,
    });
    return 'written';
  }

  for (const [i, b] of seed.buckets.entries()) {
    const entry = `buckets[${i}] (${b.name})`;
    const existing = store.getBucket(b.name);
    if (!existing) {
      await put(entry, 'PutBucket', { bucket: b.name, headers: b.acl ? { 'x-oss-acl': b.acl } : {} });
      report.buckets.push({ name: b.name, result: 'created' });
    } else if (b.acl !== undefined && b.acl !== existing.acl) {
      await put(entry, 'PutBucketAcl', { bucket: b.name, query: [['acl', '']], headers: { 'x-oss-acl': b.acl } });
      report.buckets.push({ name: b.name, result: 'updated' });
    } else {
      report.buckets.push({ name: b.name, result: 'unchanged' });
    }
    if (b.cors)
      await put(`${entry}.cors`, 'PutBucketCors', { bucket: b.name, query: [['cors', '']], headers: xmlHeaders, body: corsXml(b.cors) });
    for (const [j, c] of b.channels.entries()) {
      const result = await seedChannel(`${entry}.channels[${j}] (${c.name})`, b.name, c);
      report.channels.push({ bucket: b.name, name: c.name, result });
    }
    for (const [j, o] of b.objects.entries()) {
      const result = await seedObject(`${entry}.objects[${j}] (${o.key})`, b.name, o);
      report.objects.push({ bucket: b.name, key: o.key, result });
    }
  }
  return report;
}

/** Runs `work`; an OSS error it throws becomes a SeedError naming the entry and the operation that refused it. */
async function refusedAs<T>(entry: string, operation: OperationName, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof OssError) throw new SeedError(entry, `${operation} refused it: ${err.code}: ${err.message}`, err.status, err.code);
    throw err;
  }
}

function objectBytes(o: SeedObject, entry: string, readFile: SeedTarget['readFile']): Buffer {
  if (o.content !== undefined) return Buffer.from(o.content, 'utf8');
  if (o.contentBase64 !== undefined) return Buffer.from(o.contentBase64, 'base64');
  if (!readFile) throw new SeedError(entry, 'file is read only from an --init file; send the bytes as content or contentBase64');
  try {
    return readFile(o.file!);
  } catch (err) {
    throw new SeedError(entry, `cannot read file ${o.file}: ${(err as Error).message}`);
  }
}
