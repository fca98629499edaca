import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Principal } from '../auth/authenticate.js';
import type { Credential } from '../auth/credentials.js';
import type { ControlledClock } from '../shared/clock.js';
import type { EventBus } from '../events/event-bus.js';
import type { QueryPairs } from './wire/request-target.js';
import type { XmlValue } from './wire/xml.js';
import type { LivePublishes } from './live-publishes.js';
import type { Store } from '../store/store.js';
import type { BucketRow } from '../store/rows.js';
import type { OperationName } from './detect-operation.js';
import { ossErrors } from './wire/errors.js';

/** The settings operations read (a slice of the emulator's Config; add a field here when an operation needs one). */
export interface OperationConfig {
  /** host[:port] written into PublishUrls/PlayUrls; undefined = the request's Host. */
  publicHost: string | undefined;
  /** 'oss': PublishUrls/PlayUrls always `<bucket>.<host>`, even for an IP host (see Config.urlStyle). */
  urlStyle: 'playable' | 'oss';
  /** Delay before a live publisher is disconnected after its channel is disabled. */
  disableGraceMs: number;
  /** Signatures checked (false with --no-auth). */
  auth: boolean;
  /** The access key pairs accepted (GetSignedPlaylist signs with the caller's). */
  credentials: readonly Credential[];
  /** How long RestoreObject takes before the object is readable. */
  restoreDelayMs: number;
  /** Hosts upload callbacks may reach besides loopback (--callback-allow). */
  callbackAllowHosts: readonly string[];
}

/**
 * What operations may use, as `ctx.services.store / .clock / .config / .live`. The composition root (emulator.ts)
 * builds it; the live side is seen only through LivePublishes, so oss/ never imports live/.
 */
export interface OperationServices {
  store: Store;
  /** The emulator's one clock; schedule work due at an emulator time with clock.at()/after() (see CLOCK.md). */
  clock: ControlledClock;
  config: OperationConfig;
  live: LivePublishes;
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
  services: OperationServices;
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
