/**
 * The shape of a seed (`--init FILE`, `POST /-/init`): buckets with their ACL, CORS rules, LiveChannels and objects.
 * Checked here as a whole before anything is applied; the OSS operations check the values (names, channel config).
 */

export interface SeedCorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds: number | undefined;
}

export interface SeedChannel {
  name: string;
  description: string | undefined;
  status: string | undefined;
  type: string | undefined;
  fragDuration: number | string | undefined;
  fragCount: number | string | undefined;
  playlistName: string | undefined;
  snapshot: { roleName: string; destBucket: string; notifyTopic: string; interval: number | string } | undefined;
}

export interface SeedObject {
  key: string;
  /** A file, relative to the init file's directory (init files only, never through the admin API). */
  file: string | undefined;
  /** The bytes, as UTF-8 text or base64. */
  content: string | undefined;
  contentBase64: string | undefined;
  contentType: string | undefined;
}

export interface SeedBucket {
  name: string;
  acl: string | undefined;
  /** undefined = leave the bucket's CORS rules alone; [] is refused (OSS has no empty CORSConfiguration). */
  cors: SeedCorsRule[] | undefined;
  channels: SeedChannel[];
  objects: SeedObject[];
}

export interface Seed {
  buckets: SeedBucket[];
}

/** A seed entry refused: `entry` names it (`buckets[0] (media).channels[1] (cam)`), status/code as the OSS answer had them. */
export class SeedError extends Error {
  constructor(
    readonly entry: string,
    readonly detail: string,
    readonly status = 400,
    readonly code = 'InvalidArgument',
  ) {
    super(`${entry}: ${detail}`);
  }
}

type Fields = Record<string, unknown>;

function object(value: unknown, entry: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SeedError(entry, 'must be an object');
  return value as Fields;
}

function only(fields: Fields, entry: string, allowed: readonly string[]): void {
  const unknown = Object.keys(fields).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new SeedError(entry, `unknown field ${unknown.join(', ')} (expected ${allowed.join(', ')})`);
}

function list(fields: Fields, name: string, entry: string): unknown[] {
  const v = fields[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new SeedError(entry, `${name} must be a list`);
  return v;
}

function text(fields: Fields, name: string, entry: string, required: true): string;
function text(fields: Fields, name: string, entry: string, required?: false): string | undefined;
function text(fields: Fields, name: string, entry: string, required = false): string | undefined {
  const v = fields[name];
  if (v === undefined || v === null) {
    if (required) throw new SeedError(entry, `${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || (required && v === ''))
    throw new SeedError(entry, `${name} must be ${required ? 'a non-empty ' : 'a '}string`);
  return v;
}

function numberish(fields: Fields, name: string, entry: string): number | string | undefined {
  const v = fields[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' && typeof v !== 'string') throw new SeedError(entry, `${name} must be a number`);
  return v;
}

function strings(fields: Fields, name: string, entry: string, fallback: string[]): string[] {
  const v = fields[name];
  if (v === undefined || v === null) return fallback;
  const items = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(items) || items.some((x) => typeof x !== 'string')) throw new SeedError(entry, `${name} must be a list of strings`);
  return items as string[];
}

function corsRule(value: unknown, entry: string): SeedCorsRule {
  const f = object(value, entry);
  only(f, entry, ['allowedOrigins', 'allowedMethods', 'allowedHeaders', 'exposeHeaders', 'maxAgeSeconds']);
  const maxAge = numberish(f, 'maxAgeSeconds', entry);
  return {
    allowedOrigins: strings(f, 'allowedOrigins', entry, ['*']),
    allowedMethods: strings(f, 'allowedMethods', entry, ['GET', 'HEAD']),
    allowedHeaders: strings(f, 'allowedHeaders', entry, []),
    exposeHeaders: strings(f, 'exposeHeaders', entry, []),
    maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge),
  };
}

function channel(value: unknown, at: string): SeedChannel {
  const f = object(value, at);
  const entry = typeof f.name === 'string' ? `${at} (${f.name})` : at;
  only(f, entry, ['name', 'description', 'status', 'type', 'fragDuration', 'fragCount', 'playlistName', 'snapshot']);
  let snapshot: SeedChannel['snapshot'];
  if (f.snapshot !== undefined && f.snapshot !== null) {
    const s = object(f.snapshot, `${entry}.snapshot`);
    only(s, `${entry}.snapshot`, ['roleName', 'destBucket', 'notifyTopic', 'interval']);
    snapshot = {
      roleName: text(s, 'roleName', `${entry}.snapshot`, true),
      destBucket: text(s, 'destBucket', `${entry}.snapshot`, true),
      notifyTopic: text(s, 'notifyTopic', `${entry}.snapshot`, true),
      interval: numberish(s, 'interval', `${entry}.snapshot`) ?? '',
    };
  }
  return {
    name: text(f, 'name', entry, true),
    description: text(f, 'description', entry),
    status: text(f, 'status', entry),
    type: text(f, 'type', entry),
    fragDuration: numberish(f, 'fragDuration', entry),
    fragCount: numberish(f, 'fragCount', entry),
    playlistName: text(f, 'playlistName', entry),
    snapshot,
  };
}

function seedObject(value: unknown, at: string, allowFiles: boolean): SeedObject {
  const f = object(value, at);
  const entry = typeof f.key === 'string' ? `${at} (${f.key})` : at;
  only(f, entry, ['key', 'file', 'content', 'contentBase64', 'contentType']);
  const o: SeedObject = {
    key: text(f, 'key', entry, true),
    file: text(f, 'file', entry),
    content: text(f, 'content', entry),
    contentBase64: text(f, 'contentBase64', entry),
    contentType: text(f, 'contentType', entry),
  };
  const sources = [o.file, o.content, o.contentBase64].filter((s) => s !== undefined).length;
  if (sources !== 1) throw new SeedError(entry, 'give exactly one of file, content, contentBase64');
  if (o.file !== undefined && !allowFiles) {
    throw new SeedError(entry, 'file is read only from an --init file; send the bytes as content or contentBase64');
  }
  return o;
}

/**
 * The seed a parsed JSON/YAML document describes; throws SeedError naming the first bad entry. `allowFiles` is false
 * for the admin API: an HTTP caller never makes the emulator read a file of its choosing.
 */
export function parseSeed(value: unknown, options: { allowFiles: boolean }): Seed {
  const root = object(value ?? {}, 'seed');
  only(root, 'seed', ['buckets']);
  return {
    buckets: list(root, 'buckets', 'seed').map((b, i): SeedBucket => {
      let entry = `buckets[${i}]`;
      const f = object(b, entry);
      const name = text(f, 'name', entry, true);
      entry = `${entry} (${name})`;
      only(f, entry, ['name', 'acl', 'cors', 'channels', 'objects']);
      const cors =
        f.cors === undefined || f.cors === null ? undefined : list(f, 'cors', entry).map((r, j) => corsRule(r, `${entry}.cors[${j}]`));
      if (cors?.length === 0) throw new SeedError(entry, 'cors must hold at least one rule (leave it out to keep the rules as they are)');
      return {
        name,
        acl: text(f, 'acl', entry),
        cors,
        channels: list(f, 'channels', entry).map((c, j) => channel(c, `${entry}.channels[${j}]`)),
        objects: list(f, 'objects', entry).map((o, j) => seedObject(o, `${entry}.objects[${j}]`, options.allowFiles)),
      };
    }),
  };
}

/** A seed from the text of an init file: JSON for `.json`, YAML otherwise (YAML also reads JSON). */
export function parseSeedText(source: string, text: string, parseYaml: (text: string) => unknown): Seed {
  let value: unknown;
  try {
    value = /\.json$/i.test(source) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new SeedError(source, `not valid ${/\.json$/i.test(source) ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return parseSeed(value, { allowFiles: true });
}
