import { parseDuration, parseInstant, type Clock } from '../shared/clock.js';

/** Which requests (target http) or segments (target ingest) a rule applies to; every given field must match. */
export interface FaultMatch {
  /** OSS operation name(s), e.g. 'GetObject', ['PutObject', 'InitiateMultipartUpload']. */
  operation?: string | string[];
  method?: string;
  bucket?: string;
  /** Key starts with / ends with (`keySuffix: '.ts'` hits segments and not the playlist). */
  keyPrefix?: string;
  keySuffix?: string;
  /** Ingest rules: the LiveChannel. */
  channel?: string;
}

export type FaultActionSpec =
  /** Answer with this OSS error instead of running the operation. */
  | { type: 'error'; status: number; code: string; message?: string }
  /** Only the added latency (`delayMs`), then the request runs normally. */
  | { type: 'delay' }
  /** Close the connection with a TCP RST before answering. */
  | { type: 'reset' }
  /** Run the operation, send its headers (full Content-Length) and only `bytes` of the body (default half), then close. */
  | { type: 'truncate'; bytes?: number }
  /** Ingest: hold the next segment's commit (and so every later one) for `ms`. */
  | { type: 'stall'; ms: number }
  /** Ingest: throw the next segment away (never written, never listed). */
  | { type: 'drop' };

export interface FaultRuleSpec {
  /** 'http' (default): OSS API requests; 'ingest': segments of live publishes. */
  target?: 'http' | 'ingest';
  match?: FaultMatch;
  action: FaultActionSpec;
  /** Added latency (ms of real time) before the action; with `{ type: 'delay' }` it is the whole fault. */
  delayMs?: number;
  /** Applies this many times, then is removed (default: unlimited until deleted or expired). */
  count?: number;
  /** Chance (0..1] that a matching request is hit (default 1). */
  probability?: number;
  /** Emulator-clock expiry: a duration from now ('5m', ms) or an absolute time. */
  expiresIn?: number | string;
  expiresAt?: number | string;
}

export interface FaultRule {
  id: number;
  target: 'http' | 'ingest';
  match: FaultMatch;
  action: FaultActionSpec;
  delayMs: number;
  /** Applications left; undefined = unlimited. */
  remaining: number | undefined;
  probability: number;
  expiresAtMs: number | undefined;
  /** How many times it was applied so far. */
  hits: number;
  createdMs: number;
}

export class FaultSpecError extends Error {}

export interface HttpTarget {
  operation: string;
  method: string;
  bucket: string | undefined;
  key: string;
}

export interface IngestTarget {
  bucket: string;
  channel: string;
  key: string;
}

const HTTP_ACTIONS = new Set(['error', 'delay', 'reset', 'truncate']);
const INGEST_ACTIONS = new Set(['stall', 'drop']);

/** Default messages for the errors tests inject most (as OSS words them). */
const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  SlowDown: 'Please reduce your request rate.',
  InternalError: 'We encountered an internal error. Please try again.',
  ServiceUnavailable: 'Service is temporarily unavailable, please try again later.',
  RequestTimeout: 'Your socket connection to the server was not read from or written to within the timeout period.',
  NoSuchKey: 'The specified key does not exist.',
  AccessDenied: 'AccessDenied',
};

export const defaultFaultMessage = (code: string): string => DEFAULT_MESSAGES[code] ?? `Injected fault: ${code}.`;

const str = (v: unknown, name: string): string | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new FaultSpecError(`${name} must be a non-empty string`);
  return v;
};

function validMatch(raw: unknown): FaultMatch {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FaultSpecError('match must be an object');
  const m = raw as Record<string, unknown>;
  const unknown = Object.keys(m).filter((k) => !['operation', 'method', 'bucket', 'keyPrefix', 'keySuffix', 'channel'].includes(k));
  if (unknown.length) throw new FaultSpecError(`unknown match field ${unknown.join(', ')}`);
  const operation = m.operation;
  if (
    operation !== undefined &&
    typeof operation !== 'string' &&
    !(Array.isArray(operation) && operation.every((o) => typeof o === 'string'))
  ) {
    throw new FaultSpecError('match.operation must be an operation name or a list of them');
  }
  const match: FaultMatch = {};
  if (operation !== undefined) match.operation = operation as string | string[];
  const method = str(m.method, 'match.method');
  if (method) match.method = method.toUpperCase();
  for (const f of ['bucket', 'keyPrefix', 'keySuffix', 'channel'] as const) {
    const v = str(m[f], `match.${f}`);
    if (v !== undefined) match[f] = v;
  }
  return match;
}

function validAction(raw: unknown, target: 'http' | 'ingest'): FaultActionSpec {
  if (typeof raw !== 'object' || raw === null) throw new FaultSpecError('action must be an object with a type');
  const a = raw as Record<string, unknown>;
  const type = a.type;
  const allowed = target === 'http' ? HTTP_ACTIONS : INGEST_ACTIONS;
  if (typeof type !== 'string' || !allowed.has(type))
    throw new FaultSpecError(`action.type for target ${target} must be one of ${[...allowed].join(', ')}`);
  switch (type) {
    case 'error': {
      const status = a.status;
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)
        throw new FaultSpecError('action.status must be an HTTP status 400-599');
      const code = str(a.code, 'action.code') ?? (status >= 500 ? 'InternalError' : 'InvalidRequest');
      const message = str(a.message, 'action.message');
      return message === undefined ? { type, status, code } : { type, status, code, message };
    }
    case 'truncate': {
      const bytes = a.bytes;
      if (bytes !== undefined && (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0))
        throw new FaultSpecError('action.bytes must be a byte count');
      return bytes === undefined ? { type } : { type, bytes };
    }
    case 'stall': {
      const ms = a.ms === undefined ? undefined : parseDuration(a.ms as number | string);
      if (ms === undefined || ms <= 0) throw new FaultSpecError('action.ms (how long to hold the commit) must be positive');
      return { type, ms };
    }
    default:
      return { type } as FaultActionSpec;
  }
}

/**
 * The injected-fault rules: matched against every OSS request (after the operation is known, before authentication)
 * and every live segment before its commit. First matching rule in creation order wins.
 */
export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  /** Validates a rule (throws FaultSpecError) and adds it. */
  add(spec: FaultRuleSpec): FaultRule {
    if (typeof spec !== 'object' || spec === null) throw new FaultSpecError('a fault rule is a JSON object');
    const unknown = Object.keys(spec).filter(
      (k) => !['target', 'match', 'action', 'delayMs', 'count', 'probability', 'expiresIn', 'expiresAt'].includes(k),
    );
    if (unknown.length) throw new FaultSpecError(`unknown field ${unknown.join(', ')}`);
    const target = spec.target ?? 'http';
    if (target !== 'http' && target !== 'ingest') throw new FaultSpecError("target must be 'http' or 'ingest'");
    const action = validAction(spec.action, target);
    const delayMs = spec.delayMs === undefined ? 0 : parseDuration(spec.delayMs);
    if (delayMs < 0) throw new FaultSpecError('delayMs must not be negative');
    if (action.type === 'delay' && delayMs === 0) throw new FaultSpecError('a delay fault needs delayMs');
    if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1))
      throw new FaultSpecError('count must be a positive integer');
    const probability = spec.probability ?? 1;
    if (typeof probability !== 'number' || !(probability > 0 && probability <= 1))
      throw new FaultSpecError('probability must be in (0, 1]');
    const now = this.clock.now();
    const expiresAtMs =
      spec.expiresAt !== undefined
        ? parseInstant(spec.expiresAt)
        : spec.expiresIn !== undefined
          ? now + parseDuration(spec.expiresIn)
          : undefined;
    const rule: FaultRule = {
      id: this.nextId++,
      target,
      match: validMatch(spec.match),
      action,
      delayMs,
      remaining: spec.count,
      probability,
      expiresAtMs,
      hits: 0,
      createdMs: now,
    };
    this.rules.push(rule);
    return { ...rule };
  }

  list(): FaultRule[] {
    this.prune();
    return this.rules.map((r) => ({ ...r }));
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): number {
    const n = this.rules.length;
    this.rules = [];
    return n;
  }

  /** The rule to apply to this request, counted as applied; undefined when none hits. */
  takeHttp(t: HttpTarget): FaultRule | undefined {
    if (this.rules.length === 0) return undefined; // (no matcher closure built per request)
    return this.take('http', (m) => {
      if (m.operation !== undefined && !(typeof m.operation === 'string' ? m.operation === t.operation : m.operation.includes(t.operation)))
        return false;
      if (m.method !== undefined && m.method !== t.method) return false;
      return this.keyMatches(m, t.bucket, t.key);
    });
  }

  /** The rule to apply to this segment before its commit. */
  takeIngest(t: IngestTarget): FaultRule | undefined {
    return this.take('ingest', (m) => (m.channel === undefined || m.channel === t.channel) && this.keyMatches(m, t.bucket, t.key));
  }

  private keyMatches(m: FaultMatch, bucket: string | undefined, key: string): boolean {
    if (m.bucket !== undefined && m.bucket !== bucket) return false;
    if (m.keyPrefix !== undefined && !key.startsWith(m.keyPrefix)) return false;
    if (m.keySuffix !== undefined && !key.endsWith(m.keySuffix)) return false;
    return true;
  }

  private take(target: 'http' | 'ingest', matches: (m: FaultMatch) => boolean): FaultRule | undefined {
    if (this.rules.length === 0) return undefined;
    this.prune();
    for (const rule of this.rules) {
      if (rule.target !== target || !matches(rule.match)) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      rule.hits++;
      if (rule.remaining !== undefined && --rule.remaining === 0) this.remove(rule.id);
      return { ...rule };
    }
    return undefined;
  }

  private prune(): void {
    const now = this.clock.now();
    this.rules = this.rules.filter((r) => r.expiresAtMs === undefined || r.expiresAtMs > now);
  }
}
