import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Principal } from '../auth/authenticate.js';
import type { ControlledClock } from '../clock.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events/event-bus.js';
import type { QueryPairs } from './wire/request-target.js';
import type { XmlValue } from './wire/xml.js';
import type { LiveRegistry } from '../live/live-registry.js';
import type { Store } from '../store/store.js';
import type { BucketRow } from '../store/rows.js';
import type { OperationName } from './detect-operation.js';
import { ossErrors } from './wire/errors.js';

/** What every operation may use; built once by the composition root. */
export interface Services {
  store: Store;
  /** The emulator's one clock; schedule work due at an emulator time with clock.at()/after() (see CLOCK.md). */
  clock: ControlledClock;
  config: Config;
  live: LiveRegistry;
  /** Emit what happened (see src/events/event-types.ts); tests and the console listen. */
  events: EventBus;
}

/** One resolved, authenticated request, as an operation sees it. */
export interface OperationContext {
  operation: OperationName;
  method: string;
  bucket: string | undefined;
  key: string;
  query: QueryPairs;
  headers: IncomingHttpHeaders;
  principal: Principal;
  /** True when the bucket came from the path; URLs the emulator hands out follow the same style. */
  pathStyle: boolean;
  /** host[:port] clients used to reach us, for PublishUrls/PlayUrls. */
  publicHost: string;
  services: Services;
  /** The request body, read fully up to `maxBytes` (EntityTooLarge beyond). */
  readBody(maxBytes: number): Promise<Buffer>;
  /** The request body as a stream (PutObject). */
  bodyStream: Readable;
}

/** What an operation answers; the pipeline adds the common headers. */
export interface OssReply {
  status?: number;
  headers?: Record<string, string | number>;
  /** An XML document: root name and children. */
  xml?: { root: string; children: XmlValue };
  body?: string | Buffer | Readable;
}

export type Operation = (ctx: OperationContext) => Promise<OssReply> | OssReply;

/** The bucket of the request, which must exist (NoSuchBucket otherwise). */
export function requireBucket(ctx: OperationContext): BucketRow {
  const { store } = ctx.services;
  const row = ctx.bucket === undefined ? undefined : store.getBucket(ctx.bucket);
  if (!row) throw ossErrors.noSuchBucket(ctx.bucket ?? '');
  return row;
}
