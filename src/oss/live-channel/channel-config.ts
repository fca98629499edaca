import { childNode, childText, type XmlNode } from '../wire/xml.js';
import type { ChannelRow, SnapshotConfig } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { validateBucketName } from '../wire/formats.js';
import { livePlaylistNameProblem, PLAYLIST_NAME_MAX_CHARS, PLAYLIST_NAME_MIN_CHARS, PLAYLIST_SUFFIX } from './playlist-name.js';

/** What a LiveChannelConfiguration body sets: everything of a channel but its identity and time. */
export type ChannelConfig = Pick<
  ChannelRow,
  'description' | 'status' | 'type' | 'fragDuration' | 'fragCount' | 'playlistName' | 'snapshot'
>;

/** Defaults OSS fills in when the body leaves a field out (PutLiveChannel docs: FragDuration 5, FragCount 3, playlist.m3u8). */
export const CHANNEL_DEFAULTS = { status: 'enabled', fragDuration: 5, fragCount: 3, playlistName: 'playlist.m3u8' } as const;

// EC numbers of the 0044 family (OSS error-code pages help/en/oss/support/0044-000000NN).
const EC = {
  description: 1,
  status: 2,
  snapshotCount: 3,
  notifyTopic: 6,
  roleName: 7,
  destBucket: 8,
  type: 13,
  fragDuration: 14,
  fragCount: 15,
  playlistSlash: 16,
  playlistLength: 17,
  playlistSuffix: 18,
} as const;

const MAX_DESCRIPTION_BYTES = 128;

const quoted = (value: string) => JSON.stringify(value);

/** `enabled` | `disabled`, exactly (case-sensitive, as the SDKs send them); shared with PutLiveChannelStatus. */
export function parseChannelStatus(raw: string, argumentName: string): ChannelRow['status'] {
  if (raw === 'enabled' || raw === 'disabled') return raw;
  throw ossErrors.liveArgument(`The ${argumentName} must be "enabled" or "disabled", got ${quoted(raw)}.`, EC.status, argumentName, raw);
}

/** An element that must hold children: absent stays undefined, `<X/>` is an empty container, text or repeats are malformed. */
function container(parent: XmlNode, name: string): XmlNode | undefined {
  const node = childNode(parent, name);
  if (node === undefined) return undefined;
  if (Array.isArray(node)) throw ossErrors.malformedXml();
  if (typeof node === 'string') {
    if (node !== '') throw ossErrors.malformedXml();
    return {};
  }
  return node;
}

function integerIn(raw: string, path: string, ec: number | undefined, min: number, max: number): number {
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (n >= min && n <= max) return n;
  const message = `The value of ${path} must be an integer between ${min} and ${max}, got ${quoted(raw)}.`;
  if (ec === undefined)
    throw ossErrors.invalidArgument(message, [
      ['ArgumentName', path],
      ['ArgumentValue', raw],
    ]);
  throw ossErrors.liveArgument(message, ec, path, raw);
}

function parseTarget(target: XmlNode): Pick<ChannelConfig, 'type' | 'fragDuration' | 'fragCount' | 'playlistName'> {
  const type = childText(target, 'Type');
  if (type !== 'HLS') {
    throw ossErrors.liveArgument(
      type === undefined
        ? 'The Target/Type element is required and must be "HLS".'
        : `The value of Target/Type must be "HLS", got ${quoted(type)}.`,
      EC.type,
      'Target/Type',
      type ?? '',
    );
  }
  const rawDuration = childText(target, 'FragDuration');
  const rawCount = childText(target, 'FragCount');
  // All or nothing: the defaults apply only when both are absent; the missing one is the invalid argument.
  if (rawDuration !== undefined && rawCount === undefined) {
    throw ossErrors.liveArgument('Target/FragCount is required when Target/FragDuration is given.', EC.fragCount, 'Target/FragCount', '');
  }
  if (rawCount !== undefined && rawDuration === undefined) {
    throw ossErrors.liveArgument(
      'Target/FragDuration is required when Target/FragCount is given.',
      EC.fragDuration,
      'Target/FragDuration',
      '',
    );
  }
  const fragDuration =
    rawDuration === undefined ? CHANNEL_DEFAULTS.fragDuration : integerIn(rawDuration, 'Target/FragDuration', EC.fragDuration, 1, 100);
  const fragCount = rawCount === undefined ? CHANNEL_DEFAULTS.fragCount : integerIn(rawCount, 'Target/FragCount', EC.fragCount, 1, 100);
  // An empty `<PlaylistName/>` means the default, like a missing one: oss2 sends it whenever the caller names none.
  const playlistName = childText(target, 'PlaylistName') || CHANNEL_DEFAULTS.playlistName;
  validatePlaylistName(playlistName);
  return { type: 'HLS', fragDuration, fragCount, playlistName };
}

/** PlaylistName by the one live playlist-name rule (playlist-name.ts), with OSS's EC per failed check. */
function validatePlaylistName(name: string): void {
  const problem = livePlaylistNameProblem(name);
  if (!problem) return;
  const fail = (message: string, ec: number) => ossErrors.liveArgument(message, ec, 'Target/PlaylistName', name);
  if (problem.kind === 'slash') throw fail(`The value of Target/PlaylistName must not contain "/", got ${quoted(name)}.`, EC.playlistSlash);
  if (problem.kind === 'length') {
    throw fail(
      `The length of Target/PlaylistName must be between ${PLAYLIST_NAME_MIN_CHARS} and ${PLAYLIST_NAME_MAX_CHARS} characters, got ${problem.chars}.`,
      EC.playlistLength,
    );
  }
  throw fail(`The value of Target/PlaylistName must end with "${PLAYLIST_SUFFIX}", got ${quoted(name)}.`, EC.playlistSuffix);
}

/** Snapshot: stored with the channel; live/snapshot/ takes the JPEGs (RoleName and NotifyTopic are kept, not acted on). */
function parseSnapshot(root: XmlNode): SnapshotConfig | undefined {
  const raw = childNode(root, 'Snapshot');
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw ossErrors.liveArgument('At most one Snapshot element is allowed.', EC.snapshotCount, 'Snapshot', '');
  const snapshot = container(root, 'Snapshot')!;
  const required = (name: string, ec: number): string => {
    const value = childText(snapshot, name);
    if (value) return value;
    throw ossErrors.liveArgument(`The Snapshot/${name} element is required and must not be empty.`, ec, `Snapshot/${name}`, value ?? '');
  };
  const roleName = required('RoleName', EC.roleName);
  const destBucket = required('DestBucket', EC.destBucket);
  try {
    // Only the name's form is checked: OSS also checks owner, region and the role's rights, which the emulator has no notion of.
    validateBucketName(destBucket);
  } catch {
    throw ossErrors.liveArgument(
      `The value of Snapshot/DestBucket is not a valid bucket name, got ${quoted(destBucket)}.`,
      EC.destBucket,
      'Snapshot/DestBucket',
      destBucket,
    );
  }
  const notifyTopic = required('NotifyTopic', EC.notifyTopic);
  const rawInterval = childText(snapshot, 'Interval');
  // OSS documents no EC number for Interval.
  const interval = integerIn(rawInterval ?? '', 'Snapshot/Interval', undefined, 1, 100);
  return { roleName, destBucket, notifyTopic, interval };
}

/** Validates a parsed LiveChannelConfiguration and fills in OSS's defaults (an overwrite is a full replace). */
export function parseChannelConfig(root: XmlNode): ChannelConfig {
  const description = childText(root, 'Description') ?? '';
  const descriptionBytes = Buffer.byteLength(description, 'utf8');
  if (descriptionBytes > MAX_DESCRIPTION_BYTES) {
    throw ossErrors.liveArgument(
      `The Description must be at most ${MAX_DESCRIPTION_BYTES} bytes long, got ${descriptionBytes} bytes.`,
      EC.description,
      'Description',
      description,
    );
  }
  const rawStatus = childText(root, 'Status');
  const status = rawStatus === undefined ? CHANNEL_DEFAULTS.status : parseChannelStatus(rawStatus, 'Status');
  // A missing Target is a body that does not follow the schema.
  const target = container(root, 'Target');
  if (target === undefined) throw ossErrors.malformedXml();
  return { description, status, ...parseTarget(target), snapshot: parseSnapshot(root) };
}
