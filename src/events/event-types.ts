/** Why a publish ended, as events report it. */
export type PublishEndReason = 'FIN' | 'RST' | 'idle' | 'kicked' | 'disabled' | 'shutdown' | 'refused-media' | 'disk-full' | 'error';

export type FaultAction = 'error' | 'delay' | 'reset' | 'truncate' | 'stall' | 'drop' | 'kick';

/** The fields each event type carries besides id, type and time. bucket/channel/key are flat so filters stay simple. */
export interface EventPayloads {
  'publish-refused': { bucket?: string; channel?: string; code: string; reason: string; remoteAddr: string };
  'publish-start': { bucket: string; channel: string; publishId: number; remoteAddr: string; playlistName: string };
  'segment-committed': {
    bucket: string;
    channel: string;
    key: string;
    sequence: number;
    duration: number;
    durationMs: number;
    startMs: number;
    publishId: number;
  };
  'segment-dropped': { bucket: string; channel: string; key: string; durationMs: number; publishId: number; faultId: number };
  'playlist-updated': { bucket: string; channel: string; key: string; mediaSequence: number; segments: number; ended: boolean };
  'publish-end': { bucket: string; channel: string; publishId: number; reason: PublishEndReason; detail?: string };
  'object-written': { bucket: string; key: string; size: number; etag: string; contentType: string };
  'object-deleted': { bucket: string; key: string };
  'request-failed': {
    requestId: string;
    method: string;
    url: string;
    operation?: string;
    bucket?: string;
    key?: string;
    status: number;
    code: string;
    message: string;
    injected: boolean;
  };
  'fault-injected': {
    faultId: number;
    action: FaultAction;
    requestId?: string;
    operation?: string;
    bucket?: string;
    channel?: string;
    key?: string;
    status?: number;
    code?: string;
  };
  'clock-changed': { kind: string; fromMs: number; toMs: number };
  'state-reset': Record<string, never>;
  'checkpoint-saved': { name: string };
  'checkpoint-restored': { name: string };
}

export type EventType = keyof EventPayloads;

export const EVENT_TYPES: readonly EventType[] = [
  'publish-refused',
  'publish-start',
  'segment-committed',
  'segment-dropped',
  'playlist-updated',
  'publish-end',
  'object-written',
  'object-deleted',
  'request-failed',
  'fault-injected',
  'clock-changed',
  'state-reset',
  'checkpoint-saved',
  'checkpoint-restored',
];

interface EventHead<T extends EventType> {
  /** Strictly increasing in one emulator process; never reused (also across resets). */
  id: number;
  type: T;
  /** The emulator clock when it happened. */
  timeMs: number;
  time: string;
}

/** One event, discriminated by `type`. */
export type EmulatorEvent = { [T in EventType]: EventHead<T> & EventPayloads[T] }[EventType];

/** Which events a listener wants: every given field must match (type: any of a list). */
export interface EventFilter {
  type?: EventType | readonly EventType[];
  bucket?: string;
  channel?: string;
  key?: string;
  keyPrefix?: string;
}

export function matches(event: EmulatorEvent, filter: EventFilter): boolean {
  if (filter.type !== undefined) {
    if (typeof filter.type === 'string' ? event.type !== filter.type : !filter.type.includes(event.type)) return false;
  }
  const e = event as { bucket?: string; channel?: string; key?: string };
  if (filter.bucket !== undefined && e.bucket !== filter.bucket) return false;
  if (filter.channel !== undefined && e.channel !== filter.channel) return false;
  if (filter.key !== undefined && e.key !== filter.key) return false;
  if (filter.keyPrefix !== undefined && !(e.key ?? '').startsWith(filter.keyPrefix)) return false;
  return true;
}
